package postgres_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
	"github.com/workroom/workroom/workroomtest"
)

// frontEnds opens n stores over one empty database, each with its own
// connections, as n front ends would.
func frontEnds(t *testing.T, n int) []*postgres.DB {
	return frontEndsAt(t, pgtest.NewDatabase(t), n)
}

// frontEndsAt opens n stores over the database at url.
func frontEndsAt(t *testing.T, url string, n int) []*postgres.DB {
	dbs := make([]*postgres.DB, n)
	for i := range dbs {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		dbs[i] = db
	}
	return dbs
}

var sharedT0 = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// TestLimiter_FrontEndsShareOneBudget: two front ends' limiters draw on
// one budget per key, taking turns or all at once: exactly the burst is
// allowed between them, the next is refused with the wait, and another
// key has its own budget.
func TestLimiter_FrontEndsShareOneBudget(t *testing.T) {
	dbs := frontEnds(t, 2)
	a, b := postgres.NewLimiter(dbs[0]), postgres.NewLimiter(dbs[1])
	rate := workroom.Rate{N: 10, Per: time.Hour}
	for i := range 10 {
		l := []*postgres.Limiter{a, b}[i%2]
		if wait, err := l.Allow(ctx, "message:user:1", rate, sharedT0); err != nil || wait != 0 {
			t.Fatalf("event %d: wait %v, %v; want allowed", i+1, wait, err)
		}
	}
	for _, l := range []*postgres.Limiter{a, b} {
		if wait, err := l.Allow(ctx, "message:user:1", rate, sharedT0); err != nil || wait != 6*time.Minute {
			t.Fatalf("the 11th event: wait %v, %v; want refused, 6m to wait", wait, err)
		}
	}
	if wait, _ := b.Allow(ctx, "message:user:2", rate, sharedT0); wait != 0 {
		t.Fatal("another key was refused")
	}
	if wait, _ := a.Allow(ctx, "message:user:1", rate, sharedT0.Add(6*time.Minute)); wait != 0 {
		t.Fatal("refused once a token came back")
	}

	var allowed atomic.Int64
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			wait, err := []*postgres.Limiter{a, b}[i%2].Allow(ctx, "session:addr:192.0.2.7", rate, sharedT0)
			if err != nil {
				t.Error(err)
			}
			if wait == 0 {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if allowed.Load() != 10 {
		t.Fatalf("%d of 40 racing events allowed across two front ends; want exactly 10", allowed.Load())
	}
}

// TestLimiter_DecidesAsTheMemoryLimiter: the same events at the same
// times get the same answers from the database as from one process's
// limiter, bursts and refills included.
func TestLimiter_DecidesAsTheMemoryLimiter(t *testing.T) {
	pg := postgres.NewLimiter(frontEnds(t, 1)[0])
	mem := workroom.NewMemoryLimiter(0)
	rate := workroom.Rate{N: 3, Per: time.Minute, Burst: 5}
	now := sharedT0
	for i, gap := range []time.Duration{0, 0, 0, 0, 0, 0, time.Second, 19 * time.Second, 0, 20 * time.Second, time.Hour, 0, 0, 0, 0, 0, 0} {
		now = now.Add(gap)
		want, _ := mem.Allow(ctx, "k", rate, now)
		got, err := pg.Allow(ctx, "k", rate, now)
		if err != nil || got != want {
			t.Fatalf("event %d at +%v: postgres says %v, %v; memory says %v", i, now.Sub(sharedT0), got, err, want)
		}
	}
}

// TestAccountConns_FrontEndsShareOneCount: the connections of one
// account held on two front ends count together, racing or not; a
// release makes room on either.
func TestAccountConns_FrontEndsShareOneCount(t *testing.T) {
	dbs := frontEnds(t, 2)
	a, b := postgres.NewAccountConns(dbs[0], 0), postgres.NewAccountConns(dbs[1], 0)
	hold := func(c *postgres.AccountConns, user workroom.UserID) (func(context.Context) error, bool) {
		t.Helper()
		release, ok, err := c.Hold(ctx, user, 3)
		if err != nil {
			t.Fatal(err)
		}
		return release, ok
	}
	first, _ := hold(a, 1)
	hold(a, 1)
	if _, ok := hold(b, 1); !ok {
		t.Fatal("the third connection refused; the most is 3")
	}
	for name, c := range map[string]*postgres.AccountConns{"a": a, "b": b} {
		if _, ok := hold(c, 1); ok {
			t.Fatalf("a fourth connection let in on front end %s", name)
		}
	}
	if _, ok := hold(b, 2); !ok {
		t.Fatal("another account refused")
	}
	if err := first(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := hold(b, 1); !ok {
		t.Fatal("refused after a connection on the other front end closed")
	}

	var held atomic.Int64
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			_, ok, err := []*postgres.AccountConns{a, b}[i%2].Hold(ctx, 3, 5)
			if err != nil {
				t.Error(err)
			}
			if ok {
				held.Add(1)
			}
		})
	}
	wg.Wait()
	if held.Load() != 5 {
		t.Fatalf("%d of 40 racing connections held; want exactly 5", held.Load())
	}
}

