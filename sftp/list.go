package sftp

import (
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/pkg/sftp"

	"github.com/workroom/workroom"
)

// Filelist lists a folder or stats one path.
func (h *handlers) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	pl, err := h.locate(r.Filepath)
	if err != nil {
		return nil, err
	}
	switch r.Method {
	case "List":
		return h.list(pl)
	case "Stat":
		i, err := h.stat(pl)
		if err != nil {
			return nil, err
		}
		return listing{i}, nil
	case "Readlink":
		if _, err := h.stat(pl); err != nil {
			return nil, err
		}
		return nil, fail(r.Filepath + " is not a symbolic link: this server has none")
	}
	return nil, sftp.ErrSSHFxOpUnsupported
}

// Lstat is Stat: the view has no symbolic links.
func (h *handlers) Lstat(r *sftp.Request) (sftp.ListerAt, error) {
	r.Method = "Stat"
	return h.Filelist(r)
}

// RealPath makes a path absolute and clean, without looking it up: the
// same answer whether or not a room exists.
func (h *handlers) RealPath(p string) (string, error) {
	return path.Clean("/" + p), nil
}

// stat describes what a place names.
func (h *handlers) stat(pl place) (os.FileInfo, error) {
	switch pl.kind {
	case atRoot:
		return dirInfo("/", time.Time{}, false), nil
	case atRoom:
		return dirInfo(workroom.RoomFolder(&pl.room.Room), pl.room.LastActivity, pl.canWrite()), nil
	case atTranscript:
		t, err := h.transcript(pl.room)
		if err != nil {
			return nil, err
		}
		return fileInfo(workroom.TranscriptName, int64(len(t.text)), t.mtime, false), nil
	case atVersions:
		return h.statVersions(pl)
	}
	f, err := h.file(pl, pl.inner)
	if err == nil {
		v := f.Latest()
		return fileInfo(f.Name(), v.Size, v.ModTime, pl.canWrite()), nil
	}
	if err != errNotFound {
		return nil, err
	}
	if ok, err := h.isFolder(pl, pl.inner); err != nil || !ok {
		return nil, orNotFound(err)
	}
	return dirInfo(path.Base(pl.inner), pl.room.LastActivity, pl.canWrite()), nil
}

// statVersions describes a path under .versions: a folder, a file's
// folder of versions, or one version.
func (h *handlers) statVersions(pl place) (os.FileInfo, error) {
	if pl.rest == "" {
		return dirInfo(workroom.VersionsFolder, pl.room.LastActivity, false), nil
	}
	if f, err := h.file(pl, pl.rest); err == nil {
		return dirInfo(f.Name(), f.Latest().ModTime, false), nil
	} else if err != errNotFound {
		return nil, err
	}
	if p, n, ok := h.versionFile(pl); ok {
		f, err := h.file(pl, p)
		if err != nil {
			return nil, err
		}
		v, ok := f.Version(n)
		if !ok {
			return nil, errNotFound
		}
		return fileInfo(versionName(f.Name(), v), v.Size, v.ModTime, false), nil
	}
	if ok, err := h.isFolder(pl, pl.rest); err != nil || !ok {
		return nil, orNotFound(err)
	}
	return dirInfo(path.Base(pl.rest), pl.room.LastActivity, false), nil
}

func orNotFound(err error) error {
	if err == nil {
		return errNotFound
	}
	return err
}

// file returns the file at p in the place's room. A path the area could
// not hold (a hidden name, say) is not found: clients look before they
// write, and the write gives the reason.
func (h *handlers) file(pl place, p string) (*workroom.File, error) {
	f, err := h.svc.File(h.ctx, pl.room.ID, p)
	if workroom.ErrorCode(err) == workroom.EINVALID {
		return nil, errNotFound
	}
	return f, h.status(err)
}

