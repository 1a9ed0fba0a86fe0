package command

import (
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestPost_RateLimitedSaysWhenToRetryAndRecovers(t *testing.T) {
	w := newWorld(t, workroomtest.WithLimits(workroom.Limits{Messages: workroom.Rate{N: 2, Per: time.Minute}}))
	client, fred := w.signUp("Carla"), w.signUp("Fred")
	room := itoa(w.awardedRoom(client, fred, "Logo"))
	w.ok(fred, "post", room, "one")
	w.ok(fred, "post", room, "two")
	r := w.run(fred, "", "post", room, "three")
	if r.status != 1 || r.stderr != "too many messages: wait 30s and try again\n" || r.stdout != "" {
		t.Fatalf("third post in a minute at 2/m: status %d, stdout %q, stderr %q", r.status, r.stdout, r.stderr)
	}
	w.Advance(30 * time.Second)
	w.ok(fred, "post", room, "three")
}
