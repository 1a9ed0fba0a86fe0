package s3blobs_test

import (
	"context"
	"io"
	"slices"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// The service over the object store: an upload lands in the bucket, and
// an object nothing refers to any more is collected by the sweep as a
// blob of the local folder is, BlobGrace after a sweep first found it
// unused.
func TestSweep_CollectsAnUnusedObjectAfterTheGrace(t *testing.T) {
	f := newFake(t)
	b := f.open(t)
	w := workroomtest.New(t, workroomtest.WithBlobs(b))
	client, free := w.SignUp(t, "Carol"), w.SignUp(t, "Fred")
	room := w.Room(t, client, free, "Logo design").ID
	keep := w.Upload(t, free, room, "keep.txt", []byte("keep")).Version.SHA256
	drop := w.Upload(t, free, room, "drop.txt", []byte("drop")).Version.SHA256
	if got := stored(t, b); len(got) != 2 {
		t.Fatalf("objects after two uploads: %v", got)
	}
	if _, err := w.Svc.DeleteFile(workroomtest.As(client), room, "drop.txt"); err != nil {
		t.Fatal(err)
	}
	sweep := func() []string {
		t.Helper()
		rep, err := w.Svc.Sweep(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return rep.Blobs
	}
	if removed := sweep(); len(removed) != 0 {
		t.Fatalf("the first sweep to find the object unused removed %v", removed)
	}
	w.Advance(workroom.BlobGrace)
	if removed := sweep(); !slices.Equal(removed, []string{drop}) {
		t.Fatalf("after the grace the sweep removed %v, want [%s]", removed, drop)
	}
	got := stored(t, b)
	if _, ok := got[drop]; ok || len(got) != 1 {
		t.Fatalf("objects left: %v, want only %s", got, keep)
	}
	_, _, blob, err := w.Svc.OpenVersion(workroomtest.As(client), room, "keep.txt", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer blob.Close()
	if data, err := io.ReadAll(blob); err != nil || string(data) != "keep" {
		t.Fatalf("the file still used reads %q, %v", data, err)
	}
}

// A crash between storing an object and recording its version leaves an
// object nothing refers to; the sweep takes it after the grace.
func TestSweep_CollectsAnOrphanObject(t *testing.T) {
	f := newFake(t)
	b := f.open(t)
	w := workroomtest.New(t, workroomtest.WithBlobs(b))
	orphan, _ := put(t, b, []byte("left by a crash"))
	if rep, err := w.Svc.Sweep(context.Background()); err != nil || len(rep.Blobs) != 0 {
		t.Fatalf("first sweep: %v, %v", rep, err)
	}
	w.Advance(workroom.BlobGrace)
	rep, err := w.Svc.Sweep(context.Background())
	if err != nil || !slices.Equal(rep.Blobs, []string{orphan}) {
		t.Fatalf("sweep after the grace removed %v (%v), want [%s]", rep.Blobs, err, orphan)
	}
	if got := stored(t, b); len(got) != 0 {
		t.Errorf("objects left: %v", got)
	}
}