// isFolder reports whether p is a folder of the room's area.
func (h *handlers) isFolder(pl place, p string) (bool, error) {
	page, err := h.svc.Files(h.ctx, pl.room.ID, p+"/", 1)
	if err != nil {
		return false, h.status(err)
	}
	if len(page.Files) > 0 && strings.HasPrefix(page.Files[0].Path, p+"/") {
		return true, nil
	}
	return slices.Contains(page.Folders, p), nil
}

// list lists a folder.
func (h *handlers) list(pl place) (sftp.ListerAt, error) {
	switch pl.kind {
	case atRoot:
		return h.listRooms()
	case atRoom:
		l, err := h.listArea(pl, "", false)
		if err != nil {
			return nil, err
		}
		t, err := h.transcript(pl.room)
		if err != nil {
			return nil, err
		}
		return append(listing{dirInfo(workroom.VersionsFolder, pl.room.LastActivity, false),
			fileInfo(workroom.TranscriptName, int64(len(t.text)), t.mtime, false)}, l...), nil
	case atArea:
		return h.listFolder(pl, pl.inner, false)
	case atVersions:
		if pl.rest == "" {
			return h.listArea(pl, "", true)
		}
		if f, err := h.file(pl, pl.rest); err == nil {
			var l listing
			for _, v := range f.Versions {
				l = append(l, fileInfo(versionName(f.Name(), v), v.Size, v.ModTime, false))
			}
			return l, nil
		} else if err != errNotFound {
			return nil, err
		}
		return h.listFolder(pl, pl.rest, true)
	}
	return nil, fail("not a folder")
}

// listFolder lists folder p, which must be one (a file is no folder).
func (h *handlers) listFolder(pl place, p string, versions bool) (sftp.ListerAt, error) {
	if ok, err := h.isFolder(pl, p); err != nil || !ok {
		if _, ferr := h.file(pl, p); ferr == nil && !versions {
			return nil, fail(p + " is a file, not a folder")
		}
		return nil, orNotFound(err)
	}
	return h.listArea(pl, p, versions)
}

// listArea lists what folder p ("" for the top) of the room holds: its
// folders and files, or under .versions one folder per file.
func (h *handlers) listArea(pl place, p string, versions bool) (listing, error) {
	prefix := ""
	if p != "" {
		prefix = p + "/"
	}
	writable := pl.canWrite() && !versions
	var l listing
	seen := map[string]bool{}
	addDir := func(name string) {
		if !seen[name] {
			seen[name] = true
			l = append(l, dirInfo(name, pl.room.LastActivity, writable))
		}
	}
	after := prefix
	for {
		page, err := h.svc.Files(h.ctx, pl.room.ID, after, workroom.MaxPageSize)
		if err != nil {
			return nil, h.status(err)
		}
		if after == prefix { // the first page: the folders are on every page
			for _, f := range page.Folders {
				if rel, ok := strings.CutPrefix(f, prefix); ok && rel != "" && !strings.Contains(rel, "/") {
					addDir(rel)
				}
			}
		}
		for _, f := range page.Files {
			rel, ok := strings.CutPrefix(f.Path, prefix)
			if !ok {
				return l, nil
			}
			switch dir, _, deeper := strings.Cut(rel, "/"); {
			case deeper:
				addDir(dir)
			case versions:
				addDir(rel)
			default:
				v := f.Latest()
				l = append(l, fileInfo(rel, v.Size, v.ModTime, writable))
			}
		}
		if page.After == "" {
			return l, nil
		}
		after = page.After
	}
}

// listRooms lists the user's rooms.
func (h *handlers) listRooms() (listing, error) {
	var l listing
	var before uint64
	for {
		page, err := h.svc.Rooms(h.ctx, before, workroom.MaxPageSize)
		if err != nil {
			return nil, h.status(err)
		}
		for _, m := range page.Rooms {
			l = append(l, dirInfo(workroom.RoomFolder(&m.Room), m.LastActivity, m.Role.Can(workroom.ActionUpload)))
		}
		if page.Before == 0 {
			return l, nil
		}
		before = page.Before
	}
}
