package workroom_test

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestSetTimeZone_StoresKnownZonesRefusesOthers(t *testing.T) {
	w := newWorld(t)
	ada := workroomtest.As(w.SignUp(t, "Ada"))
	if u, err := w.Svc.Settings(ada); err != nil || u.TZ != "" || u.Location().String() != "UTC" {
		t.Fatalf("a new account's zone = %q (%v), want UTC", u.TZ, err)
	}
	u, err := w.Svc.SetTimeZone(ada, "Europe/Berlin")
	if err != nil || u.TZ != "Europe/Berlin" {
		t.Fatalf("SetTimeZone = %+v, %v", u, err)
	}
	if u, _ := w.Svc.Settings(ada); u.Location().String() != "Europe/Berlin" {
		t.Fatalf("the zone was not stored: %q", u.TZ)
	}
	for _, bad := range []string{"Mars/Olympus", "europe/berlin", "Local", "../../etc/passwd"} {
		_, err := w.Svc.SetTimeZone(ada, bad)
		wantCode(t, err, workroom.EINVALID)
		if !strings.Contains(err.Error(), "IANA name such as Europe/Berlin") {
			t.Errorf("refusal of %q = %q, want the kind of name to give", bad, err)
		}
	}
	if u, _ := w.Svc.SetTimeZone(ada, "UTC"); u.TZ != "" {
		t.Fatalf("UTC stored as %q, want the default", u.TZ)
	}
}
