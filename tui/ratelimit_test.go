package tui

import (
	"context"
	"strings"
	"sync"
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
	tm.waitText("hired") // the hired notice opens every room
	tm.press(keyTab)
	tm.waitText("enter send")
	tm.typeText("first")
	tm.press(keyEnter)
	tm.waitText("first")
	tm.typeText("second")
	tm.press(keyEnter)
	tm.waitText("too many messages: wait 60 min and try again")
}

// keysAsked is a limiter that allows everything and records what it was
// asked to count.
type keysAsked struct {
	mu   sync.Mutex
	keys []string
}

func (l *keysAsked) Allow(_ context.Context, key string, _ workroom.Rate, _ time.Time) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys = append(l.keys, key)
	return 0, nil
}

func (l *keysAsked) asked() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.keys, " ")
}

// TestComposer_CountsByTheConnectionsAddress: a message posted in the
// terminal is counted against the address the connection comes from, as
// one posted by command is, so many accounts from one address cannot
// post past the address's limit through the TUI.
func TestComposer_CountsByTheConnectionsAddress(t *testing.T) {
	limiter := &keysAsked{}
	f := newFixture(t, workroomtest.WithLimits(workroom.Limits{}), workroomtest.WithLimiter(limiter))
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	ada.Addr = "198.51.100.7"
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("hired") // the hired notice opens every room
	tm.press(keyTab)
	tm.waitText("enter send")
	tm.typeText("hello")
	tm.press(keyEnter)
	tm.waitText("hello")
	if got := limiter.asked(); !strings.Contains(got, "198.51.100.7") {
		t.Errorf("the post was counted as %q, not by the connection's address", got)
	}
}
