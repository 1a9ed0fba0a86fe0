package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// TestUpdate_GivesUpWaitingForTheWriterWhenTheContextEnds: bbolt has one
// writer; a write whose caller went away (its session ended) stops
// waiting for it, returns the context's error and writes nothing.
func TestUpdate_GivesUpWaitingForTheWriterWhenTheContextEnds(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "workroom.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	holding, release := make(chan struct{}), make(chan struct{})
	go func() {
		_ = d.update(context.Background(), func(*bolt.Tx) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding

	ctx, cancel := context.WithCancel(context.Background())
	waited := make(chan error, 1)
	go func() {
		waited <- d.CreateJob(ctx, &workroom.Job{Title: "never", Status: workroom.JobOpen})
	}()
	cancel()
	select {
	case err := <-waited:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("CreateJob with its context ended = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("CreateJob kept waiting for the writer after its context ended")
	}
	close(release)
	if jobs, err := d.OpenJobs(context.Background(), 0, 0, 10); err != nil || len(jobs) != 0 {
		t.Fatalf("open jobs after the abandoned write = %v, %v; want none", jobs, err)
	}
}
