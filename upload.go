package workroom

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"sync"
	"time"
)

// Every way bytes come in — SFTP, `put`, message, job and proposal
// attachments, mail later — is one pipeline: StartUpload (or
// StartJobAttachment, StartProposalAttachment) checks who may upload what
// name; the bytes go to a temp file by WriteAt, in any order (SFTP clients
// write in parallel), each write checked against MaxFileSize and the
// room's quota with what other uploads hold; Commit hashes, scans, stores
// the blob by rename and records the version in one store transaction
// that checks the quota again. Until that transaction commits nothing is
// recorded: an aborted, refused or interrupted upload — or a crash — has
// used no quota and left at most a temp file (cleared at start-up) or a
// blob nothing refers to (collected, CollectBlobs).

// OnConflict is what an upload to a name that holds a file does.
type OnConflict string

const (
	ConflictVersion OnConflict = "version" // add a version (the default)
	ConflictRename  OnConflict = "rename"  // store under a free name: "logo (2).png"
	ConflictCancel  OnConflict = "cancel"  // refuse with ECONFLICT (RuleFileExists)
)

// ParseOnConflict reads an OnConflict; "" is ConflictVersion.
func ParseOnConflict(s string) (OnConflict, error) {
	switch c := OnConflict(s); c {
	case "":
		return ConflictVersion, nil
	case ConflictVersion, ConflictRename, ConflictCancel:
		return c, nil
	}
	return "", Errorf(EINVALID, "%q is not a choice for a name that exists; choose version, rename or cancel", s)
}

// maxRenames bounds the names ConflictRename tries: "name (2)" …
const maxRenames = 100

// UploadOptions say how an upload to a room stores its file.
type UploadOptions struct {
	OnConflict OnConflict
}

// Committed is what a committed upload stored.
type Committed struct {
	// Path is where it was stored: the path asked for, or a free name
	// under ConflictRename.
	Path    string  `json:"path"`
	Version Version `json:"version"`
	// Added is false when the bytes equal the latest version's: no
	// version was added and Version is that latest one.
	Added bool `json:"added"`
	// File is the room's file as stored; nil for job and proposal
	// attachments.
	File *File `json:"-"`
}

// Upload is one file on its way in. Its methods are safe to call from
// several goroutines; WriteAt calls may run in parallel.
type Upload struct {
	s      *Service
	ctx    context.Context // the session's: store reads for the quota
	user   *User
	name   string // the path asked for, as refusals quote it
	target uploadTarget
	f      *os.File

	mu   sync.RWMutex // held for writing by Commit, Abort and Truncate
	acct sync.Mutex   // guards what follows
	size int64        // the highest byte written, or the size set
	held int64        // bytes reserved against the room's quota
	// failed is the first refusal of a write: the upload can then only be
	// aborted, and its commit returns this.
	failed  error
	modTime time.Time
	done    bool
}

// uploadTarget is where a committed upload is recorded.
type uploadTarget interface {
	// room is the room whose quota the upload counts against; 0 for none.
	room() RoomID
	// record stores the version; the upload has checked everything else.
	record(ctx context.Context, u *Upload, v Version) (*Committed, error)
}

// StartUpload begins an upload of a file to path in a room. Members who
// may upload (not guests: EFORBIDDEN) start one; errNoRoom for a room the
// actor is not in; EINVALID for a name the file rules refuse (CleanPath,
// CheckFileName); EFORBIDDEN for .versions and the transcript; ECONFLICT
// (RuleFileExists) when opts say cancel and the name holds a file;
// EUNAVAILABLE when the server has no blob folder, or is stopping
// (RuleServerStopping). The caller must
// Commit or Abort it.
func (s *Service) StartUpload(ctx context.Context, room RoomID, path string, opts UploadOptions) (*Upload, error) {
	u, _, err := s.authorize(ctx, room, ActionUpload)
	if err != nil {
		return nil, err
	}
	if err := s.refuseWhenStopping(path); err != nil {
		return nil, err
	}
	p, err := CheckFileName(path)
	if err != nil {
		return nil, err
	}
	conflict, err := ParseOnConflict(string(opts.OnConflict))
	if err != nil {
		return nil, err
	}
	if conflict == ConflictCancel {
		if _, err := s.store.File(ctx, room, p); err == nil {
			return nil, errFileExists(p)
		} else if ErrorCode(err) != ENOTFOUND {
			return nil, err
		}
	}
	return s.startUpload(ctx, u, p, &roomTarget{id: room, path: p, conflict: conflict})
}

