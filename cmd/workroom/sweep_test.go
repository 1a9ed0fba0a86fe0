package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// TestSweepEvery_RunsTheSweepEachInterval finds an unused blob past its
// grace removed by the periodic sweep alone.
func TestSweepEvery_RunsTheSweepEachInterval(t *testing.T) {
	w := workroomtest.New(t)
	tmp, err := w.Blobs.CreateTemp()
	if err != nil {
		t.Fatal(err)
	}
	tmp.Close()
	orphan := strings.Repeat("ab", 32)
	if err := w.Blobs.Put(tmp.Name(), orphan); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Svc.Sweep(context.Background()); err != nil { // finds it unused
		t.Fatal(err)
	}
	blobs := filepath.Join(filepath.Dir(filepath.Dir(tmp.Name())), "blobs", "ab", "*")
	if names, _ := filepath.Glob(blobs); len(names) != 1 {
		t.Fatalf("blob folder holds %v, want the orphan", names)
	}
	w.Advance(workroom.BlobGrace)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		sweepEvery(ctx, w.Svc, 10*time.Millisecond, slog.New(slog.DiscardHandler))
	}()
	defer func() { cancel(); <-done }()
	workroomtest.WaitUntil(t, "the periodic sweep removes the unused blob", func() bool {
		names, _ := filepath.Glob(blobs)
		return len(names) == 0
	})
}
