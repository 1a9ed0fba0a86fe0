package s3blobs_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/s3blobs"
)

const bucket = "workroom-blobs"

// fake is gofakes3 in memory behind a loopback HTTP server, on a clock
// the test moves, counting what GETs send.
type fake struct {
	srv      *httptest.Server
	clock    gofakes3.TimeSourceAdvancer
	getBytes atomic.Int64 // body bytes sent for GETs
	gets     atomic.Int64
	putBytes atomic.Int64 // body bytes received by PUTs that are not copies
	failGets atomic.Int64 // object GETs still to refuse
	cfg      s3blobs.Config
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{clock: gofakes3.FixedTimeSource(time.Now())}
	backend := s3mem.New(s3mem.WithTimeSource(f.clock))
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	h := gofakes3.New(backend, gofakes3.WithTimeSource(f.clock), gofakes3.WithTimeSkewLimit(0), gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "" && strings.Count(strings.Trim(r.URL.Path, "/"), "/") > 0 {
			f.gets.Add(1)
			if f.failGets.Add(-1) >= 0 {
				w.WriteHeader(http.StatusBadRequest) // not retried by the client
				return
			}
			w = &countingWriter{ResponseWriter: w, n: &f.getBytes}
		}
		if r.Method == http.MethodPut && r.Header.Get("X-Amz-Copy-Source") == "" {
			f.putBytes.Add(max(r.ContentLength, 0))
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	u, _ := url.Parse(f.srv.URL)
	cfg, err := s3blobs.ParseURL("s3://" + bucket + "?endpoint=http://" + u.Host + "&region=us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Credentials = &s3blobs.Credentials{AccessKeyID: "k", SecretAccessKey: "s"}
	f.cfg = cfg
	return f
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n.Add(int64(len(p)))
	return w.ResponseWriter.Write(p)
}

// open opens the fake's bucket with temp files in a fresh folder.
func (f *fake) open(t *testing.T) *s3blobs.Blobs {
	t.Helper()
	b, err := s3blobs.Open(context.Background(), f.cfg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// put stores data as a blob through a temp file, as an upload does, and
// returns its sum and the temp file's path.
func put(t *testing.T, b workroom.Blobs, data []byte) (sum, temp string) {
	t.Helper()
	f, err := b.CreateTemp()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(data)
	sum = hex.EncodeToString(h[:])
	if err := b.Put(f.Name(), sum); err != nil {
		t.Fatal(err)
	}
	return sum, f.Name()
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// stored is each blob Walk reports, with its time.
func stored(t *testing.T, b workroom.Blobs) map[string]time.Time {
	t.Helper()
	got := map[string]time.Time{}
	if err := b.Walk(func(sum string, at time.Time) error { got[sum] = at; return nil }); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestPut_UploadsTheTempFileAndRemovesIt(t *testing.T) {
	f := newFake(t)
	b := f.open(t)
	data := randomBytes(3*s3blobs.ChunkSize + 12345)
	sum, temp := put(t, b, data)
	if _, err := os.Stat(temp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the temp file is still there after Put: %v", err)
	}
	blob, err := b.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	defer blob.Close()
	if blob.Size() != int64(len(data)) {
		t.Errorf("Size %d, want %d", blob.Size(), len(data))
	}
	got, err := io.ReadAll(blob)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes (%v), want %d byte-exact", len(got), err, len(data))
	}
}

// SFTP reads a download in parallel requests at offsets out of order:
// every read at any offset, across chunk boundaries, gives the right
// bytes.
func TestOpen_ParallelReadsAtAnyOffsetAreExact(t *testing.T) {
	f := newFake(t)
	b := f.open(t)
	data := randomBytes(5*s3blobs.ChunkSize + 777)
	sum, _ := put(t, b, data)
	blob, err := b.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	defer blob.Close()
	const req = 255 << 10
	var offsets []int64
	for off := int64(0); off < int64(len(data)); off += req {
		offsets = append(offsets, off)
	}
	// Pairs swapped, as parallel workers deliver them.
	for i := 0; i+1 < len(offsets); i += 2 {
		offsets[i], offsets[i+1] = offsets[i+1], offsets[i]
	}
	out := make([]byte, len(data))
	var wg sync.WaitGroup
	errs := make(chan error, len(offsets))
	sem := make(chan struct{}, 8)
	for _, off := range offsets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			end := min(off+req, int64(len(data)))
			n, err := blob.ReadAt(out[off:end], off)
			if err != nil && !(err == io.EOF && end == int64(len(data))) {
				errs <- err
			} else if n != int(end-off) {
				errs <- io.ErrShortBuffer
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if !bytes.Equal(out, data) {
		t.Fatal("parallel reads put together differ from the bytes stored")
	}
	if n, err := blob.ReadAt(make([]byte, 10), int64(len(data))); n != 0 || err != io.EOF {
		t.Errorf("read at the end: %d, %v; want 0, EOF", n, err)
	}
}

// A read in the middle of a large blob fetches that part, not the whole
// object.
func TestOpen_ReadsByRangesNotTheWholeObject(t *testing.T) {
	f := newFake(t)
	b := f.open(t)
	data := randomBytes(16 * s3blobs.ChunkSize)
	sum, _ := put(t, b, data)
	blob, err := b.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	defer blob.Close()
	if _, err := blob.Seek(8*s3blobs.ChunkSize+10, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	p := make([]byte, 100)
	if _, err := io.ReadFull(blob, p); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p, data[8*s3blobs.ChunkSize+10:][:100]) {
		t.Fatal("read the wrong bytes")
	}
	blob.Close() // stops the chunk fetched ahead, so the count is final
	if sent := f.getBytes.Load(); sent > 2*s3blobs.ChunkSize {
		t.Errorf("reading 100 bytes of a %d-byte blob fetched %d bytes", len(data), sent)
	}
}

// A GET the store refuses fails that read, as unavailable; the chunk is
// not remembered as failed, so the next read tries again.
func TestOpen_AFailedReadIsTriedAgain(t *testing.T) {
	f := newFake(t)
	b := f.open(t)
	data := randomBytes(s3blobs.ChunkSize / 2)
	sum, _ := put(t, b, data)
	blob, err := b.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	defer blob.Close()
	f.failGets.Store(1)
	p := make([]byte, 100)
	if _, err := blob.ReadAt(p, 0); workroom.ErrorCode(err) != workroom.EUNAVAILABLE {
		t.Fatalf("read while the store refuses: %v, want EUNAVAILABLE", err)
	}
	if n, err := blob.ReadAt(p, 0); n != len(p) || err != nil || !bytes.Equal(p, data[:100]) {
		t.Fatalf("read again: %d, %v", n, err)
	}
}

func TestOpen_MissingBlobIsNotFound(t *testing.T) {
	b := newFake(t).open(t)
	for _, sum := range []string{strings.Repeat("ab", 32), "not-a-sum"} {
		if _, err := b.Open(sum); workroom.ErrorCode(err) != workroom.ENOTFOUND {
			t.Errorf("Open(%q): %v, want ENOTFOUND", sum, err)
		}
	}
}

// Storing bytes that are there already sends nothing and moves the
// blob's time, so a collection running meanwhile keeps it.
func TestPut_ExistingBlobIsRefreshedNotSentAgain(t *testing.T) {
	f := newFake(t)
	b := f.open(t)
	data := randomBytes(1000)
	sum, _ := put(t, b, data)
	first := stored(t, b)[sum]
	sent := f.putBytes.Load()
	f.clock.Advance(time.Hour)
	_, temp := put(t, b, data)
	if _, err := os.Stat(temp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the temp file of a duplicate is still there: %v", err)
	}
	if again := stored(t, b)[sum]; !again.After(first) {
		t.Errorf("stored at %s, then again at %s: the time did not move", first, again)
	}
	if n := f.putBytes.Load() - sent; n != 0 {
		t.Errorf("storing a blob that is there sent %d bytes again", n)
	}
	if got := readAll(t, b, sum); !bytes.Equal(got, data) {
		t.Error("the refreshed blob's bytes changed")
	}
}

// A store whose copy onto itself keeps the object's time gets the bytes
// again: that is what moves the time there.
func TestPut_ExistingBlobIsSentAgainWhenACopyKeepsTheTime(t *testing.T) {
	f := newFake(t)
	b := f.open(t)
	data := randomBytes(1000)
	sum, _ := put(t, b, data)
	sent := f.putBytes.Load()
	put(t, b, data) // the fake's clock stands still: the copy keeps the time
	if n := f.putBytes.Load() - sent; n < int64(len(data)) {
		t.Errorf("sent %d bytes again, want the %d of the blob", n, len(data))
	}
	if got := readAll(t, b, sum); !bytes.Equal(got, data) {
		t.Error("the blob's bytes changed")
	}
}

func readAll(t *testing.T, b workroom.Blobs, sum string) []byte {
	t.Helper()
	blob, err := b.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	defer blob.Close()
	got, err := io.ReadAll(blob)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestRemove_DeletesAndAMissingBlobIsNoError(t *testing.T) {
	b := newFake(t).open(t)
	sum, _ := put(t, b, []byte("bye"))
	for range 2 {
		if err := b.Remove(sum); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Open(sum); workroom.ErrorCode(err) != workroom.ENOTFOUND {
		t.Errorf("open after remove: %v, want ENOTFOUND", err)
	}
	if len(stored(t, b)) != 0 {
		t.Error("Walk still lists the removed blob")
	}
}

// Walk reports the blobs under the prefix only: other keys in the bucket
// are not blobs and are never collected.
func TestWalk_ListsBlobsUnderThePrefixOnly(t *testing.T) {
	f := newFake(t)
	c := f.cfg
	c.Prefix = "wr/"
	b, err := s3blobs.Open(context.Background(), c, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	other := f.open(t) // the same bucket, no prefix
	outside, _ := put(t, other, []byte("outside the prefix"))
	client, err := minio.New(strings.TrimPrefix(f.srv.URL, "http://"), &minio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.PutObject(context.Background(), bucket, "wr/notes.txt", strings.NewReader("x"), 1, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	var sums []string
	for i := range 3 {
		s, _ := put(t, b, []byte{byte(i)})
		sums = append(sums, s)
	}
	got := stored(t, b)
	if len(got) != len(sums) {
		t.Fatalf("Walk listed %v, want %v", got, sums)
	}
	for _, s := range sums {
		if got[s].IsZero() {
			t.Errorf("Walk did not list %s with a time: %v", s, got)
		}
	}
	if _, ok := got[outside]; ok {
		t.Error("Walk listed a blob outside its prefix")
	}
	keys := map[string]bool{}
	for obj := range client.ListObjects(context.Background(), bucket, minio.ListObjectsOptions{Recursive: true}) {
		keys[obj.Key] = true
	}
	if !keys["wr/"+sums[0]] {
		t.Errorf("blob keys are not PREFIX+SHA256: %v", keys)
	}
}

// When the store does not answer, an upload is refused as the server
// being unable to store, not as an internal error.
func TestPut_UnreachableStoreIsUnavailable(t *testing.T) {
	f := newFake(t)
	b := f.open(t)
	f.srv.Close()
	tmp, err := b.CreateTemp()
	if err != nil {
		t.Fatal(err)
	}
	tmp.Close()
	err = b.Put(tmp.Name(), strings.Repeat("cd", 32))
	if workroom.ErrorCode(err) != workroom.EUNAVAILABLE {
		t.Fatalf("Put to a store that is down: %v (code %q), want EUNAVAILABLE", err, workroom.ErrorCode(err))
	}
	if _, err := b.Open(strings.Repeat("cd", 32)); workroom.ErrorCode(err) != workroom.EUNAVAILABLE {
		t.Errorf("Open from a store that is down: %v, want EUNAVAILABLE", err)
	}
}

func TestClearTemp_RemovesWhatACrashLeft(t *testing.T) {
	b := newFake(t).open(t)
	f, err := b.CreateTemp()
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := b.ClearTemp(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(f.Name()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temp file left after ClearTemp: %v", err)
	}
}

func TestOpen_RefusesAMissingBucketOrKeys(t *testing.T) {
	f := newFake(t)
	c := f.cfg
	c.Bucket = "no-such-bucket"
	if _, err := s3blobs.Open(context.Background(), c, t.TempDir()); err == nil || !strings.Contains(err.Error(), `there is no bucket "no-such-bucket"; create it first`) {
		t.Errorf("opening a missing bucket: %v", err)
	}
	c = f.cfg
	c.Credentials = nil
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_ACCESS_KEY", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SECRET_KEY", "")
	if _, err := s3blobs.Open(context.Background(), c, t.TempDir()); err == nil || !strings.Contains(err.Error(), "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY") {
		t.Errorf("opening without credentials: %v", err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "from-env")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "from-env-secret")
	if _, err := s3blobs.Open(context.Background(), c, t.TempDir()); err != nil {
		t.Errorf("opening with credentials from the environment: %v", err)
	}
}
