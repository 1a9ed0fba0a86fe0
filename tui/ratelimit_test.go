package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
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
	tm.waitText("  first")
	tm.typeText("second")
	tm.press(keyEnter)
	tm.waitText("too many messages: wait 60 min and try again")
	// The refused text is back in the composer, to send later.
	tm.waitText("│second")
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

// heldPosts is a store whose appends wait until the test lets them go.
type heldPosts struct {
	*store.DB
	release chan struct{}
}

func (s *heldPosts) AppendMessage(ctx context.Context, m *workroom.Message, mails []workroom.Mail) (*workroom.Room, []workroom.Member, error) {
	<-s.release
	return s.DB.AppendMessage(ctx, m, mails)
}

// What is typed while a post is on its way stays in the composer: the
// composer is cleared when enter sends, not when the post returns.
func TestComposer_KeepsWhatIsTypedWhileAPostIsOnItsWay(t *testing.T) {
	held := &heldPosts{release: make(chan struct{})}
	f := newFixture(t, workroomtest.WithStore(func(db *store.DB) workroom.Store {
		held.DB = db
		return held
	}))
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	close(held.release) // the award's notice goes through
	room := f.Room(t, ada, bob, "Logo design").ID
	held.release = make(chan struct{})
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("hired")
	tm.press(keyTab)
	tm.waitText("enter send")
	tm.typeText("alpha")
	tm.press(keyEnter)
	tm.typeText("bravo")
	tm.waitFor("the composer to hold only what was typed after enter", func(s string) bool {
		return strings.Contains(s, "│bravo") && !strings.Contains(s, "alpha")
	})
	close(held.release)
	tm.waitText("Ada · ", "  alpha")
	s := tm.waitText("│bravo")
	if strings.Contains(s, "  bravo") {
		t.Fatalf("the unsent text was posted:\n%s", s)
	}
}
