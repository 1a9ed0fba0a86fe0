package workroom_test

import (
	"testing"

	"github.com/workroom/workroom/workroomtest"
)

// The matrix in the code is SPEC's table: every role against every act,
// as workroomtest writes the table out cell by cell. (The matrices of
// each way in then show every way in asks it.)
func TestPermissions_AreTheSpecsTable(t *testing.T) {
	for _, who := range workroomtest.Everyone {
		role := workroomtest.RoleOf(who)
		for _, act := range workroomtest.Acts {
			if got, want := role != "" && role.Can(workroomtest.ActionOf(act)), workroomtest.May(who, act); got != want {
				t.Errorf("the %s may %s: the code says %v, the table %v", who, act, got, want)
			}
		}
	}
}
