package workroom

import (
	"context"
	"sync"
)

// Between storing a blob and recording the version that refers to it an
// upload holds the blob, so that no collection takes it meanwhile: Put of
// a blob that exists only refreshes it, and a sweep that found it unused
// past BlobGrace would otherwise remove it under the upload's feet. With
// several front ends over one store and one blob bucket the holds must be
// seen by every front end's sweep: in memory for one process, rows in
// the database for several (postgres).

// BlobHolds keeps the holds on blobs and removes blobs only when free.
type BlobHolds interface {
	// Hold registers that this process is storing the blob and recording
	// a version of it. It waits while a removal of the same blob is in
	// progress (on any front end). release lets go of the hold; a hold a
	// process never released (it died) lapses by itself, in the backends
	// that outlive a process.
	Hold(ctx context.Context, sum string) (release func(), err error)
	// RemoveIfFree calls remove (the deletion of the blob's bytes) when
	// no hold is on the blob and nothing in the store refers to it, and
	// keeps any Hold of the blob waiting until remove returned. removed
	// reports whether remove ran and succeeded.
	RemoveIfFree(ctx context.Context, sum string, remove func() error) (removed bool, err error)
}

// BlobUser is what MemoryBlobHolds asks of the store.
type BlobUser interface {
	BlobUsed(ctx context.Context, sum string) (bool, error)
}

// MemoryBlobHolds is BlobHolds for one process: a count of holds per
// blob under one mutex, which a removal holds throughout.
type MemoryBlobHolds struct {
	used BlobUser
	mu   sync.Mutex
	n    map[string]int
}

var _ BlobHolds = (*MemoryBlobHolds)(nil)

// NewMemoryBlobHolds returns the holds of one process over a store.
func NewMemoryBlobHolds(used BlobUser) *MemoryBlobHolds {
	return &MemoryBlobHolds{used: used, n: make(map[string]int)}
}

// Hold implements BlobHolds.
func (h *MemoryBlobHolds) Hold(_ context.Context, sum string) (func(), error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n[sum]++
	var once sync.Once
	return func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			if h.n[sum]--; h.n[sum] <= 0 {
				delete(h.n, sum)
			}
		})
	}, nil
}

// RemoveIfFree implements BlobHolds.
func (h *MemoryBlobHolds) RemoveIfFree(ctx context.Context, sum string, remove func() error) (bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n[sum] > 0 {
		return false, nil
	}
	used, err := h.used.BlobUsed(ctx, sum)
	if err != nil || used {
		return false, err
	}
	if err := remove(); err != nil {
		return false, err
	}
	return true, nil
}
