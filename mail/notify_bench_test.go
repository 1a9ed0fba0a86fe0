package mail

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/mail/relaytest"
	"github.com/workroom/workroom/workroomtest"
)

// BenchmarkNotify_PostedToRelay measures notification throughput: b.N
// messages posted in a room of two verified members, each mailing the
// other member a notification, delivered by a running Sender to a relay
// stand-in on loopback; the store is a real bbolt file with synced
// commits. It reports notifications delivered per second, from the first
// post to the relay accepting the last notification. Posts come from
// -cpu-many goroutines at once (b.RunParallel), so delivery overlaps
// posting as it does on a busy server.
func BenchmarkNotify_PostedToRelay(b *testing.B) {
	w := workroomtest.New(b, workroomtest.WithRealClock())
	ada, bob := verifiedMember(b, w, "Ada"), verifiedMember(b, w, "Bob")
	room := w.Room(b, ada, bob, "Throughput").ID
	relay := relaytest.Start(b, relaytest.Options{})
	s := NewSender(SenderConfig{Relay: relay.Addr, Hostname: "bench.localhost"}, w.Outbox, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()
	// The codes and the hiring notice go first, outside the timing.
	waitOutboxEmpty(b, w, relay)
	base := len(relay.Accepted())

	as := workroomtest.As(ada)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := w.Svc.Post(as, room, "a note for the benchmark", workroom.SourceCommand); err != nil {
				b.Error(err)
				return
			}
		}
	})
	posted := time.Since(start)
	waitAccepted(b, relay, base+b.N)
	all := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/posted.Seconds(), "posts/s")
	b.ReportMetric(float64(b.N)/all.Seconds(), "notifications/s")
	b.ReportMetric(0, "ns/op")
}

// verifiedMember signs name up and verifies the address with the mailed
// code, so they are notified.
func verifiedMember(b *testing.B, w *workroomtest.World, name string) *workroom.Identity {
	b.Helper()
	id := w.SignUp(b, name)
	if err := w.Svc.Verify(workroomtest.As(id), w.Code(b, workroomtest.Email(name))); err != nil {
		b.Fatal(err)
	}
	return id
}

// waitOutboxEmpty waits until the sender delivered everything queued,
// looking again at every mail the relay answers and every 10 ms (a mail
// leaves the outbox just after the relay accepted it).
func waitOutboxEmpty(b *testing.B, w *workroomtest.World, relay *relaytest.Relay) {
	b.Helper()
	deadline := time.After(time.Minute)
	for {
		changed := relay.Changed()
		ms, err := w.Outbox.Pending(context.Background(), 1)
		if err != nil {
			b.Fatal(err)
		}
		if len(ms) == 0 {
			return
		}
		select {
		case <-changed:
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			b.Fatal("the outbox did not empty")
		}
	}
}

// waitAccepted waits until the relay accepted n mails.
func waitAccepted(b *testing.B, relay *relaytest.Relay, n int) {
	b.Helper()
	deadline := time.After(5 * time.Minute)
	for {
		changed := relay.Changed()
		if len(relay.Accepted()) >= n {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			b.Fatalf("the relay accepted %d of %d mails", len(relay.Accepted()), n)
		}
	}
}