func (s *Service) startUpload(ctx context.Context, user *User, name string, t uploadTarget) (*Upload, error) {
	if s.blobs == nil {
		return nil, Errorf(EUNAVAILABLE, "this server stores no files")
	}
	f, err := s.blobs.CreateTemp()
	if err != nil {
		return nil, fmt.Errorf("upload %s: temp file: %w", name, err)
	}
	return &Upload{s: s, ctx: ctx, user: user, name: name, target: t, f: f, modTime: time.Time{}}, nil
}

// Path is the path the upload was started for.
func (u *Upload) Path() string { return u.name }

// WriteAt writes p at off into the upload. ELIMIT (RuleFileTooLarge)
// when the file would pass MaxFileSize; ELIMIT (RuleQuota) when the
// room's quota, with what other uploads in flight hold, has no room for
// it; EUNAVAILABLE when the disk takes no more. After a refused write the
// upload takes no more writes and its Commit fails: Abort it.
func (u *Upload) WriteAt(p []byte, off int64) (int, error) {
	u.mu.RLock()
	defer u.mu.RUnlock()
	if err := u.reserve(off, int64(len(p))); err != nil {
		return 0, err
	}
	n, err := u.f.WriteAt(p, off)
	if err != nil {
		u.s.log.Error("upload: writing the temp file", "path", u.name, "err", err)
		return n, u.fail(Errorf(EUNAVAILABLE, "%s: the server cannot store this file right now; try again later", u.name).Because(RuleCannotStore))
	}
	return n, nil
}

// ReadAt reads back what the upload holds so far, as a client that
// opened a file for reading and writing does (sshfs, editors); io.EOF
// past its end.
func (u *Upload) ReadAt(p []byte, off int64) (int, error) {
	u.mu.RLock()
	defer u.mu.RUnlock()
	u.acct.Lock()
	done := u.done
	u.acct.Unlock()
	if done {
		return 0, Errorf(EINVALID, "%s: this upload is finished", u.name)
	}
	return u.f.ReadAt(p, off)
}

// reserve checks that the upload may reach off+n bytes, holding the
// room's quota for it, and counts it written.
func (u *Upload) reserve(off, n int64) error {
	u.acct.Lock()
	defer u.acct.Unlock()
	switch {
	case u.done:
		return Errorf(EINVALID, "%s: this upload is finished", u.name)
	case u.failed != nil:
		return u.failed
	case off < 0:
		return Errorf(EINVALID, "%s: a write cannot start before the file's first byte", u.name)
	}
	end := off + n
	if err := u.hold(end); err != nil {
		u.failed = err
		return err
	}
	u.size = max(u.size, end)
	return nil
}

// holdStep is how far ahead of the bytes written an upload reserves room
// quota, so that a file written in small pieces reads the room's usage
// once per step rather than once per write. Near the quota an upload
// holds exactly what it has written instead.
const holdStep = 256 << 10

// hold makes sure end bytes fit the limits and the room's quota; called
// with acct held.
func (u *Upload) hold(end int64) error {
	if end > MaxFileSize {
		return errTooLarge(u.name)
	}
	room := u.target.room()
	if room == 0 || end <= u.held {
		return nil
	}
	usage, err := u.s.store.Usage(u.ctx, room, DefaultRoomQuota)
	if err != nil {
		return err
	}
	ahead := min((end+holdStep-1)/holdStep*holdStep, MaxFileSize)
	switch {
	case u.s.reserve.grow(room, ahead-u.held, usage):
		u.held = ahead
	case u.s.reserve.grow(room, end-u.held, usage):
		u.held = end
	default:
		return errQuota(u.name, usage)
	}
	return nil
}

