package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/workroom/workroom"
)

// Blobs is the content-addressed blob folder: each blob is a file named
// by its SHA-256 in hex, under a folder of its first two characters
// (<dir>/ab/cdef…), so no folder grows past a few thousand entries.
// Uploads are written into temp files under tmpDir, which must be on the
// same file system, so that storing a blob is a rename: a blob file is
// always whole.
type Blobs struct {
	dir, tmp string
}

var _ workroom.Blobs = (*Blobs)(nil)

// OpenBlobs returns the blob folder at dir with temp files in tmp,
// making both when missing.
func OpenBlobs(dir, tmp string) (*Blobs, error) {
	for _, d := range []string{dir, tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, cannotStore(d, fmt.Errorf("blob folder: %w", err))
		}
	}
	return &Blobs{dir: dir, tmp: tmp}, nil
}

// path is where blob sum lives; "" for a name that is not a SHA-256.
func (b *Blobs) path(sum string) string {
	if len(sum) != 64 {
		return ""
	}
	for _, c := range sum {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return ""
		}
	}
	return filepath.Join(b.dir, sum[:2], sum[2:])
}

// CreateTemp implements workroom.Blobs.
func (b *Blobs) CreateTemp() (*os.File, error) {
	f, err := workroom.TempFolder(b.tmp).CreateTemp()
	return f, cannotStore(b.tmp, err)
}

// ClearTemp implements workroom.Blobs.
func (b *Blobs) ClearTemp() error { return workroom.TempFolder(b.tmp).ClearTemp() }

// Put implements workroom.Blobs. The rename is made durable with an
// fsync of the file first and of its folder after, so a version recorded
// next never points at a blob a crash could lose.
func (b *Blobs) Put(tempPath, sum string) error {
	dst := b.path(sum)
	if dst == "" {
		return fmt.Errorf("blob name %q is not a SHA-256", sum)
	}
	if _, err := os.Stat(dst); err == nil {
		now := time.Now()
		_ = os.Remove(tempPath)
		return os.Chtimes(dst, now, now)
	}
	if err := syncFile(tempPath); err != nil {
		return cannotStore(tempPath, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return cannotStore(dst, err)
	}
	if err := os.Rename(tempPath, dst); err != nil {
		return cannotStore(dst, err)
	}
	return syncFile(filepath.Dir(dst))
}

func syncFile(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Open implements workroom.Blobs.
func (b *Blobs) Open(sum string) (workroom.Blob, error) {
	p := b.path(sum)
	if p == "" {
		return nil, notFound("blob")
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound("blob " + sum)
	}
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &blobFile{File: f, size: info.Size()}, nil
}

type blobFile struct {
	*os.File
	size int64
}

func (f *blobFile) Size() int64 { return f.size }

// Remove implements workroom.Blobs.
func (b *Blobs) Remove(sum string) error {
	p := b.path(sum)
	if p == "" {
		return nil
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Walk implements workroom.Blobs.
func (b *Blobs) Walk(fn func(sum string, stored time.Time) error) error {
	return filepath.WalkDir(b.dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		sum := filepath.Base(filepath.Dir(p)) + e.Name()
		if b.path(sum) != p {
			return nil // not a blob
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		return fn(sum, info.ModTime())
	})
}
