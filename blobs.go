package workroom

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
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

// TempFolder is the local folder uploads are written to before they are
// blobs, whatever keeps the blobs: an upload arrives in any order (SFTP)
// and is hashed and scanned there first. Each Blobs implementation gives
// its CreateTemp and ClearTemp to it.
type TempFolder string

// uploadTempPattern names upload temp files.
const uploadTempPattern = "upload-*"

// CreateTemp returns a new, empty temp file for an upload.
func (d TempFolder) CreateTemp() (*os.File, error) {
	return os.CreateTemp(string(d), uploadTempPattern)
}

// ClearTemp removes every upload temp file in the folder.
func (d TempFolder) ClearTemp() error {
	names, err := filepath.Glob(filepath.Join(string(d), uploadTempPattern))
	if err != nil {
		return err
	}
	var errs []error
	for _, n := range names {
		errs = append(errs, os.Remove(n))
	}
	return errors.Join(errs...)
}

// BlobGrace is how long a blob stays after a sweep first found nothing
// referring to it (the sweep records that moment in the store, and the
// store forgets it the moment anything refers to the blob again). It is
// measured from when the blob stopped being used — not from its file's
// time, which can be years old for a blob deleted a minute ago — because
// that is what keeps backups whole: a snapshot of the store refers only
// to blobs that were in use when it was taken, and such a blob is kept
// for at least BlobGrace after that moment. A copy of the blob folder
// that starts after the snapshot and finishes within BlobGrace of it
// therefore holds every blob the snapshot refers to. (Starting the copy
// before the snapshot is not safe whatever the grace: blobs stored in
// between would be missing.)
const BlobGrace = 24 * time.Hour

// CollectBlobs removes the blobs nothing has referred to for BlobGrace,
// at the service's clock, and returns their sums. A blob it finds unused
// for the first time is only marked: its grace starts then. A blob an
// upload holds, between being stored and its version being recorded, is
// not removed (dropIfUnused).
func (s *Service) CollectBlobs(ctx context.Context) ([]string, error) {
	removed := []string{}
	if s.blobs == nil {
		return removed, nil
	}
	now := s.now()
	var due []string
	err := s.blobs.Walk(func(sum string, _ time.Time) error {
		since, err := s.store.BlobUnusedSince(ctx, sum, now)
		if err == nil && !since.IsZero() && !now.Before(since.Add(BlobGrace)) {
			due = append(due, sum)
		}
		return err
	})
	if err != nil {
		return removed, err
	}
	for _, sum := range due {
		if s.dropIfUnused(ctx, sum) {
			removed = append(removed, sum)
		}
	}
	if len(removed) > 0 {
		s.log.Info("blobs collected", "count", len(removed))
	}
	return removed, nil
}

// sweepBlobs is CollectBlobs as a rule of the sweep.
func (s *Service) sweepBlobs(ctx context.Context, rep *SweepReport) error {
	removed, err := s.CollectBlobs(ctx)
	rep.Blobs = append(rep.Blobs, removed...)
	return err
}

// dropIfUnused removes a blob when nothing refers to it and no upload
// holds it (BlobHolds: one is between storing it and recording its
// version, on any front end); it reports whether it removed it.
func (s *Service) dropIfUnused(ctx context.Context, sum string) bool {
	removed, err := s.holds.RemoveIfFree(ctx, sum, func() error { return s.blobs.Remove(sum) })
	if err != nil {
		s.log.Error("removing an unused blob", "blob", sum, "err", err)
		return false
	}
	if !removed {
		return false
	}
	if err := s.store.ForgetBlob(ctx, sum); err != nil {
		s.log.Error("forgetting a removed blob", "blob", sum, "err", err)
	}
	return true
}
