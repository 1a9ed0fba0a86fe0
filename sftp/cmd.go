package sftp

import (
	"time"

	"github.com/pkg/sftp"

	"github.com/workroom/workroom"
)

// Filecmd runs the requests that change the area: Setstat, Rename,
// Remove, Mkdir, Rmdir; links are refused.
func (h *handlers) Filecmd(r *sftp.Request) error {
	pl, err := h.locate(r.Filepath)
	if err != nil {
		return err
	}
	switch r.Method {
	case "Setstat":
		return h.setstat(pl, r)
	case "Rename":
		return h.rename(pl, r.Target)
	case "Remove":
		if err := h.onlyInRoom(pl, "remove"); err != nil {
			return err
		}
		_, err := h.svc.DeleteFile(h.ctx, pl.room.ID, pl.inner)
		return h.status(err)
	case "Mkdir":
		if err := h.onlyInRoom(pl, "make"); err != nil {
			return err
		}
		return h.status(h.svc.MakeFolder(h.ctx, pl.room.ID, pl.inner))
	case "Rmdir":
		if err := h.onlyInRoom(pl, "remove"); err != nil {
			return err
		}
		return h.status(h.svc.RemoveFolder(h.ctx, pl.room.ID, pl.inner))
	case "Link", "Symlink":
		return refuse("this server keeps no links; copy the file instead")
	}
	return sftp.ErrSSHFxOpUnsupported
}

// onlyInRoom refuses a change to the top folder or a room's own folder;
// inside a room the service decides.
func (h *handlers) onlyInRoom(pl place, verb string) error {
	switch pl.kind {
	case atRoot:
		return refuse("the top folder lists your workrooms; you cannot " + verb + " anything there")
	case atRoom:
		return refuse("a workroom's folder is the workroom's; you cannot " + verb + " it")
	}
	return nil
}

// PosixRename is Rename: onto an existing name it makes a version either
// way.
func (h *handlers) PosixRename(r *sftp.Request) error {
	r.Method = "Rename"
	return h.Filecmd(r)
}

// rename moves a file within its room; onto an existing file, the moved
// file's latest version becomes that file's next version.
func (h *handlers) rename(from place, target string) error {
	to, err := h.locate(target)
	if err != nil {
		return err
	}
	if err := h.onlyInRoom(from, "rename"); err != nil {
		return err
	}
	if err := h.onlyInRoom(to, "rename"); err != nil {
		return err
	}
	if from.room.ID != to.room.ID {
		return fail("files move only within one workroom; to put a copy in another, download it and upload it there")
	}
	if from.kind == atArea {
		if ok, _ := h.isFolder(from, from.inner); ok {
			return fail(from.inner + " is a folder, and folders are not renamed; make the new folder and move the files into it")
		}
	}
	_, err = h.svc.RenameFile(h.ctx, from.room.ID, from.inner, to.inner)
	return h.status(err)
}

// setstat applies a size or time change. During an upload to the path it
// applies to the upload (scp sets the size after writing, sync tools the
// time); on a stored file a time sets its latest version's, and a size
// other than its own is refused. Permissions and owners are accepted and
// ignored: the room decides who may do what.
func (h *handlers) setstat(pl place, r *sftp.Request) error {
	flags, attrs := r.AttrFlags(), r.Attributes()
	if u := h.openUpload(pl); u != nil {
		if flags.Size {
			if err := u.up.Truncate(int64(attrs.Size)); err != nil {
				return h.status(err)
			}
		}
		if flags.Acmodtime {
			u.up.SetModTime(time.Unix(int64(attrs.Mtime), 0))
		}
		return nil
	}
	if pl.kind != atArea {
		if flags.Size || flags.Acmodtime {
			if _, err := h.stat(pl); err != nil {
				return err
			}
			if pl.kind == atVersions || pl.kind == atTranscript {
				return refuse(pl.inner + " is read-only: the server keeps it")
			}
		}
		return nil // folders keep no times of their own
	}
	if flags.Size {
		f, err := h.file(pl, pl.inner)
		if err != nil {
			return err
		}
		if f.Latest().Size != int64(attrs.Size) {
			return fail(pl.inner + ": a stored file's size is changed by uploading it again")
		}
	}
	if flags.Acmodtime {
		if ok, _ := h.isFolder(pl, pl.inner); ok {
			return nil
		}
		_, err := h.svc.SetModTime(h.ctx, pl.room.ID, pl.inner, time.Unix(int64(attrs.Mtime), 0))
		return h.status(err)
	}
	return nil
}

// statvfsBlock is the block size statvfs reports the quota in.
const statvfsBlock = 4096

// StatVFS reports a room's quota as a file system's size and its free
// space as free, so that df shows them.
func (h *handlers) StatVFS(r *sftp.Request) (*sftp.StatVFS, error) {
	pl, err := h.locate(r.Filepath)
	if err != nil {
		return nil, err
	}
	st := &sftp.StatVFS{Bsize: statvfsBlock, Frsize: statvfsBlock, Namemax: workroom.MaxFileNameLength}
	if pl.kind == atRoot {
		return st, nil
	}
	u, err := h.svc.Usage(h.ctx, pl.room.ID)
	if err != nil {
		return nil, h.status(err)
	}
	st.Blocks = uint64(u.Quota) / statvfsBlock
	st.Bfree = uint64(u.Free()) / statvfsBlock
	st.Bavail = st.Bfree
	return st, nil
}
