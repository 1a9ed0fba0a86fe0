package tui

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// storedZone is the account's time zone as the service has it.
func storedZone(t *testing.T, f *fixture, id *workroom.Identity) string {
	t.Helper()
	u, err := f.Svc.Settings(workroomtest.As(id))
	if err != nil {
		t.Fatal(err)
	}
	return u.TZ
}

// clearField deletes n characters before the cursor.
func (tm *term) clearField(n int) {
	for range n {
		tm.press(keyBackspace)
	}
}

// TestSettings_ChangesTheTimeZone: from the workroom list, S opens the
// settings with the zone as stored (set meanwhile over SSH); an unknown
// zone is refused in the service's words and nothing is saved; a known
// one is saved, and the times on screen follow it at once.
func TestSettings_ChangesTheTimeZone(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	tm := f.start(t, ada, 0, 100, 24)
	tm.waitText("No workrooms yet", "S settings")

	// Changed by `settings --tz` in another session after this one began.
	if _, err := f.Svc.SetTimeZone(workroomtest.As(ada), "Europe/Berlin"); err != nil {
		t.Fatal(err)
	}
	tm.press("S")
	tm.waitText("Time zone Europe/Berlin", "Saved zone: Europe/Berlin", "enter save", "esc back")

	tm.clearField(len("Europe/Berlin"))
	tm.typeText("Mars/Olympus")
	tm.press(keyEnter)
	tm.waitText(`unknown time zone "Mars/Olympus"; give an IANA name such as Europe/Berlin`, "Time zone Mars/Olympus")
	if z := storedZone(t, f, ada); z != "Europe/Berlin" {
		t.Fatalf("after a refused zone the account's zone is %q, want Europe/Berlin", z)
	}

	tm.clearField(len("Mars/Olympus"))
	tm.typeText("Asia/Tokyo")
	tm.press(keyEnter)
	tm.waitText("Times now show in Asia/Tokyo.", "No workrooms yet")
	if z := storedZone(t, f, ada); z != "Asia/Tokyo" {
		t.Fatalf("the account's zone is %q, want Asia/Tokyo", z)
	}

	// A time the list shows (the link code's expiry) reads in the new zone.
	tm.press("K")
	tm.waitFor("the link code's expiry in Tokyo time", func(s string) bool {
		return strings.Contains(s, "Link code ") && strings.Contains(s, " JST)")
	})
}

func TestSettings_EscGoesBackWithoutSaving(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("No workrooms yet")
	tm.press("S")
	tm.waitText("Time zone UTC")
	tm.clearField(len("UTC"))
	tm.typeText("Asia/Tokyo")
	tm.waitText("Time zone Asia/Tokyo")
	tm.press(keyEsc)
	tm.waitFor("the workroom list", func(s string) bool {
		return strings.Contains(s, "No workrooms yet") && !strings.Contains(s, "Time zone")
	})
	if z := storedZone(t, f, ada); z != "" {
		t.Fatalf("esc saved the zone %q", z)
	}
}

// TestSettings_FitsTheSmallestWindow: at 60×16 with a refusal in the
// notice line, the field, the saved zone and the explanation to its last
// word stay on screen, uncut.
func TestSettings_FitsTheSmallestWindow(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	if _, err := f.Svc.SetTimeZone(workroomtest.As(ada), "America/Argentina/ComodRivadavia"); err != nil {
		t.Fatal(err)
	}
	tm := f.start(t, ada, 0, 60, 16)
	tm.waitText("No workrooms yet")
	tm.press("S")
	s := tm.waitText("Time zone America/Argentina/ComodRivadavia", "Saved zone: America/Argentina/ComodRivadavia", "America/New_York")
	notCut(t, s, 16)
	tm.typeText("/Nowhere")
	tm.press(keyEnter)
	s = tm.waitText("unknown time zone", `"America/Argentina/ComodRivadavia/Nowhere"; give an IANA`, "Time zone America", "sensitive.", "Saved zone: America/Argentina/ComodRivadavia")
	notCut(t, s, 16)
}
