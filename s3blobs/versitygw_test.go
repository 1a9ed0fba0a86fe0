package s3blobs_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/s3blobs"
	"github.com/workroom/workroom/s3blobs/s3test"
	"github.com/workroom/workroom/workroomtest"
)

// The whole life of a blob against a real S3 server (versitygw): what
// gofakes3 lets pass must hold there too — a single PUT with
// Content-MD5, ranged GETs, a copy onto itself, listing, deleting.
func TestVersitygw_BlobLifecycle(t *testing.T) {
	srv := s3test.Start(t)
	url, _ := srv.Bucket(t)
	b, err := s3blobs.Open(context.Background(), srv.Config(t, url), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := randomBytes(2*s3blobs.ChunkSize + 99)
	sum, temp := put(t, b, data)
	if _, err := os.Stat(temp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temp file left: %v", err)
	}
	blob, err := b.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	p := make([]byte, 1000)
	if n, err := blob.ReadAt(p, s3blobs.ChunkSize-500); n != len(p) || err != nil || !bytes.Equal(p, data[s3blobs.ChunkSize-500:][:1000]) {
		t.Fatalf("read across a chunk boundary: %d, %v", n, err)
	}
	all, err := io.ReadAll(blob)
	if err != nil || !bytes.Equal(all, data) {
		t.Fatalf("read back %d bytes, %v", len(all), err)
	}
	blob.Close()

	first := stored(t, b)[sum]
	// The store keeps times to the second: wait for the next one.
	workroomtest.WaitUntil(t, "the next second", func() bool { return time.Now().Truncate(time.Second).After(first) })
	_, temp = put(t, b, data)
	if _, err := os.Stat(temp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temp file of the duplicate left: %v", err)
	}
	if again := stored(t, b)[sum]; !again.After(first) {
		t.Errorf("storing the blob again left its time at %s (was %s)", again, first)
	}
	if got := readAll(t, b, sum); !bytes.Equal(got, data) {
		t.Error("the refreshed blob's bytes changed")
	}

	if err := b.Remove(sum); err != nil {
		t.Fatal(err)
	}
	if err := b.Remove(sum); err != nil {
		t.Errorf("removing a removed blob: %v", err)
	}
	if _, err := b.Open(sum); workroom.ErrorCode(err) != workroom.ENOTFOUND {
		t.Errorf("open after remove: %v, want ENOTFOUND", err)
	}
	if keys := srv.Keys(t, url); len(keys) != 0 {
		t.Errorf("keys left in the bucket: %v", keys)
	}
}
