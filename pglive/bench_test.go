package pglive_test

import (
	"slices"
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
