package postgres_test

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/workroomtest"
)

// putBlob stores content in blobs as an upload would, and returns its sum.
func putBlob(t *testing.T, blobs *store.Blobs, content string) string {
	t.Helper()
	f, err := blobs.CreateTemp()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256([]byte(content))
	sum := hex.EncodeToString(h[:])
	if err := blobs.Put(f.Name(), sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

func blobThere(blobs *store.Blobs, sum string) bool {
	b, err := blobs.Open(sum)
	if err != nil {
		return false
	}
	b.Close()
	return true
}

// TestBlobHolds_SweepSparesABlobAnotherFrontEndHolds: front end B holds a
// blob, as an upload does between storing it (Put of a blob that exists
// only refreshes it) and recording its version; front end A's sweep, past
// the grace of that blob's last use, leaves it, and takes it once B let
// go.
func TestBlobHolds_SweepSparesABlobAnotherFrontEndHolds(t *testing.T) {
	dbs := frontEnds(t, 2)
	dir := t.TempDir()
	bucket, err := store.OpenBlobs(filepath.Join(dir, "blobs"), filepath.Join(dir, "tmp"))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	clock := sharedT0
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	// Front end A sweeps; front end B is storing a blob (its holds).
	a := workroom.NewService(dbs[0], live.New(), workroom.Config{Now: now, Limits: workroom.NoLimits, Blobs: bucket,
		BlobHolds: postgres.NewBlobHolds(dbs[0], 0)}, slog.New(slog.DiscardHandler))
	t.Cleanup(func() { _ = a.Close(ctx) })
	b := postgres.NewBlobHolds(dbs[1], 0)
	sum := putBlob(t, bucket, "a file nobody uses any more")
	if removed, err := a.CollectBlobs(ctx); err != nil || len(removed) != 0 {
		t.Fatalf("the first sweep: %v, %v; want the blob only marked unused", removed, err)
	}
	release, err := b.Hold(ctx, sum)
	if err != nil {
		t.Fatal(err)
	}
	putBlob(t, bucket, "a file nobody uses any more") // B stores the same bytes again
	mu.Lock()
	clock = clock.Add(workroom.BlobGrace + time.Minute)
	mu.Unlock()
	if removed, err := a.CollectBlobs(ctx); err != nil || len(removed) != 0 || !blobThere(bucket, sum) {
		t.Fatalf("front end A's sweep past the grace removed %v (%v) while front end B holds the blob", removed, err)
	}
	release()
	if removed, err := a.CollectBlobs(ctx); err != nil || len(removed) != 1 || blobThere(bucket, sum) {
		t.Fatalf("the sweep once B let go: %v, %v; want the blob removed", removed, err)
	}
}

// TestBlobHolds_HoldWaitsForARemovalUnderWay: while one front end is
// removing a blob, another's Hold of it waits (on the blob's lock) until
// the removal ended; the blob, held then, is not removed again until the
// hold is released.
func TestBlobHolds_HoldWaitsForARemovalUnderWay(t *testing.T) {
	url := pgtest.NewDatabase(t)
	dbs := frontEndsAt(t, url, 2)
	a, b := postgres.NewBlobHolds(dbs[0], 0), postgres.NewBlobHolds(dbs[1], 0)
	const sum = "0000000000000000000000000000000000000000000000000000000000000001"
	removing, proceed := make(chan struct{}), make(chan struct{})
	var letGo sync.Once
	letRemovalEnd := func() { letGo.Do(func() { close(proceed) }) }
	defer letRemovalEnd() // on a failure too: the pool closes only once the removal gave its connection back
	removeDone := make(chan bool, 1)
	go func() {
		removed, err := a.RemoveIfFree(ctx, sum, func() error {
			close(removing)
			<-proceed
			return nil
		})
		if err != nil {
			t.Error(err)
		}
		removeDone <- removed
	}()
	<-removing
	held := make(chan func(), 1)
	go func() {
		release, err := b.Hold(ctx, sum)
		if err != nil {
			t.Error(err)
		}
		held <- release
	}()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	workroomtest.WaitUntil(t, "the hold to wait on the blob's lock", func() bool {
		var waiting int
		err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_locks
			WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&waiting)
		return err == nil && waiting == 1
	})
	select {
	case <-held:
		t.Fatal("the hold was taken while the removal was under way")
	default:
	}
	letRemovalEnd()
	if !<-removeDone {
		t.Fatal("the removal did not remove the free blob")
	}
	release := <-held
	if removed, err := a.RemoveIfFree(ctx, sum, func() error { return nil }); err != nil || removed {
		t.Fatalf("removing a held blob: %v, %v; want kept", removed, err)
	}
	release()
	if removed, err := a.RemoveIfFree(ctx, sum, func() error { return nil }); err != nil || !removed {
		t.Fatalf("removing once released: %v, %v; want removed", removed, err)
	}
}

// TestBlobHolds_AHoldNeverReleasedLapses: the hold of a front end that
// died (never released) lapses at its expiry, and the blob can go.
func TestBlobHolds_AHoldNeverReleasedLapses(t *testing.T) {
	dbs := frontEnds(t, 1)
	const expiry = 200 * time.Millisecond
	h := postgres.NewBlobHolds(dbs[0], expiry)
	const sum = "0000000000000000000000000000000000000000000000000000000000000002"
	start := time.Now()
	if _, err := h.Hold(ctx, sum); err != nil {
		t.Fatal(err)
	}
	if removed, err := h.RemoveIfFree(ctx, sum, func() error { return nil }); err != nil || removed {
		t.Fatalf("removing a held blob: %v, %v; want kept", removed, err)
	}
	workroomtest.WaitUntil(t, "the hold to lapse", func() bool {
		removed, err := h.RemoveIfFree(ctx, sum, func() error { return nil })
		return err == nil && removed
	})
	if time.Since(start) < expiry {
		t.Fatalf("the hold lapsed after %v, before its expiry %v", time.Since(start), expiry)
	}
}
