package workroom_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/workroom/workroom"
)

func TestMemoryLimiter_BurstThenSteadyRate(t *testing.T) {
	l := workroom.NewMemoryLimiter(0)
	r := workroom.Rate{N: 60, Per: time.Minute, Burst: 3}
	now := time.Unix(1e9, 0)
	ctx := context.Background()
	for i := range 3 {
		if wait, _ := l.Allow(ctx, "k", r, now); wait != 0 {
			t.Fatalf("event %d of the burst refused, wait %v", i+1, wait)
		}
	}
	if wait, _ := l.Allow(ctx, "k", r, now); wait != time.Second {
		t.Fatalf("after the burst: wait %v, want 1s (60 a minute)", wait)
	}
	if wait, _ := l.Allow(ctx, "other", r, now); wait != 0 {
		t.Fatalf("another key refused: wait %v", wait)
	}
	if wait, _ := l.Allow(ctx, "k", r, now.Add(time.Second)); wait != 0 {
		t.Fatalf("a second later: wait %v", wait)
	}
}

func TestMemoryLimiter_DropsRefilledKeys(t *testing.T) {
	l := workroom.NewMemoryLimiter(0)
	r := workroom.Rate{N: 5, Per: time.Hour}
	now := time.Unix(1e9, 0)
	for i := range 100 {
		_, _ = l.Allow(context.Background(), fmt.Sprint("k", i), r, now)
	}
	if l.Len() != 100 {
		t.Fatalf("remembers %d keys, want 100", l.Len())
	}
	// An hour on, every bucket is full again: remembering them says nothing.
	_, _ = l.Allow(context.Background(), "late", r, now.Add(2*time.Hour))
	if l.Len() != 1 {
		t.Fatalf("remembers %d keys after they refilled, want 1", l.Len())
	}
}

func TestMemoryLimiter_CapsKeysForgettingTheLeastRecent(t *testing.T) {
	l := workroom.NewMemoryLimiter(10)
	r := workroom.Rate{N: 1, Per: time.Hour}
	now := time.Unix(1e9, 0)
	ctx := context.Background()
	_, _ = l.Allow(ctx, "first", r, now)
	for i := range 50 {
		_, _ = l.Allow(ctx, fmt.Sprint("flood", i), r, now)
	}
	if l.Len() != 10 {
		t.Fatalf("remembers %d keys, want the cap of 10", l.Len())
	}
	// The newest key is still counted; the oldest was forgotten.
	if wait, _ := l.Allow(ctx, "flood49", r, now); wait == 0 {
		t.Fatal("the most recent key was forgotten")
	}
	if wait, _ := l.Allow(ctx, "first", r, now); wait != 0 {
		t.Fatal("the oldest key is still remembered past the cap")
	}
}
