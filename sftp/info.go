package sftp

import (
	"io"
	"os"
	"time"
)

// info is one entry of a listing or a stat answer.
type info struct {
	name  string
	size  int64
	mode  os.FileMode
	mtime time.Time
}

func (i *info) Name() string       { return i.name }
func (i *info) Size() int64        { return i.size }
func (i *info) Mode() os.FileMode  { return i.mode }
func (i *info) ModTime() time.Time { return i.mtime }
func (i *info) IsDir() bool        { return i.mode.IsDir() }
func (i *info) Sys() any           { return nil }

// Modes shown: what the user may do, as ls -l reads it.
const (
	modeDir      = os.ModeDir | 0o755
	modeDirRO    = os.ModeDir | 0o555
	modeFile     = 0o644
	modeReadOnly = 0o444
)

func dirInfo(name string, t time.Time, writable bool) *info {
	if writable {
		return &info{name: name, mode: modeDir, mtime: t}
	}
	return &info{name: name, mode: modeDirRO, mtime: t}
}

func fileInfo(name string, size int64, t time.Time, writable bool) *info {
	if writable {
		return &info{name: name, size: size, mode: modeFile, mtime: t}
	}
	return &info{name: name, size: size, mode: modeReadOnly, mtime: t}
}

// listing is a directory's entries, served a batch at a time.
type listing []os.FileInfo

// ListAt implements sftp.ListerAt.
func (l listing) ListAt(out []os.FileInfo, off int64) (int, error) {
	if off >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(out, l[off:])
	if n < len(out) {
		return n, io.EOF
	}
	return n, nil
}
