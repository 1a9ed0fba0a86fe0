package workroom

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The file area's reads and changes other than uploads (upload.go).

// DefaultFilePage is how many files a page of Files holds unless asked.
const DefaultFilePage = 100

// Files returns a page of a room's files in path order — those with
// paths after after ("" from the first) — with every folder of the room
// and its space used. errNoRoom for a room the actor is not in; EINVALID
// (RulePageTooLarge) for a limit over MaxPageSize.
func (s *Service) Files(ctx context.Context, room RoomID, after string, limit int) (*FilePage, error) {
	if _, _, err := s.authorize(ctx, room, ActionRead); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = DefaultFilePage
	}
	if limit > MaxPageSize {
		return nil, Errorf(EINVALID, "a page holds at most %d files", MaxPageSize).Because(RulePageTooLarge)
	}
	files, err := s.store.Files(ctx, room, after, limit+1)
	if err != nil {
		return nil, err
	}
	page := &FilePage{Files: files}
	if len(files) > limit {
		page.Files = files[:limit]
		page.After = files[limit-1].Path
	}
	if page.Folders, err = s.store.Folders(ctx, room); err != nil {
		return nil, err
	}
	page.Usage, err = s.store.Usage(ctx, room, DefaultRoomQuota)
	return page, err
}

// File returns one file of a room with its versions. errNoRoom for a
// room the actor is not in; ENOTFOUND for a path that holds no file;
// EINVALID for a path no room may hold.
func (s *Service) File(ctx context.Context, room RoomID, path string) (*File, error) {
	if _, _, err := s.authorize(ctx, room, ActionRead); err != nil {
		return nil, err
	}
	p, err := readPath(path)
	if err != nil {
		return nil, err
	}
	f, err := s.store.File(ctx, room, p)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ENOTFOUND, "no such file: %s", p)
	}
	return f, err
}

// readPath cleans a path to read: the reserved names are not files of
// the area (the SFTP view serves them itself), so they are simply absent.
func readPath(path string) (string, error) {
	p, err := CleanPath(path)
	if ErrorRule(err) == RuleReadOnly {
		return "", Errorf(ENOTFOUND, "no such file: %s", strings.Trim(path, "/"))
	}
	return p, err
}

// OpenVersion opens version n of a file for reading (0: the latest) and
// returns the file, the version and its bytes; the caller closes the
// Blob. ENOTFOUND for no such file or version; errNoRoom as for File.
func (s *Service) OpenVersion(ctx context.Context, room RoomID, path string, n int) (*File, Version, Blob, error) {
	f, err := s.File(ctx, room, path)
	if err != nil {
		return nil, Version{}, nil, err
	}
	v := f.Latest()
	if n != 0 {
		var ok bool
		if v, ok = f.Version(n); !ok {
			return nil, Version{}, nil, Errorf(ENOTFOUND, "%s has no version %d; it has versions 1 to %d", f.Path, n, f.Latest().N)
		}
	}
	if s.blobs == nil {
		return nil, Version{}, nil, Errorf(EUNAVAILABLE, "this server stores no files")
	}
	b, err := s.blobs.Open(v.SHA256)
	if err != nil {
		return nil, Version{}, nil, fmt.Errorf("open %s v%d (blob %s): %w", f.Path, v.N, v.SHA256, err)
	}
	return f, v, b, nil
}

// DeleteFile removes a file, with every version, from a room's area. The
// client deletes any file; the freelancer and team members only files
// whose every version they uploaded (EFORBIDDEN, RuleNotYourFile);
// guests none (EFORBIDDEN). ENOTFOUND for no such file; errNoRoom for a
// room the actor is not in. Its blobs stay for the sweep (BlobGrace).
func (s *Service) DeleteFile(ctx context.Context, room RoomID, path string) (*File, error) {
	u, m, err := s.authorize(ctx, room, ActionDeleteOwn)
	if err != nil {
		return nil, err
	}
	p, err := CleanPath(path)
	if err != nil {
		return nil, err
	}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	f, err := s.store.DeleteFile(ctx, room, p, s.onlyBy(u, m))
	if err != nil {
		return nil, s.wordFileRefusal(ctx, room, p, err)
	}
	// Its blobs stay until the sweep collects them, BlobGrace after
	// nothing uses them: a backup taken before may still need them.
	s.log.Info("file deleted", "room", room, "path", p, "user", u.ID, "versions", len(f.Versions))
	s.publishFile(room, f)
	return f, nil
}

// onlyBy is whose files a member may remove or replace: anyone's (0) for
// a role that deletes any file, else their own.
func (s *Service) onlyBy(u *User, m *Member) UserID {
	if m.Role.Can(ActionDeleteAny) {
		return 0
	}
	return u.ID
}

