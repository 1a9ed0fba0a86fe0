package workroom_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/workroomtest"
)

// roomSizes are the room sizes the issue asks about: opening a room must
// not get slower as it grows.
var roomSizes = []int{10, 10_000, 100_000}

// benchRoom returns a service over a fresh store (synced commits, as in
// production) holding a room with n messages, and the client's context.
// The messages are loaded with fsync off, then the store is reopened.
func benchRoom(b *testing.B, n int) (*workroom.Service, context.Context, workroom.RoomID) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "workroom.db")
	db, err := store.Open(path, store.NoSync())
	if err != nil {
		b.Fatal(err)
	}
	svc := workroom.NewService(db, live.New(), workroom.Config{Limits: workroom.NoLimits}, slog.New(slog.DiscardHandler))
	client := signUpBench(b, svc, "client")
	free := signUpBench(b, svc, "free")
	j, _ := svc.PostJob(client, "Bench", "")
	p, _ := svc.Propose(free, j.ID, "me")
	r, err := svc.Award(client, j.ID, p.ID)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if _, err := svc.Post(free, r.ID, fmt.Sprintf("message %d: the quick brown fox jumps over the lazy dog", i), workroom.SourceCommand); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	db, err = store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	svc = workroom.NewService(db, live.New(), workroom.Config{Limits: workroom.NoLimits}, slog.New(slog.DiscardHandler))
	id, err := svc.Authenticate(context.Background(), workroomtest.Key("client"))
	if err != nil {
		b.Fatal(err)
	}
	return svc, workroom.NewContextWithUser(context.Background(), id.User), r.ID
}

func signUpBench(b *testing.B, svc *workroom.Service, name string) context.Context {
	u, err := svc.SignUp(context.Background(), workroomtest.Key(name), name, workroomtest.Email(name))
	if err != nil {
		b.Fatal(err)
	}
	return workroom.NewContextWithUser(context.Background(), u)
}

// BenchmarkOpenRoom measures what opening a room costs: the newest page
// of DefaultPageSize messages (which also marks the room read).
func BenchmarkOpenRoom(b *testing.B) {
	for _, n := range roomSizes {
		b.Run(fmt.Sprintf("messages=%d", n), func(b *testing.B) {
			svc, ctx, room := benchRoom(b, n)
			for b.Loop() {
				p, err := svc.Messages(ctx, room, 0, workroom.DefaultPageSize)
				if err != nil || len(p.Messages) != min(n, workroom.DefaultPageSize) {
					b.Fatalf("page of %d, %v", len(p.Messages), err)
				}
			}
		})
	}
}

// BenchmarkPost measures posting one message (one synced commit) into
// rooms of each size.
func BenchmarkPost(b *testing.B) {
	for _, n := range roomSizes {
		b.Run(fmt.Sprintf("messages=%d", n), func(b *testing.B) {
			svc, ctx, room := benchRoom(b, n)
			for b.Loop() {
				if _, err := svc.Post(ctx, room, "a new message in a busy room", workroom.SourceCommand); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
