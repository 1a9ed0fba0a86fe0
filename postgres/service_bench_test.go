package postgres_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/workroomtest"
)

// The figures of issue 12, side by side: the same service over bbolt and
// over PostgreSQL. Run with every commit on disk on both sides:
//
//	PGTEST_DURABLE=1 go test -run '^$' -bench . -benchtime 2s ./postgres/
//
// (make bench-postgres). Rooms are filled with commits not waiting for
// the disk, then the store is opened again as in production.

// backend makes a fresh, empty store location for each benchmark and
// opens it: fast for filling (commits need not reach the disk), then
// durable.
type backend struct {
	name  string
	fresh func(b *testing.B) func(fill bool) workroom.Store
}

var backends = []backend{
	{"bbolt", func(b *testing.B) func(bool) workroom.Store {
		path := filepath.Join(b.TempDir(), "workroom.db")
		return func(fill bool) workroom.Store {
			var opts []store.Option
			if fill {
				opts = append(opts, store.NoSync())
			}
			db, err := store.Open(path, opts...)
			if err != nil {
				b.Fatal(err)
			}
			return db
		}
	}},
	{"postgres", func(b *testing.B) func(bool) workroom.Store {
		url := pgtest.NewDatabase(b)
		return func(fill bool) workroom.Store {
			u := url
			if fill {
				u += "&synchronous_commit=off"
			}
			db, err := postgres.Open(context.Background(), u)
			if err != nil {
				b.Fatal(err)
			}
			return db
		}
	}},
}

// closer is what both stores have.
type closer interface{ Close() error }

var roomSizes = []int{10, 10_000, 100_000}

// world is a service over a store with rooms of n messages each.
type world struct {
	svc   *workroom.Service
	rooms []workroom.RoomID
	ctxs  []context.Context // the client of each room
}

func newService(db workroom.Store) *workroom.Service {
	return workroom.NewService(db, live.New(), workroom.Config{Limits: workroom.NoLimits}, slog.New(slog.DiscardHandler))
}

// fill makes rooms rooms of n messages, then reopens the store durable.
func fill(b *testing.B, be backend, rooms, n int) *world {
	b.Helper()
	open := be.fresh(b)
	db := open(true)
	svc := newService(db)
	var ids []workroom.RoomID
	var frees []context.Context
	for i := range rooms {
		client := signUp(b, svc, fmt.Sprintf("client%d", i))
		free := signUp(b, svc, fmt.Sprintf("free%d", i))
		j, err := svc.PostJob(client, "Bench", "")
		if err != nil {
			b.Fatal(err)
		}
		p, err := svc.Propose(free, j.ID, "me")
		if err != nil {
			b.Fatal(err)
		}
		r, err := svc.Award(client, j.ID, p.ID)
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, r.ID)
		frees = append(frees, free)
	}
	var wg sync.WaitGroup
	for k, id := range ids {
		wg.Go(func() {
			ctx := frees[k]
			for i := range n {
				if _, err := svc.Post(ctx, id, fmt.Sprintf("message %d: the quick brown fox jumps over the lazy dog", i), workroom.SourceCommand); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	_ = db.(closer).Close()
	db = open(false)
	b.Cleanup(func() { _ = db.(closer).Close() })
	w := &world{svc: newService(db), rooms: ids}
	for i := range ids {
		w.ctxs = append(w.ctxs, asUser(b, w.svc, fmt.Sprintf("client%d", i)))
	}
	return w
}

func signUp(b *testing.B, svc *workroom.Service, name string) context.Context {
	u, err := svc.SignUp(context.Background(), workroomtest.Key(name), name, workroomtest.Email(name))
	if err != nil {
		b.Fatal(err)
	}
	return workroom.NewContextWithUser(context.Background(), u)
}

func asUser(b *testing.B, svc *workroom.Service, name string) context.Context {
	id, err := svc.Authenticate(context.Background(), workroomtest.Key(name))
	if err != nil {
		b.Fatal(err)
	}
	return workroom.NewContextWithUser(context.Background(), id.User)
}

// BenchmarkFirstPage is opening a room: its newest page of
// DefaultPageSize messages.
func BenchmarkFirstPage(b *testing.B) {
	for _, be := range backends {
		for _, n := range roomSizes {
			b.Run(fmt.Sprintf("%s/messages=%d", be.name, n), func(b *testing.B) {
				w := fill(b, be, 1, n)
				for b.Loop() {
					p, err := w.svc.Messages(w.ctxs[0], w.rooms[0], 0, workroom.DefaultPageSize)
					if err != nil || len(p.Messages) != min(n+1, workroom.DefaultPageSize) { // n posts and the award's notice
						b.Fatalf("page of %d, %v", len(p.Messages), err)
					}
				}
			})
		}
	}
}

// BenchmarkPostWriters is posting from many writers at once, each into a
// room of its own (a busy server has many rooms, each with a little
// traffic) or all into one room. The figure to read is posts/s.
func BenchmarkPostWriters(b *testing.B) {
	for _, be := range backends {
		for _, writers := range []int{1, 8, 32} {
			for _, shared := range []bool{false, true} {
				where := "own-rooms"
				if shared {
					where = "one-room"
				}
				b.Run(fmt.Sprintf("%s/writers=%d/%s", be.name, writers, where), func(b *testing.B) {
					rooms := writers
					if shared {
						rooms = 1
					}
					w := fill(b, be, rooms, 10)
					var next sync.Mutex
					turn := 0
					b.ResetTimer()
					benchParallel(b, writers, func() (context.Context, workroom.RoomID) {
						next.Lock()
						defer next.Unlock()
						i := turn % rooms
						turn++
						return w.ctxs[i], w.rooms[i]
					}, w.svc)
				})
			}
		}
	}
}

// benchParallel runs b.N posts spread over writers goroutines and reports
// posts per second.
func benchParallel(b *testing.B, writers int, pick func() (context.Context, workroom.RoomID), svc *workroom.Service) {
	work := make(chan struct{}, writers)
	var wg sync.WaitGroup
	for range writers {
		ctx, room := pick()
		wg.Go(func() {
			for range work {
				if _, err := svc.Post(ctx, room, "a new message in a busy room", workroom.SourceCommand); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for range b.N {
		work <- struct{}{}
	}
	close(work)
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}
