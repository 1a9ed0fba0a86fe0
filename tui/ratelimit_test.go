package tui

import (
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestComposer_ShowsRateLimitWithWhenToRetry(t *testing.T) {
	f := newFixture(t, workroomtest.WithLimits(workroom.Limits{Messages: workroom.Rate{N: 1, Per: time.Hour}}))
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("No messages yet")
	tm.press(keyTab)
	tm.waitText("enter send")
	tm.typeText("first")
	tm.press(keyEnter)
	tm.waitText("first")
	tm.typeText("second")
	tm.press(keyEnter)
	tm.waitText("too many messages: wait 60 min and try again")
}
