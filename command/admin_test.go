package command

import (
	"strconv"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestAdminDisable_DisablesAnAccountForAnAdministratorOnly(t *testing.T) {
	admin, _ := newKey(t)
	w := newWorld(t, workroomtest.WithAdmins(admin.Fingerprint))
	w.ok(admin, "signup", "--name", "Admin", "--email", "admin@example.com")
	ada, bob := w.signUp("Ada"), w.signUp("Bob")
	adaID := decode[struct{ User workroom.User }](t, w.ok(ada, "whoami", "--json")).User.ID
	user := strconv.FormatUint(uint64(adaID), 10)

	if r := w.run(bob, "", "admin", "disable", user); r.status != 1 || !strings.Contains(r.stderr, "only an administrator") {
		t.Fatalf("admin disable by a non-admin: %+v; want refused", r)
	}
	if out := w.ok(admin, "admin", "disable", user); out != "Disabled account "+user+"; its open sessions have ended.\n" {
		t.Errorf("admin disable printed %q", out)
	}
	if _, err := w.Svc.Authenticate(t.Context(), ada); workroom.ErrorCode(err) != workroom.EFORBIDDEN {
		t.Errorf("the disabled account still authenticates: %v", err)
	}
	if r := w.run(admin, "", "admin", "disable", "ada"); r.status != 2 || !strings.Contains(r.stderr, "USER must be a number") {
		t.Errorf("admin disable ada: %+v; want a usage error", r)
	}
	if out := w.ok(bob, "help"); strings.Contains(out, "admin") {
		t.Errorf("help lists the admin command to everyone:\n%s", out)
	}
}
