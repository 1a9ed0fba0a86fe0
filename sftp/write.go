package sftp

import (
	"io"
	"sync/atomic"

	"github.com/pkg/sftp"

	"github.com/workroom/workroom"
)

// Filewrite opens a file for writing: an upload that becomes a new
// version when the client closes it.
func (h *handlers) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	return h.start(r)
}

// OpenFile opens a file for reading and writing (sshfs, editors): the
// same upload, which reads back what it holds.
func (h *handlers) OpenFile(r *sftp.Request) (sftp.WriterAtReaderAt, error) {
	return h.start(r)
}

// start begins an upload to the request's path. Opened without truncate
// over an existing file, the upload starts with that file's bytes, as a
// file system would: scp then overwrites them and sets the size it
// wrote, an editor changes a few bytes.
func (h *handlers) start(r *sftp.Request) (*upload, error) {
	pl, err := h.locate(r.Filepath)
	if err != nil {
		return nil, err
	}
	switch pl.kind {
	case atRoot:
		return nil, refuse("the top folder lists your workrooms; put files inside one of them")
	case atRoom:
		return nil, fail(r.Filepath + " is a workroom's folder; put files inside it")
	}
	// .versions and the transcript go to the service too: its read-only
	// rule refuses them, in its own words.
	up, err := h.svc.StartUpload(h.ctx, pl.room.ID, pl.inner, workroom.UploadOptions{})
	if err != nil {
		return nil, h.status(err)
	}
	u := &upload{h: h, key: pl.key(), up: up}
	if !r.Pflags().Trunc {
		if err := h.prefill(pl, up); err != nil {
			up.Abort()
			return nil, err
		}
	}
	h.mu.Lock()
	h.uploads[u.key] = u
	h.mu.Unlock()
	h.open.Add(1)
	return u, nil
}

// prefill copies the latest version of the file at the place, if any,
// into the upload.
func (h *handlers) prefill(pl place, up *workroom.Upload) error {
	_, _, b, err := h.svc.OpenVersion(h.ctx, pl.room.ID, pl.inner, 0)
	if workroom.ErrorCode(err) == workroom.ENOTFOUND {
		return nil
	} else if err != nil {
		return h.status(err)
	}
	defer b.Close()
	if _, err := io.Copy(io.NewOffsetWriter(up, 0), io.NewSectionReader(b, 0, b.Size())); err != nil {
		return h.status(err)
	}
	return nil
}

// openUpload returns the upload open on a place, if any.
func (h *handlers) openUpload(pl place) *upload {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.uploads[pl.key()]
}

// upload is an SFTP handle open for writing.
type upload struct {
	h   *handlers
	key string
	up  *workroom.Upload
	// broken is set when the connection died with the handle open: the
	// close that follows must store nothing.
	broken atomic.Bool
	closed atomic.Bool
}

// WriteAt writes bytes at an offset; pkg/sftp calls it from several
// workers, in any order.
func (u *upload) WriteAt(p []byte, off int64) (int, error) {
	n, err := u.up.WriteAt(p, off)
	return n, u.h.status(err)
}

// ReadAt reads back what the upload holds; io.EOF past its end.
func (u *upload) ReadAt(p []byte, off int64) (int, error) {
	n, err := u.up.ReadAt(p, off)
	if err == io.EOF {
		return n, err
	}
	return n, u.h.status(err)
}

// TransferError is called for a handle still open when the connection
// ends: what arrived is not the whole file.
func (u *upload) TransferError(error) { u.broken.Store(true) }

// Close commits the upload (a new version, or none for identical bytes);
// its refusal is what the client sees for the close.
func (u *upload) Close() error {
	if u.closed.Swap(true) {
		return nil
	}
	// Counted open until stored or discarded: a stopping session waits
	// for it.
	defer u.h.open.Add(-1)
	u.h.mu.Lock()
	if u.h.uploads[u.key] == u {
		delete(u.h.uploads, u.key)
	}
	u.h.mu.Unlock()
	if u.broken.Load() || u.h.ctx.Err() != nil {
		u.up.Abort()
		return nil
	}
	_, err := u.up.Commit(u.h.ctx)
	return u.h.status(err)
}