// fail records the first refusal of a write and returns it.
func (u *Upload) fail(err error) error {
	u.acct.Lock()
	defer u.acct.Unlock()
	if u.failed == nil {
		u.failed = err
	}
	return u.failed
}

// Truncate sets the file's size, as clients do before or after writing
// (scp sets it to the highest offset written). The limits apply as for
// WriteAt. After a refused write, a size that would extend the file is
// refused too (EINVALID, RuleUploadFailed): the bytes it claims never
// arrived.
func (u *Upload) Truncate(size int64) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.acct.Lock()
	defer u.acct.Unlock()
	switch {
	case u.done:
		return Errorf(EINVALID, "%s: this upload is finished", u.name)
	case size < 0:
		return Errorf(EINVALID, "%s: a size cannot be negative", u.name)
	case u.failed != nil && size > u.size:
		return Errorf(EINVALID, "%s: a write to this upload was refused, so it cannot be made longer; upload it again", u.name).Because(RuleUploadFailed)
	}
	if err := u.hold(size); err != nil {
		if u.failed == nil {
			u.failed = err
		}
		return err
	}
	if err := u.f.Truncate(size); err != nil {
		u.s.log.Error("upload: truncating the temp file", "path", u.name, "err", err)
		return Errorf(EUNAVAILABLE, "%s: the server cannot store this file right now; try again later", u.name).Because(RuleCannotStore)
	}
	u.size = size
	return nil
}

// SetModTime sets the modification time the version will carry, as sync
// tools set it; it applies at Commit.
func (u *Upload) SetModTime(t time.Time) {
	u.acct.Lock()
	defer u.acct.Unlock()
	u.modTime = t.UTC().Truncate(time.Second)
}

// Abort ends the upload storing nothing, and frees its quota and temp
// file. Aborting a finished upload does nothing.
func (u *Upload) Abort() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.finish()
}

// finish frees what the upload holds; called with mu held.
func (u *Upload) finish() {
	u.acct.Lock()
	defer u.acct.Unlock()
	if u.done {
		return
	}
	u.done = true
	_ = u.f.Close()
	if err := os.Remove(u.f.Name()); err != nil && !os.IsNotExist(err) {
		u.s.log.Error("upload: removing the temp file", "path", u.f.Name(), "err", err)
	}
	if room := u.target.room(); room != 0 && u.held > 0 {
		u.s.reserve.release(room, u.held)
		u.held = 0
	}
}

// Commit stores the upload: it hashes the bytes, scans them, moves them
// into the blob folder and records the version in one transaction that
// checks the quota again. It returns what was stored; identical bytes to
// the latest version add no version (Committed.Added false). Refusals:
// the write's refusal when one was refused; EINFECTED (RuleInfected) with
// the virus's name; EUNAVAILABLE (RuleScannerDown) when the scanner gives
// no verdict; ELIMIT (RuleQuota) when the room filled meanwhile; ECONFLICT
// (RuleFileExists) under ConflictCancel; EFORBIDDEN or errNoRoom when the
// actor lost the right meanwhile; EUNAVAILABLE when ctx ended first. In
// every case but success nothing is recorded. The upload is finished
// afterwards either way.
func (u *Upload) Commit(ctx context.Context) (*Committed, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	defer u.finish()
	if u.done {
		return nil, Errorf(EINVALID, "%s: this upload is finished", u.name)
	}
	if u.failed != nil {
		return nil, u.failed
	}
	v, err := u.digest()
	if err != nil {
		return nil, err
	}
	if v.Scan, err = u.scan(ctx, v.Size); err != nil {
		return nil, err
	}
	if err := u.f.Close(); err != nil {
		return nil, fmt.Errorf("upload %s: closing the temp file: %w", u.name, err)
	}
	return u.store(ctx, v)
}