// TestAccountConns_DeadFrontEndsConnectionsExpire: a front end whose
// heartbeat stopped (killed) stops counting against the account once its
// holds expire; one whose heartbeat runs keeps counting past the expiry.
func TestAccountConns_DeadFrontEndsConnectionsExpire(t *testing.T) {
	const expiry = 600 * time.Millisecond
	dbs := frontEnds(t, 3)
	alive, dead, other := postgres.NewAccountConns(dbs[0], expiry), postgres.NewAccountConns(dbs[1], expiry), postgres.NewAccountConns(dbs[2], expiry)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go alive.Run(runCtx)
	if _, ok, err := alive.Hold(ctx, 1, 2); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if _, ok, err := dead.Hold(ctx, 1, 2); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if _, ok, _ := other.Hold(ctx, 1, 2); ok {
		t.Fatal("a third connection let in; the most is 2")
	}
	start := time.Now()
	workroomtest.WaitUntil(t, "the dead front end's connection to expire", func() bool {
		_, ok, err := other.Hold(ctx, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	})
	if time.Since(start) < expiry/2 {
		t.Fatalf("a connection left the count after %v, before its expiry (%v)", time.Since(start), expiry)
	}
	workroomtest.WaitUntil(t, "three expiries to pass", func() bool { return time.Since(start) > 3*expiry })
	if _, ok, _ := other.Hold(ctx, 1, 1); ok { // the other's own holds expired too: only the live one's counts
		t.Fatal("the live front end's connection left the count though its heartbeat runs")
	}
}

// TestSweepLock_OneFrontEndAtATime: while one front end sweeps, another's
// sweep — the timer's or `admin sweep` — says one is running elsewhere;
// a front end that dies mid-sweep frees the lock with its connection.
func TestSweepLock_OneFrontEndAtATime(t *testing.T) {
	dbs := frontEnds(t, 2)
	a, b := postgres.NewSweepLock(dbs[0]), postgres.NewSweepLock(dbs[1])
	unlock, ok, err := a.TryLock(ctx)
	if err != nil || !ok {
		t.Fatalf("the first lock: %v, %v", ok, err)
	}
	if _, ok, _ := a.TryLock(ctx); ok {
		t.Fatal("a second sweep on the same front end took the lock")
	}
	w := workroomtest.New(t, workroomtest.WithSweepLock(b))
	if _, err := w.Svc.Sweep(ctx); workroom.ErrorCode(err) != workroom.ECONFLICT {
		t.Fatalf("a sweep on the other front end: %v; want ECONFLICT, running elsewhere", err)
	}
	unlock()
	if _, err := w.Svc.Sweep(ctx); err != nil {
		t.Fatalf("a sweep once the first ended: %v", err)
	}
	unlock, ok, _ = a.TryLock(ctx)
	if !ok {
		t.Fatal("the lock was not given back")
	}
	defer unlock() // gives the dead connection back, so the pool can close
	// The front end holding the lock dies: PostgreSQL sees its
	// connection end.
	if _, err := dbs[1].Pool().Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`); err != nil {
		t.Fatal(err)
	}
	workroomtest.WaitUntil(t, "the dead front end's lock to go", func() bool {
		unlock, ok, err := b.TryLock(ctx)
		if ok {
			unlock()
		}
		return err == nil && ok
	})
}

// TestClaimMail_FrontEndsClaimDisjointMail: senders on two front ends
// claiming at once get disjoint mails, every mail once; a claimed mail is
// due again when its lease ends.
func TestClaimMail_FrontEndsClaimDisjointMail(t *testing.T) {
	dbs := frontEnds(t, 2)
	const mails = 60
	for i := range mails {
		if _, err := dbs[0].Pool().Exec(ctx, `INSERT INTO outbox (to_addr, created, next_try) VALUES ($1, $2, $2)`, fmt.Sprintf("m%d@example.com", i), sharedT0); err != nil {
			t.Fatal(err)
		}
	}
	until := sharedT0.Add(workroom.MailLease)
	var mu sync.Mutex
	claimed := make(map[uint64]int)
	var wg sync.WaitGroup
	for sender := range 4 {
		wg.Go(func() {
			for {
				ms, err := dbs[sender%2].ClaimMail(ctx, sharedT0, until, 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ms) == 0 {
					return
				}
				mu.Lock()
				for _, m := range ms {
					if other, ok := claimed[m.ID]; ok {
						t.Errorf("mail %d claimed by senders %d and %d", m.ID, other, sender)
					}
					claimed[m.ID] = sender
					if !m.NextTry.Equal(until) || !m.Created.Equal(sharedT0) {
						t.Errorf("claimed mail %+v; want NextTry at the lease's end", m)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(claimed) != mails {
		t.Fatalf("%d mails claimed, want %d", len(claimed), mails)
	}
	if again, _ := dbs[1].ClaimMail(ctx, until.Add(-time.Nanosecond), until.Add(time.Hour), mails); len(again) != 0 {
		t.Fatalf("%d mails claimed again before the lease ended", len(again))
	}
	if again, _ := dbs[1].ClaimMail(ctx, until, until.Add(time.Hour), mails); len(again) != mails {
		t.Fatalf("%d mails due again after the lease, want %d", len(again), mails)
	}
}

// TestCaps_FrontEndsShareTheDailyCaps: the verification caps are tallies
// in the store, so codes tried through two front ends count against one
// cap: the attempts a day allows, taken turn about on two services over
// one database, and the next is refused on either.
func TestCaps_FrontEndsShareTheDailyCaps(t *testing.T) {
	dbs := frontEnds(t, 2)
	now := func() time.Time { return sharedT0 }
	svcs := make([]*workroom.Service, len(dbs))
	for i, db := range dbs {
		svcs[i] = workroom.NewService(db, live.New(), workroom.Config{Now: now, Limits: workroom.NoLimits}, slog.New(slog.DiscardHandler))
		t.Cleanup(func() { _ = svcs[i].Close(context.Background()) })
	}
	u, err := svcs[0].SignUp(ctx, workroomtest.Key("ada"), "Ada", "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	as := workroom.NewContextWithUser(ctx, u)
	for i := range workroom.MaxVerifyAttemptsPerAccount {
		if err := svcs[i%2].Verify(as, "000000"); workroom.ErrorCode(err) != workroom.EINVALID {
			t.Fatalf("wrong code %d: %v; want EINVALID", i+1, err)
		}
	}
	for i, svc := range svcs {
		err := svc.Verify(as, "000000")
		if workroom.ErrorCode(err) != workroom.ELIMIT || !strings.Contains(workroom.ErrorMessage(err), "the most a day allows") {
			t.Fatalf("front end %d, one code over the cap: %v; want ELIMIT", i, err)
		}
	}
}
