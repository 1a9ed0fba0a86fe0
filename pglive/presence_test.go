package pglive_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/pglive"
)

// Present and Online count the sessions of every front end.
func TestPresent_CountsSessionsOnEveryFrontEnd(t *testing.T) {
	at := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	cfg := fast
	cfg.Now = func() time.Time { return at }
	url := newDatabase(t)
	a, b := frontEnd(t, url, cfg), frontEnd(t, url, cfg)
	a1, a2 := subscribe(t, a, 1, 7), subscribe(t, a, 1, 7)
	subscribe(t, b, 1, 7)
	subscribe(t, b, 2, 7)
	for name, h := range map[string]*pglive.Hub{"A": a, "B": b} {
		waitFor(t, 5*time.Second, name+" to count every session", func() bool {
			n, _ := h.Online(1)
			return sessions(h, 7, 1) == 3 && sessions(h, 7, 2) == 1 && n == 3
		})
	}
	a1.Enter(8)
	waitFor(t, 5*time.Second, "B to see A's session move", func() bool { return sessions(b, 7, 1) == 2 && sessions(b, 8, 1) == 1 })
	a1.Close()
	a2.Close()
	waitFor(t, 5*time.Second, "B to see A's sessions end", func() bool {
		n, _ := b.Online(1)
		return sessions(b, 7, 1) == 1 && len(b.Present(8)) == 0 && n == 1
	})
}

// When a user's last session, on another front end, ends, Online says
// when.
func TestOnline_LastSeenOnAnotherFrontEnd(t *testing.T) {
	left := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	cfg := fast
	cfg.Now = func() time.Time { return left }
	url := newDatabase(t)
	a, b := frontEnd(t, url, cfg), frontEnd(t, url, fast)
	s := subscribe(t, a, 1, 0)
	waitFor(t, 5*time.Second, "B to see the session", func() bool { n, _ := b.Online(1); return n == 1 })
	s.Close()
	waitFor(t, 5*time.Second, "B to see it end", func() bool { n, seen := b.Online(1); return n == 0 && seen.Equal(left) })
}

// A front end that starts counts the sessions of those already running
// from the moment Start returns.
func TestStart_LearnsThePresenceOfRunningFrontEnds(t *testing.T) {
	url := newDatabase(t)
	a := frontEnd(t, url, fast)
	subscribe(t, a, 1, 7)
	subscribe(t, a, 2, 0)
	b := frontEnd(t, url, fast)
	if got := sessions(b, 7, 1); got != 1 {
		t.Fatalf("B counts %d sessions of user 1 in room 7, want 1", got)
	}
	if n, _ := b.Online(2); n != 1 {
		t.Fatalf("B counts %d sessions of user 2, want 1", n)
	}
}

// A front end killed (no heartbeat, nothing cleaned up) loses its
// sessions on the others within the dead-after time and a heartbeat, and
// exactly one survivor tells the service who left, and where.
func TestKilledFrontEnd_PresenceClearsAndOneSurvivorTells(t *testing.T) {
	url := newDatabase(t)
	a, b, c := frontEnd(t, url, fast), frontEnd(t, url, fast), frontEnd(t, url, fast)
	var mu sync.Mutex
	var told [][]workroom.Departure
	for _, h := range []*pglive.Hub{b, c} {
		h.OnDeparted(func(gone []workroom.Departure) { mu.Lock(); told = append(told, gone); mu.Unlock() })
	}
	subscribe(t, a, 1, 7)
	subscribe(t, a, 1, 8)
	subscribe(t, a, 2, 0)
	subscribe(t, b, 3, 7)
	for _, h := range []*pglive.Hub{b, c} {
		waitFor(t, 5*time.Second, "A's sessions to show", func() bool { return sessions(h, 7, 1) == 1 && sessions(h, 8, 1) == 1 })
	}
	a.Crash()
	limit := fast.DeadAfter + 2*fast.Heartbeat + time.Second // slack for a crowded machine
	for name, h := range map[string]*pglive.Hub{"B": b, "C": c} {
		took := waitFor(t, limit, name+" to drop A's sessions", func() bool {
			n1, _ := h.Online(1)
			n2, _ := h.Online(2)
			return n1 == 0 && n2 == 0 && len(h.Present(8)) == 0
		})
		t.Logf("%s dropped A's sessions %v after the kill", name, took)
		if here := h.Present(7); len(here) != 1 || here[0].UserID != 3 {
			t.Fatalf("%s: present in room 7 %v, want only user 3 (on B)", name, here)
		}
		if _, seen := h.Online(1); seen.IsZero() {
			t.Fatalf("%s: no last seen for a user of the dead front end", name)
		}
	}
	waitFor(t, 5*time.Second, "a survivor to tell", func() bool { mu.Lock(); defer mu.Unlock(); return len(told) > 0 })
	time.Sleep(5 * fast.Heartbeat) // a second teller would come within a beat or two
	mu.Lock()
	defer mu.Unlock()
	if len(told) != 1 {
		t.Fatalf("told %d times, want once: %v", len(told), told)
	}
	rooms := map[workroom.UserID]int{}
	for _, d := range told[0] {
		rooms[d.UserID] = len(d.Rooms)
	}
	if len(rooms) != 2 || rooms[1] != 2 || rooms[2] != 0 {
		t.Fatalf("departures %+v, want user 1 from rooms 7 and 8, user 2 from none", told[0])
	}
}

// A session the local hub gives up on (stuck) leaves presence on the
// other front ends too.
func TestStuckSession_LeavesPresenceEverywhere(t *testing.T) {
	var mu sync.Mutex
	at := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	cfg := fast
	cfg.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return at }
	url := newDatabase(t)
	a, b := frontEnd(t, url, cfg), frontEnd(t, url, fast)
	stuck := subscribe(t, a, 1, 7)
	told := make(chan struct{})
	stuck.OnDrop(func() { close(told) })
	waitFor(t, 5*time.Second, "B to see the session", func() bool { return sessions(b, 7, 1) == 1 })
	for range 100 {
		a.PublishRoom(marked(1), 7)
	}
	mu.Lock()
	at = at.Add(time.Hour)
	mu.Unlock()
	a.PublishRoom(marked(2), 7)
	select {
	case <-told:
	case <-time.After(5 * time.Second):
		t.Fatal("the stuck session was not dropped")
	}
	waitFor(t, 5*time.Second, "B to see it leave", func() bool { n, _ := b.Online(1); return n == 0 && len(b.Present(7)) == 0 })
}

// terminate cuts a server process's connection, as a network fault would.
func terminate(t *testing.T, url string, pid uint32) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var ok bool
	if err := conn.QueryRow(context.Background(), `SELECT pg_terminate_backend($1)`, int(pid)).Scan(&ok); err != nil || !ok {
		t.Fatalf("terminating the listener: %v %v", ok, err)
	}
}

// A front end whose heartbeat row is gone altogether (PostgreSQL
// restarted and its unlogged rows with it, and the front end never beat
// again) is dropped too.
func TestFrontEndWithNoHeartbeatRow_IsDropped(t *testing.T) {
	url := newDatabase(t)
	a, b := frontEnd(t, url, fast), frontEnd(t, url, fast)
	subscribe(t, a, 1, 7)
	waitFor(t, 5*time.Second, "B to see A's session", func() bool { return sessions(b, 7, 1) == 1 })
	a.Crash()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DELETE FROM live_frontends WHERE id <> $1`, b.Origin()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "B to drop A's session", func() bool { return len(b.Present(7)) == 0 })
}