// stage is Commit for a file recorded later with others (a mail's
// attachments, PostMail): it hashes, scans and moves the bytes into their
// blob, held (BlobHolds) so no collection takes it until the caller
// records the version or lets go of it (release, dropIfUnused). Refusals as
// for Commit; the upload is finished afterwards either way.
func (u *Upload) stage(ctx context.Context) (Version, func(), error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	defer u.finish()
	if u.done {
		return Version{}, nil, Errorf(EINVALID, "%s: this upload is finished", u.name)
	}
	if u.failed != nil {
		return Version{}, nil, u.failed
	}
	v, err := u.digest()
	if err != nil {
		return Version{}, nil, err
	}
	if v.Scan, err = u.scan(ctx, v.Size); err != nil {
		return Version{}, nil, err
	}
	if err := u.f.Close(); err != nil {
		return Version{}, nil, fmt.Errorf("upload %s: closing the temp file: %w", u.name, err)
	}
	release, err := u.s.holds.Hold(ctx, v.SHA256)
	if err != nil {
		return Version{}, nil, fmt.Errorf("upload %s: holding the blob: %w", u.name, err)
	}
	if err := u.s.blobs.Put(u.f.Name(), v.SHA256); err != nil {
		release()
		return Version{}, nil, fmt.Errorf("upload %s: storing the blob: %w", u.name, err)
	}
	return v, release, nil
}

// digest hashes the temp file and fills what a version says of its bytes.
func (u *Upload) digest() (Version, error) {
	info, err := u.f.Stat()
	if err != nil {
		return Version{}, fmt.Errorf("upload %s: %w", u.name, err)
	}
	if info.Size() > MaxFileSize {
		return Version{}, errTooLarge(u.name)
	}
	h256, h1, h5 := sha256.New(), sha1.New(), md5.New()
	if _, err := io.Copy(io.MultiWriter(h256, h1, h5), io.NewSectionReader(u.f, 0, info.Size())); err != nil {
		return Version{}, fmt.Errorf("upload %s: hashing: %w", u.name, err)
	}
	now := u.s.now()
	v := Version{Size: info.Size(), SHA256: hex.EncodeToString(h256.Sum(nil)), SHA1: hex.EncodeToString(h1.Sum(nil)),
		MD5: hex.EncodeToString(h5.Sum(nil)), UploaderID: u.user.ID, UploaderName: u.user.Name, Uploaded: now, ModTime: u.modTime}
	if v.ModTime.IsZero() {
		v.ModTime = now.Truncate(time.Second)
	}
	return v, nil
}

// scan runs the bytes through the scanner; with none (--no-scan) they
// are marked not scanned.
func (u *Upload) scan(ctx context.Context, size int64) (ScanStatus, error) {
	if u.s.scanner == nil {
		return ScanNotScanned, nil
	}
	err := u.s.scanner.Scan(ctx, io.NewSectionReader(u.f, 0, size))
	switch ErrorCode(err) {
	case "":
		return ScanClean, nil
	case EINFECTED:
		sig := ""
		if e, ok := asError(err); ok {
			sig = e.Subject
		}
		u.s.log.Warn("upload refused: infected", "path", u.name, "user", u.user.ID, "signature", sig)
		return "", Errorf(EINFECTED, "%s: a virus was found (%s); the file was not stored", u.name, sig).Because(RuleInfected, sig)
	default:
		u.s.log.Error("upload refused: no scan verdict", "path", u.name, "err", err)
		return "", Errorf(EUNAVAILABLE, "%s: the virus scanner cannot be reached; try again later", u.name).Because(RuleScannerDown)
	}
}

