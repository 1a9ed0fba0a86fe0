package pglive_test

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/pglive"
	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var ctx = context.Background()

// fast is a heartbeat quick enough to test: a killed front end's people
// leave within about a second, yet a beat late on a crowded machine
// drops nobody.
var fast = pglive.Config{Heartbeat: 100 * time.Millisecond, DeadAfter: time.Second, Log: testLog()}

// newDatabase makes an empty, migrated database and returns its URL.
func newDatabase(t testing.TB) string {
	t.Helper()
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	return url
}

// frontEnd starts a hub on a pool of its own over the database at url, as
// a `workroom serve` process would; it leaves when the test ends.
func frontEnd(t testing.TB, url string, cfg pglive.Config) *pglive.Hub {
	t.Helper()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	h, err := pglive.Start(ctx, pool, cfg)
	if err != nil {
		pool.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = h.Close()
		pool.Close()
	})
	return h
}

// frontEnds starts two hubs over one fresh database.
func frontEnds(t testing.TB) (a, b *pglive.Hub, url string) {
	url = newDatabase(t)
	return frontEnd(t, url, fast), frontEnd(t, url, fast), url
}

// subscribe is a session of user on h, in room (0: none), closed when the
// test ends.
func subscribe(t testing.TB, h workroom.Hub, user workroom.UserID, room workroom.RoomID) workroom.Subscription {
	s := h.Subscribe(user)
	if room != 0 {
		s.Enter(room)
	}
	t.Cleanup(s.Close)
	return s
}

// receive returns the subscription's next event; it fails the test after
// a few seconds.
func receive(t testing.TB, s workroom.Subscription) workroom.Event {
	t.Helper()
	select {
	case ev, ok := <-s.Events():
		if !ok {
			t.Fatal("the subscription closed")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
	}
	return workroom.Event{}
}

// none fails if the subscription has an event waiting.
func none(t testing.TB, s workroom.Subscription) {
	t.Helper()
	select {
	case ev := <-s.Events():
		t.Fatalf("unexpected event %+v", ev)
	default:
	}
}

// marked is an event told apart by its message id.
func marked(id uint64) workroom.Event {
	return workroom.Event{Kind: workroom.EventMessage, RoomID: 7, Message: &workroom.Message{RoomID: 7, ID: id}}
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t testing.TB, limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

// sessions is how many sessions of user Present(room) counts on h.
func sessions(h workroom.Hub, room workroom.RoomID, user workroom.UserID) int {
	for _, here := range h.Present(room) {
		if here.UserID == user {
			return here.Sessions
		}
	}
	return 0
}

// testLog is where the hubs log: nowhere, unless PGLIVE_LOG is set.
func testLog() *slog.Logger {
	if os.Getenv("PGLIVE_LOG") == "" {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}
