package postgres_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
)

// The store's side of the figures issue 12 asks for (bench/README.md):
// the newest page at 10, 10,000 and 100,000 messages, and posts per
// second with 8 and 32 writers. The test cluster runs with fsync off,
// so these measure the store's queries and round trips, not the disk.

// benchStore opens a store on a fresh database with a client, a
// freelancer and rooms awarded between them.
func benchStore(b *testing.B, rooms int) (*postgres.DB, []*workroom.Room, workroom.UserID) {
	b.Helper()
	db, err := postgres.Open(ctx, pgtest.NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	var users []workroom.UserID
	for _, name := range []string{"client", "free"} {
		u := &workroom.User{Name: name, Email: name + "@example.com", Created: time.Now()}
		if err := db.CreateUser(ctx, u, workroom.Key{Fingerprint: "SHA256:" + name, Added: time.Now()}, workroom.Verification{}, nil); err != nil {
			b.Fatal(err)
		}
		users = append(users, u.ID)
	}
	var out []*workroom.Room
	for range rooms {
		j := &workroom.Job{ClientID: users[0], Title: "bench", Status: workroom.JobOpen, Created: time.Now()}
		if err := db.CreateJob(ctx, j); err != nil {
			b.Fatal(err)
		}
		p := &workroom.Proposal{JobID: j.ID, FreelancerID: users[1], Text: "me", Created: time.Now()}
		if err := db.CreateProposal(ctx, p); err != nil {
			b.Fatal(err)
		}
		r := &workroom.Room{JobID: j.ID, Title: "bench", Created: time.Now(), LastActivity: time.Now()}
		if err := db.Award(ctx, j.ID, p.ID, r, []workroom.Member{
			{UserID: users[0], Role: workroom.RoleClient, Joined: time.Now()},
			{UserID: users[1], Role: workroom.RoleFreelancer, Joined: time.Now()},
		}); err != nil {
			b.Fatal(err)
		}
		out = append(out, r)
	}
	return db, out, users[1]
}

// BenchmarkPage is the newest page of DefaultPageSize messages of rooms
// of each size. The messages are loaded in one statement.
func BenchmarkPage(b *testing.B) {
	for _, n := range []int{10, 10_000, 100_000} {
		b.Run(fmt.Sprintf("messages=%d", n), func(b *testing.B) {
			db, rooms, author := benchStore(b, 1)
			r := rooms[0]
			_, err := db.Pool().Exec(ctx, `INSERT INTO messages (room_id, id, author_id, author_name, body, source, created)
				SELECT $1, i, $2, 'free', 'message ' || i || ': the quick brown fox jumps over the lazy dog', 'command', now()
				FROM generate_series(1, $3::bigint) i`, r.ID, author, n)
			if err == nil {
				_, err = db.Pool().Exec(ctx, `UPDATE rooms SET last_seq = $2 WHERE id = $1`, r.ID, n)
			}
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				page, err := db.Page(ctx, r.ID, 0, workroom.DefaultPageSize)
				if err != nil || len(page) != min(n, workroom.DefaultPageSize) || page[0].ID != uint64(n) {
					b.Fatalf("page of %d, %v", len(page), err)
				}
			}
		})
	}
}

// BenchmarkAppend is posting with 8 and 32 writers at once, each into a
// room of its own and all into one room (where appends queue on the
// room's row); it reports posts/s.
func BenchmarkAppend(b *testing.B) {
	for _, writers := range []int{8, 32} {
		for _, shared := range []bool{false, true} {
			name := fmt.Sprintf("writers=%d/rooms=%d", writers, writers)
			if shared {
				name = fmt.Sprintf("writers=%d/rooms=1", writers)
			}
			b.Run(name, func(b *testing.B) {
				nrooms := writers
				if shared {
					nrooms = 1
				}
				db, rooms, author := benchStore(b, nrooms)
				var next atomic.Int64
				var wg sync.WaitGroup
				b.ResetTimer()
				start := time.Now()
				for w := range writers {
					r := rooms[w%len(rooms)]
					wg.Go(func() {
						for next.Add(1) <= int64(b.N) {
							m := &workroom.Message{RoomID: r.ID, AuthorID: author, AuthorName: "free", Body: "a new message", Source: workroom.SourceCommand, Created: time.Now()}
							if _, _, err := db.AppendMessage(ctx, m, nil); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "posts/s")
			})
		}
	}
}