// store moves the bytes into their blob and records the version. Between
// the two the blob is held (BlobHolds), so no collection takes it; when the record
// is refused, the blob goes again unless something else uses it.
func (u *Upload) store(ctx context.Context, v Version) (*Committed, error) {
	s := u.s
	release, err := s.holds.Hold(ctx, v.SHA256)
	if err != nil {
		return nil, fmt.Errorf("upload %s: holding the blob: %w", u.name, err)
	}
	// A blob that was there before this upload may be one a backup's
	// snapshot refers to: only the sweep, after BlobGrace, takes it.
	existed := false
	if b, err := s.blobs.Open(v.SHA256); err == nil {
		existed = true
		b.Close()
	}
	got, err := u.putAndRecord(ctx, v)
	release()
	if err != nil {
		if !existed {
			s.dropIfUnused(context.WithoutCancel(ctx), v.SHA256)
		}
		return nil, err
	}
	s.log.Info("file stored", "path", got.Path, "user", u.user.ID, "size", v.Size, "version", got.Version.N, "added", got.Added, "blob", v.SHA256)
	return got, nil
}

func (u *Upload) putAndRecord(ctx context.Context, v Version) (*Committed, error) {
	if err := u.s.blobs.Put(u.f.Name(), v.SHA256); err != nil {
		return nil, fmt.Errorf("upload %s: storing the blob: %w", u.name, err)
	}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	return u.target.record(ctx, u, v)
}

// roomTarget records a version in a room's file area.
type roomTarget struct {
	id       RoomID
	path     string
	conflict OnConflict
}

func (t *roomTarget) room() RoomID { return t.id }

func (t *roomTarget) record(ctx context.Context, u *Upload, v Version) (*Committed, error) {
	s := u.s
	// The right to upload is checked again: the actor may have been
	// removed from the room while the bytes were arriving.
	if _, _, err := s.authorize(ctx, t.id, ActionUpload); err != nil {
		return nil, err
	}
	c := VersionCommit{Room: t.id, Path: t.path, Version: v, DefaultQuota: DefaultRoomQuota, IfAbsent: t.conflict != ConflictVersion}
	for try := 2; ; try++ {
		f, added, err := s.store.CommitVersion(ctx, c)
		switch {
		case err == nil:
			if added {
				s.publishFile(t.id, f)
			}
			return &Committed{Path: f.Path, Version: f.Latest(), Added: added, File: f}, nil
		case ErrorRule(err) == RuleFileExists && t.conflict == ConflictRename && try <= maxRenames:
			c.Path = numberedName(t.path, try)
		default:
			return nil, s.wordFileRefusal(ctx, t.id, c.Path, err)
		}
	}
}

// wordFileRefusal words a store's refusal of a write to path in a room.
func (s *Service) wordFileRefusal(ctx context.Context, room RoomID, path string, err error) error {
	switch ErrorRule(err) {
	case RuleQuota:
		usage, uerr := s.store.Usage(ctx, room, DefaultRoomQuota)
		if uerr != nil {
			return uerr
		}
		return errQuota(path, usage)
	case RuleFileExists:
		return errFileExists(path)
	case RuleNotAFile:
		return Errorf(ECONFLICT, "%s: a folder has that name, or a folder on its path is a file; choose another path", path).Because(RuleNotAFile)
	case RuleNotYourFile:
		return Errorf(EFORBIDDEN, "%s: someone else uploaded a version of it, so only the client can delete or replace it", path).Because(RuleNotYourFile)
	}
	if ErrorCode(err) == ENOTFOUND {
		return Errorf(ENOTFOUND, "no such file: %s", path)
	}
	return err
}

func errFileExists(path string) *Error {
	return Errorf(ECONFLICT, "%s: a file has that name already", path).Because(RuleFileExists, path)
}

// numberedName is the n-th free-name candidate for p: "logo (2).png".
func numberedName(p string, n int) string {
	ext := path.Ext(p)
	return fmt.Sprintf("%s (%d)%s", strings.TrimSuffix(p, ext), n, ext)
}
