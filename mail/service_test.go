package mail

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
	"github.com/workroom/workroom/store"
)

// clock is a settable time source, so tests can step past retry delays.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newService returns a service over a real bbolt file in a temp folder.
func newService(t *testing.T) (*workroom.Service, *clock) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "workroom.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	c := &clock{now: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)}
	svc := workroom.NewService(db, live.New(), workroom.Config{MailDomain: "test.localhost", Now: c.Now}, slog.New(slog.DiscardHandler))
	return svc, c
}

// signUp creates an account, which queues its verification mail.
func signUp(t *testing.T, svc *workroom.Service, n int) {
	t.Helper()
	key := workroom.Key{Fingerprint: fmt.Sprintf("SHA256:test%d", n), Authorized: fmt.Sprintf("ssh-ed25519 AAAAtest%d", n)}
	if _, err := svc.SignUp(context.Background(), key, fmt.Sprintf("User %d", n), fmt.Sprintf("user%d@example.com", n)); err != nil {
		t.Fatal(err)
	}
}

// pending returns what the outbox still holds, due within the next day.
func pending(t *testing.T, svc *workroom.Service, c *clock) []workroom.Mail {
	t.Helper()
	c.Add(24 * time.Hour)
	defer c.Add(-24 * time.Hour)
	ms, err := svc.PendingMail(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// runSender runs s until the test ends, and checks it stops cleanly.
func runSender(t *testing.T, s *Sender) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
