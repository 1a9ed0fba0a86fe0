package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// groupFixture is a group commit over a fresh bbolt file, with a write
// that holds its commit open until released, so that others queue
// behind it.
type groupFixture struct {
	t  *testing.T
	db *bolt.DB
	g  *groupCommit
}

var bucketTest = []byte("test")

func newGroupFixture(t *testing.T) *groupFixture {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "g.db"), 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket(bucketTest); return err }); err != nil {
		t.Fatal(err)
	}
	return &groupFixture{t: t, db: db, g: &groupCommit{db: db}}
}

// hold starts a write that stays in its commit until release is called.
func (f *groupFixture) hold() (release func(), done <-chan error) {
	in, out := make(chan struct{}), make(chan struct{})
	res := make(chan error, 1)
	go func() {
		res <- f.g.update(context.Background(), func(tx *bolt.Tx) error {
			close(in)
			<-out
			return tx.Bucket(bucketTest).Put([]byte("held"), []byte("1"))
		})
	}()
	<-in
	return func() { close(out) }, res
}

// queued waits until n writes wait behind the held one.
func (f *groupFixture) queued(n int) {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		f.g.mu.Lock()
		got := len(f.g.queue)
		f.g.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("%d writes queued, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

func (f *groupFixture) value(key string) string {
	var v string
	_ = f.db.View(func(tx *bolt.Tx) error {
		v = string(tx.Bucket(bucketTest).Get([]byte(key)))
		return nil
	})
	return v
}

// writeKey is a write that stores key and notes the transaction it ran in.
func writeKey(key string, txs *sync.Map) func(*bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		txs.Store(key, tx.ID())
		return tx.Bucket(bucketTest).Put([]byte(key), []byte(key))
	}
}

// Writes that arrive while a commit is under way go together in the next
// one, and each is answered.
func TestGroupCommit_WritesArrivingTogetherShareOneCommit(t *testing.T) {
	f := newGroupFixture(t)
	release, held := f.hold()
	var txs sync.Map
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Go(func() { errs[i] = f.g.update(context.Background(), writeKey(fmt.Sprint("k", i), &txs)) })
	}
	f.queued(len(errs))
	release()
	wg.Wait()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	ids := map[any]bool{}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		if f.value(fmt.Sprint("k", i)) == "" {
			t.Fatalf("write %d was answered but is not stored", i)
		}
		id, _ := txs.Load(fmt.Sprint("k", i))
		ids[id] = true
	}
	if len(ids) != 1 {
		t.Fatalf("10 writes queued together took %d commits, want 1", len(ids))
	}
}

// A write that fails in a shared commit gets its own error, leaves
// nothing of itself, and costs the others nothing; one that fails only
// after another in the same commit runs alone, and that is its answer.
func TestGroupCommit_AFailingWriteLosesNothingOfTheOthers(t *testing.T) {
	f := newGroupFixture(t)
	release, held := f.hold()
	var txs sync.Map
	refused := errors.New("refused")
	res := make(chan error, 4)
	writes := []func(*bolt.Tx) error{
		writeKey("before", &txs),
		func(tx *bolt.Tx) error { // half written, then refused
			if err := tx.Bucket(bucketTest).Put([]byte("half"), []byte("x")); err != nil {
				return err
			}
			return refused
		},
		func(*bolt.Tx) error { panic("a bug") },
		writeKey("after", &txs),
	}
	for i, w := range writes {
		go func() { res <- f.g.update(context.Background(), w) }()
		f.queued(i + 1) // in this order
	}
	release()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	var got []error
	for range writes {
		got = append(got, <-res)
	}
	var nRefused, nPanicked, nOK int
	for _, err := range got {
		switch {
		case err == nil:
			nOK++
		case errors.Is(err, refused):
			nRefused++
		case err != nil:
			nPanicked++
		}
	}
	if nOK != 2 || nRefused != 1 || nPanicked != 1 {
		t.Fatalf("answers %v: want 2 written, 1 refused, 1 failed", got)
	}
	if f.value("before") == "" || f.value("after") == "" || f.value("half") != "" {
		t.Fatalf("stored: before %q after %q half %q; want both writes and nothing of the refused one",
			f.value("before"), f.value("after"), f.value("half"))
	}

	// A write refused only because of one before it in the same commit
	// is answered by its run alone, after the other is committed.
	release, held = f.hold()
	first := make(chan error, 1)
	go func() { first <- f.g.update(context.Background(), writeKey("claim", &txs)) }()
	f.queued(1)
	second := make(chan error, 1)
	go func() {
		second <- f.g.update(context.Background(), func(tx *bolt.Tx) error {
			if tx.Bucket(bucketTest).Get([]byte("claim")) != nil {
				return refused
			}
			return tx.Bucket(bucketTest).Put([]byte("claim"), []byte("second"))
		})
	}()
	f.queued(2)
	release()
	<-held
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; !errors.Is(err, refused) || f.value("claim") != "claim" {
		t.Fatalf("the second claim: %v, stored %q; want refused, the first kept", err, f.value("claim"))
	}
}

// A caller that stops waiting before its write was taken gets its
// context's error, and the write never runs.
func TestGroupCommit_AnAbandonedWriteIsNeverWritten(t *testing.T) {
	f := newGroupFixture(t)
	release, held := f.hold()
	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan error, 1)
	var txs sync.Map
	go func() { res <- f.g.update(ctx, writeKey("abandoned", &txs)) }()
	f.queued(1)
	cancel()
	if err := <-res; !errors.Is(err, context.Canceled) {
		t.Fatalf("the abandoned write returned %v, want the context's error", err)
	}
	release()
	<-held
	// The next write is committed after the queue was taken: the
	// abandoned one had its chance and did not run.
	if err := f.g.update(context.Background(), writeKey("next", &txs)); err != nil {
		t.Fatal(err)
	}
	if f.value("abandoned") != "" {
		t.Fatal("a write whose caller gave up was written")
	}
}
