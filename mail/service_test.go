package mail

import (
	"context"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// newWorld returns a service over a real bbolt file in a temp folder, its
// clock stopped at a known instant, so file names and retry delays are
// known.
func newWorld(t *testing.T) *workroomtest.World {
	return workroomtest.New(t, workroomtest.WithStart(time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)))
}

// pending returns what the outbox still holds, due within the next day.
func pending(t *testing.T, w *workroomtest.World) []workroom.Mail {
	t.Helper()
	w.Advance(24 * time.Hour)
	defer w.Advance(-24 * time.Hour)
	ms, err := w.Outbox.Pending(context.Background(), 100)
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
