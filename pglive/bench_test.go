package pglive_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// BenchmarkLive_CrossFrontEnd measures an event's way from Publish on
// front end A to a session's queue on front end B over one PostgreSQL:
// INSERT + NOTIFY on A's side, the notification, the row read back by id
// on B's. One event at a time, so each figure is a latency; run with
// -benchtime=2000x for a stable p99.
func BenchmarkLive_CrossFrontEnd(b *testing.B) {
	a, bh, _ := frontEnds(b)
	sub := subscribe(b, bh, 1, 0)
	ev := workroom.Event{Kind: workroom.EventMessage, RoomID: 7,
		Message: &workroom.Message{RoomID: 7, Body: "a message of an ordinary length, a line or two of text", Source: workroom.SourceTerminal}}
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		a.Publish(ev, []workroom.UserID{1})
		receive(b, sub)
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	report(b, took)
}

// BenchmarkLive_BareNotify is the floor under BenchmarkLive_CrossFrontEnd:
// a NOTIFY carrying a short payload from one connection to another
// LISTENing, nothing stored or read back.
func BenchmarkLive_BareNotify(b *testing.B) {
	url := newDatabase(b)
	send, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer send.Close(ctx)
	listen, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer listen.Close(ctx)
	if _, err := listen.Exec(ctx, "LISTEN bench"); err != nil {
		b.Fatal(err)
	}
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := send.Exec(ctx, "SELECT pg_notify('bench', '0123456789abcdef 42')"); err != nil {
			b.Fatal(err)
		}
		if _, err := listen.WaitForNotification(ctx); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	report(b, took)
}

// report gives the median and the 99th percentile of took.
func report(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "median-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkLive_CrossFrontEndUnderLoad spreads 1,000 sessions over two
// front ends (500 users with a session on each) and has 8 writers on A
// publish b.N events, each to one user's two sessions as a post in a room
// of two does, each writer one event every 2 ms (4,000 events a second
// in all; a post costs a synced commit, so a front end's writers cannot
// go much faster). It reports the latency from Publish on A to the
// session's queue on B (median, p99), the rate B received them at, and
// how many never arrived (dropped when A's queue to the database was
// full).
func BenchmarkLive_CrossFrontEndUnderLoad(b *testing.B) {
	const users, writers, every = 500, 8, 2 * time.Millisecond
	a, bh, _ := frontEnds(b)
	var mu sync.Mutex
	took := make([]time.Duration, 0, b.N)
	for u := range users {
		drain(b, subscribe(b, a, workroom.UserID(u+1), 0), nil)
		drain(b, subscribe(b, bh, workroom.UserID(u+1), 0), func(ev workroom.Event) {
			d := time.Since(ev.Message.Created)
			mu.Lock()
			took = append(took, d)
			mu.Unlock()
		})
	}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < b.N; i += writers {
				ev := workroom.Event{Kind: workroom.EventMessage, RoomID: 7,
					Message: &workroom.Message{RoomID: 7, ID: uint64(i), Body: "a message of an ordinary length", Created: time.Now()}}
				a.Publish(ev, []workroom.UserID{workroom.UserID(i%users + 1)})
				time.Sleep(every)
			}
		}()
	}
	wg.Wait()
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(took) }
	for deadline := time.Now().Add(10 * time.Second); count() < b.N && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	mu.Lock()
	defer mu.Unlock()
	b.ReportMetric(float64(len(took))/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(b.N-len(took)), "lost")
	report(b, took)
}

// drain reads a session's events on a goroutine of its own, as a
// terminal's pump does, handing each to f (when not nil).
func drain(b *testing.B, s workroom.Subscription, f func(workroom.Event)) {
	go func() {
		for ev := range s.Events() {
			if f != nil {
				f(ev)
			}
		}
	}()
}
