package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// Ada selects rooms with space (the header counts them, esc clears
// them), writes once and sends: the screen says per room whether it went
// in, and the rooms it went into leave the selection.
func TestBroadcast_SelectCountAndResultPerRoom(t *testing.T) {
	f := newFixture(t)
	ada, bob, cy := f.SignUp(t, "Ada"), f.SignUp(t, "Bob"), f.SignUp(t, "Cy")
	logo := f.Room(t, ada, bob, "Logo").ID
	site := f.Room(t, ada, cy, "Site").ID
	tm := f.start(t, ada, 0, 100, 24)
	tm.waitText("Logo", "Site", "space select")

	tm.press(" ")
	tm.waitText("workrooms · 1 selected", "✓ Site", "b broadcast to selected", "esc clear selection")
	tm.press(" ")
	tm.waitText("workrooms · 2 selected", "✓ Logo")
	tm.press(keyEsc)
	tm.waitFor("the selection cleared", func(s string) bool { return !strings.Contains(s, "selected") && !strings.Contains(s, "✓") })
	tm.press("k")
	tm.press(" ")
	tm.press(" ")
	tm.waitText("workrooms · 2 selected")
	tm.press("b")
	tm.waitText("broadcast · 2 workrooms", fmt.Sprintf("#%d Site", site), fmt.Sprintf("#%d Logo", logo))
	tm.typeText("Away next week")
	tm.press(keyEnter)
	tm.waitText("Sent: the message went into all 2 workrooms", "✓ posted as message 2")
	for _, r := range []workroom.RoomID{logo, site} {
		page, err := f.Svc.Messages(workroomtest.As(ada), r, 0, 1)
		if err != nil || page.Messages[0].Body != "Away next week" || page.Messages[0].Source != workroom.SourceBroadcast {
			t.Fatalf("room %d: %+v, %v", r, page, err)
		}
	}
	tm.press(keyEsc)
	tm.waitFor("the list with nothing selected", func(s string) bool {
		return strings.Contains(s, "LAST ACTIVITY") && !strings.Contains(s, "selected")
	})
}

// A room that refuses shows its reason; the others still get the message,
// and the refused one stays selected.
func TestBroadcast_ShowsTheRefusedRoom(t *testing.T) {
	// One message an hour: the first room takes it, the second refuses.
	f := newFixture(t, workroomtest.WithLimits(workroom.Limits{Messages: workroom.Rate{N: 1, Per: time.Hour}}))
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	f.Room(t, ada, bob, "Logo")
	f.Room(t, ada, bob, "Site")
	tm := f.start(t, ada, 0, 100, 24)
	tm.waitText("Logo", "Site")
	tm.press(" ")
	tm.press(" ")
	tm.waitText("2 selected")
	tm.press("b")
	tm.waitText("broadcast · 2 workrooms")
	tm.typeText("Hello all")
	tm.press(keyEnter)
	tm.waitText("went into 1 of 2 workrooms", "✗ not posted: too many messages")
	tm.press(keyEsc) // back to the list: sending left the composer
	tm.waitText("workrooms · 1 selected", "Broadcast sent into 1 of 2 workrooms; those that refused are still selected.")
}
