package workroom_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/workroomtest"
)

// watchers is how many live sessions watch the one room in
// BenchmarkPost_Watched: a meeting, a big team.
const watchers = 100

// countingReads counts the store calls a live session's read path makes.
type countingReads struct {
	*store.DB
	roomsOf, markRead atomic.Int64
}

func (s *countingReads) RoomsOf(ctx context.Context, id workroom.UserID, before uint64, limit int) ([]workroom.Membership, error) {
	s.roomsOf.Add(1)
	return s.DB.RoomsOf(ctx, id, before, limit)
}

func (s *countingReads) MarkRead(ctx context.Context, marks []workroom.ReadMark) error {
	s.markRead.Add(1)
	return s.DB.MarkRead(ctx, marks)
}

// BenchmarkPost_Watched posts into a room that 100 sessions of its
// freelancer watch, each doing what the TUI does with every event. ns/op
// is the post's latency; the metrics say what each watching session did
// per posted message.
func BenchmarkPost_Watched(b *testing.B) {
	var cs *countingReads
	w := workroomtest.New(b, workroomtest.WithRealClock(), workroomtest.WithStore(func(db *store.DB) workroom.Store {
		cs = &countingReads{DB: db}
		return cs
	}))
	client, free := w.SignUp(b, "client"), w.SignUp(b, "free")
	room := w.Room(b, client, free, "Meeting").ID
	ctx := workroomtest.As(free)
	var updates, seen, stale atomic.Int64
	var wg sync.WaitGroup
	subs := make([]*workroom.Session, watchers)
	for i := range subs {
		sub, err := w.Svc.Subscribe(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Svc.Enter(ctx, sub, room); err != nil {
			b.Fatal(err)
		}
		subs[i] = sub
	}
	for _, sub := range subs {
		drain(sub)
		wg.Go(func() { watch(ctx, w.Svc, sub, room, &updates, &seen, &stale) })
	}
	poster := workroomtest.As(client)
	cs.roomsOf.Store(0)
	cs.markRead.Store(0)
	posted := 0
	for b.Loop() {
		if _, err := w.Svc.Post(poster, room, "a message for the meeting", workroom.SourceCommand); err != nil {
			b.Fatal(err)
		}
		posted++
	}
	deadline := time.Now().Add(30 * time.Second)
	for seen.Load() < int64(posted*watchers) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // let the trailing reloads land
	counted := updates.Load()         // before the sessions leave (presence events)
	for _, s := range subs {
		s.Close()
	}
	wg.Wait()
	per := float64(posted * watchers)
	b.ReportMetric(float64(counted)/per, "updates/session/msg")
	b.ReportMetric(float64(cs.roomsOf.Load())/per, "Rooms/session/msg")
	b.ReportMetric(float64(cs.markRead.Load())/float64(posted), "MarkRead-writes/msg")
	b.ReportMetric(float64(stale.Load()), "stale")
}

// watch is what the TUI does with each event: a message is shown and
// marked read, a row replaces its row; only a stale mark reloads the list.
// (Before events carried rows, every message and read event reloaded the
// list: 2 events and 2 Rooms calls per session per message, 137 ms per
// post with 100 watchers and 100 synced MarkRead commits per message.)
func watch(ctx context.Context, svc *workroom.Service, sub *workroom.Session, room workroom.RoomID, updates, seen, stale *atomic.Int64) {
	for {
		select {
		case ev, ok := <-sub.Events():
			if !ok {
				return
			}
			updates.Add(1)
			if ev.Kind == workroom.EventMessage {
				_ = svc.MarkRead(ctx, room, ev.Message.ID)
				seen.Add(1)
			}
		case <-sub.Stale():
			stale.Add(1)
			_, _ = svc.Rooms(ctx, 0, workroom.DefaultPageSize)
		}
	}
}

// drain empties what a session was told before the measurement starts
// (others entering the room), and forgets that it overflowed meanwhile.
func drain(sub *workroom.Session) {
	for {
		select {
		case <-sub.Events():
		case <-sub.Stale():
		default:
			return
		}
	}
}