// RenameFile moves a file within a room. Onto a free path it moves with
// its versions; onto a file, its latest version becomes that file's next
// version and it is gone (as sync tools upload "name.partial" and rename
// it over the name) — which needs the right to delete it (RuleNotYourFile
// as for DeleteFile). Members who may upload rename (not guests:
// EFORBIDDEN). ENOTFOUND for no file at from; ECONFLICT (RuleNotAFile)
// when to is a folder or under a file; EINVALID for a target name the
// file rules refuse.
func (s *Service) RenameFile(ctx context.Context, room RoomID, from, to string) (*File, error) {
	u, m, err := s.authorize(ctx, room, ActionUpload)
	if err != nil {
		return nil, err
	}
	src, err := CleanPath(from)
	if err != nil {
		return nil, err
	}
	dst, err := CheckFileName(to)
	if err != nil {
		return nil, err
	}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	f, err := s.store.RenameFile(ctx, room, src, dst, s.onlyBy(u, m))
	if err != nil {
		at := dst
		if ErrorCode(err) == ENOTFOUND || ErrorRule(err) == RuleNotYourFile {
			at = src
		}
		return nil, s.wordFileRefusal(ctx, room, at, err)
	}
	s.log.Info("file renamed", "room", room, "from", src, "to", dst, "user", u.ID)
	s.publishFile(room, f)
	return f, nil
}

// MakeFolder makes an empty folder (a category) in a room's area, and the
// folders above it. Members who may upload (not guests: EFORBIDDEN);
// ECONFLICT (RuleFileExists) when the path is taken; EINVALID for a path
// no room may hold.
func (s *Service) MakeFolder(ctx context.Context, room RoomID, path string) error {
	u, _, err := s.authorize(ctx, room, ActionUpload)
	if err != nil {
		return err
	}
	p, err := CleanPath(path)
	if err != nil {
		return err
	}
	if err := stillWanted(ctx); err != nil {
		return err
	}
	if err := s.store.CreateFolder(ctx, Folder{RoomID: room, Path: p, Created: s.now()}); err != nil {
		return s.wordFileRefusal(ctx, room, p, err)
	}
	s.log.Info("folder made", "room", room, "path", p, "user", u.ID)
	return nil
}

// RemoveFolder removes an empty folder. Members who may upload;
// ENOTFOUND for no such folder; ECONFLICT (RuleFolderNotEmpty) when it
// holds files or folders.
func (s *Service) RemoveFolder(ctx context.Context, room RoomID, path string) error {
	if _, _, err := s.authorize(ctx, room, ActionUpload); err != nil {
		return err
	}
	p, err := CleanPath(path)
	if err != nil {
		return err
	}
	if err := stillWanted(ctx); err != nil {
		return err
	}
	switch err := s.store.RemoveFolder(ctx, room, p); {
	case ErrorRule(err) == RuleFolderNotEmpty:
		return Errorf(ECONFLICT, "%s holds files or folders; only an empty folder is removed", p).Because(RuleFolderNotEmpty)
	case ErrorCode(err) == ENOTFOUND:
		return Errorf(ENOTFOUND, "no such folder: %s", p)
	default:
		return err
	}
}

// RoomFolder is how a room appears at the top of its members' SFTP view
// and in the paths sync tools use: "<id>-<slug of its title>".
func RoomFolder(r *Room) string {
	return strconv.FormatUint(uint64(r.ID), 10) + "-" + slug(r.Title)
}

// slug makes a title safe as one path name: lowercase letters and digits,
// runs of anything else as one "-", at most 40 characters.
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return "room"
	}
	return s
}

// FileAt returns the latest state of a file named by its full path as
// SFTP clients and sync tools give it: "/<room folder>/<path>"
// (RoomFolder). errNoRoom when the first name is no room of the actor's
// (or names it with another title); ENOTFOUND for no such file.
func (s *Service) FileAt(ctx context.Context, full string) (*File, error) {
	top, rest, _ := strings.Cut(strings.TrimLeft(full, "/"), "/")
	digits, _, _ := strings.Cut(top, "-")
	id, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || id == 0 {
		return nil, Errorf(ENOTFOUND, "no such file: %s", full)
	}
	if _, _, err := s.authorize(ctx, RoomID(id), ActionRead); err != nil {
		return nil, err
	}
	r, err := s.store.Room(ctx, RoomID(id))
	if err != nil {
		return nil, err
	}
	if RoomFolder(r) != top {
		return nil, errNoRoom(RoomID(id))
	}
	return s.File(ctx, RoomID(id), rest)
}

// SetModTime sets the modification time of a file's latest version, as
// sync tools do after an upload (rclone sets it once the file is
// closed) so that an unchanged file is not sent again. Members who may
// upload (not guests: EFORBIDDEN); ENOTFOUND for no such file; errNoRoom
// for a room the actor is not in. Times keep whole seconds, as SFTP
// carries them.
func (s *Service) SetModTime(ctx context.Context, room RoomID, path string, t time.Time) (*File, error) {
	if _, _, err := s.authorize(ctx, room, ActionUpload); err != nil {
		return nil, err
	}
	p, err := CleanPath(path)
	if err != nil {
		return nil, err
	}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	f, err := s.store.SetModTime(ctx, room, p, t.UTC().Truncate(time.Second))
	if err != nil {
		return nil, s.wordFileRefusal(ctx, room, p, err)
	}
	return f, nil
}
