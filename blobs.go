package workroom

import (
	"context"
	"io"
	"os"
	"time"
)

// Blobs keeps the bytes of every version, each once, named by its SHA-256
// in hex: identical content is one blob wherever it is used. An upload
// writes into a temp file of the blob folder's own (on the same file
// system, so that storing it is a rename), and the service records a
// version only after its blob is in place; a blob no version, job or
// proposal refers to any more is collected (CollectBlobs).
type Blobs interface {
	// CreateTemp returns a new, empty temp file for an upload.
	CreateTemp() (*os.File, error)
	// ClearTemp removes every temp file: run at start-up, before any
	// upload, it clears what a crash left.
	ClearTemp() error
	// Put moves the closed temp file at tempPath into the blob sum. When
	// the blob exists it removes the temp file and refreshes the blob's
	// time, so a collection running meanwhile keeps it.
	Put(tempPath, sum string) error
	// Open returns the blob's bytes; ENOTFOUND when there is none.
	Open(sum string) (Blob, error)
	// Remove deletes a blob; removing one that is gone is no error.
	Remove(sum string) error
	// Walk calls fn for each blob with the time it was last stored.
	Walk(fn func(sum string, stored time.Time) error) error
}

// Blob is a stored version's bytes, read in any order.
type Blob interface {
	io.ReadSeekCloser
	io.ReaderAt
	Size() int64
}

// BlobGrace is how old an unreferenced blob must be before the periodic
// collection removes it: a blob is stored just before its version is
// recorded, and must not be taken in between.
const BlobGrace = time.Hour

// CollectBlobs removes the blobs nothing refers to that were stored
// before olderThan, and returns how many it removed. The server runs it
// at start-up, before any upload, with olderThan now (whatever is
// unreferenced then was left by a crash or a refusal), and then
// periodically with now minus BlobGrace.
func (s *Service) CollectBlobs(ctx context.Context, olderThan time.Time) (int, error) {
	if s.blobs == nil {
		return 0, nil
	}
	var unused []string
	err := s.blobs.Walk(func(sum string, stored time.Time) error {
		if !stored.Before(olderThan) || s.pending.holds(sum) {
			return nil
		}
		used, err := s.store.BlobUsed(ctx, sum)
		if err == nil && !used {
			unused = append(unused, sum)
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, sum := range unused {
		if s.dropIfUnused(ctx, sum) {
			n++
		}
	}
	if n > 0 {
		s.log.Info("blobs collected", "count", n)
	}
	return n, nil
}

// dropIfUnused removes a blob when nothing refers to it and no upload is
// between storing it and recording its version; it reports whether it
// removed it.
func (s *Service) dropIfUnused(ctx context.Context, sum string) bool {
	s.pending.mu.Lock()
	defer s.pending.mu.Unlock()
	if s.pending.n[sum] > 0 {
		return false
	}
	used, err := s.store.BlobUsed(ctx, sum)
	if err != nil || used {
		return false
	}
	if err := s.blobs.Remove(sum); err != nil {
		s.log.Error("removing an unused blob", "blob", sum, "err", err)
		return false
	}
	return true
}
