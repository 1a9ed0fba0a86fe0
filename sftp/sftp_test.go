package sftp_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pkg/sftp"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// Status codes of SFTP (draft-ietf-secsh-filexfer-02).
const (
	fxNoSuchFile       = 2
	fxPermissionDenied = 3
	fxFailure          = 4
)

func names(t *testing.T, c *sftp.Client, dir string) []string {
	t.Helper()
	infos, err := c.ReadDir(dir)
	if err != nil {
		t.Fatalf("ls %s: %v", dir, err)
	}
	var out []string
	for _, i := range infos {
		n := i.Name()
		if i.IsDir() {
			n += "/"
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// scene is Ada (client) and Bob (freelancer) in one room, Carol in
// another of her own with Dan.
type scene struct {
	e                  *env
	ada, bob, carol    *person
	room, carolsRoom   *workroom.Room
	adaC, bobC, carolC *sftp.Client
	dir, carolsDir     string
}

func newScene(t *testing.T, opts ...workroomtest.Option) *scene {
	adaKey := newKey(t)
	e := start(t, append(opts, workroomtest.WithAdmins(workroom.KeyOf(adaKey.PublicKey()).Fingerprint))...)
	s := &scene{e: e}
	s.ada, s.bob, s.carol = e.signUp(t, "Ada", adaKey), e.signUp(t, "Bob", nil), e.signUp(t, "Carol", nil)
	dan := e.signUp(t, "Dan", nil)
	s.room = e.w.Room(t, s.ada.id, s.bob.id, "Logo design")
	s.carolsRoom = e.w.Room(t, s.carol.id, dan.id, "Secret plans")
	s.dir, s.carolsDir = roomDir(s.room), roomDir(s.carolsRoom)
	s.adaC, s.bobC, s.carolC = e.sftp(t, s.ada), e.sftp(t, s.bob), e.sftp(t, s.carol)
	return s
}

func TestSFTP_ListsRoomsThenFoldersFilesVersionsAndTranscript(t *testing.T) {
	s := newScene(t)
	s.e.w.Upload(t, s.ada.id, s.room.ID, "docs/brief.pdf", []byte("the brief"))
	s.e.w.Post(t, s.ada.id, s.room.ID, "first")
	s.e.w.Post(t, s.bob.id, s.room.ID, "second\nline")

	if got, want := names(t, s.bobC, "/"), []string{workroom.RoomFolder(s.room) + "/"}; !slices.Equal(got, want) {
		t.Errorf("/ lists %v, want %v", got, want)
	}
	if got, want := names(t, s.bobC, s.dir), []string{".transcript.txt", ".versions/", "docs/"}; !slices.Equal(got, want) {
		t.Errorf("%s lists %v, want %v", s.dir, got, want)
	}
	if got := names(t, s.bobC, s.dir+"/docs"); !slices.Equal(got, []string{"brief.pdf"}) {
		t.Errorf("docs lists %v", got)
	}
	if got := names(t, s.bobC, s.dir+"/.versions/docs/brief.pdf"); !slices.Equal(got, []string{"v1-brief.pdf"}) {
		t.Errorf(".versions lists %v", got)
	}
	fi, err := s.bobC.Stat(s.dir + "/docs/brief.pdf")
	if err != nil || fi.Size() != int64(len("the brief")) || fi.IsDir() {
		t.Errorf("stat brief.pdf: %v %v", fi, err)
	}
	script := string(get(t, s.bobC, s.dir+"/.transcript.txt"))
	if i, j := strings.Index(script, "first"), strings.Index(script, "second\n  line"); i < 0 || j < i {
		t.Errorf("transcript not oldest first with bodies:\n%s", script)
	}
	fi, err = s.bobC.Stat(s.dir + "/.transcript.txt")
	if err != nil || fi.Size() != int64(len(script)) {
		t.Errorf("transcript's listed size %v, read %d bytes (%v)", fi.Size(), len(script), err)
	}
}

func TestSFTP_SecondVersionThenOldVersionByteExactFromVersions(t *testing.T) {
	s := newScene(t)
	v1, v2 := bytes.Repeat([]byte("one\x00"), 50000), bytes.Repeat([]byte("two!"), 70000)
	put(t, s.bobC, s.dir+"/logo.png", v1)
	put(t, s.adaC, s.dir+"/logo.png", v2)
	if got := get(t, s.bobC, s.dir+"/logo.png"); !bytes.Equal(got, v2) {
		t.Errorf("latest has %d bytes, want v2's %d", len(got), len(v2))
	}
	if got := get(t, s.bobC, s.dir+"/.versions/logo.png/v1-logo.png"); !bytes.Equal(got, v1) {
		t.Errorf("v1 has %d bytes, want %d", len(got), len(v1))
	}
	f, err := s.e.w.Svc.File(workroomtest.As(s.ada.id), s.room.ID, "logo.png")
	if err != nil || len(f.Versions) != 2 || f.Versions[0].UploaderName != "Bob" {
		t.Fatalf("file: %+v, %v", f, err)
	}
}

func TestSFTP_OutOfOrderWritesMakeTheFile(t *testing.T) {
	s := newScene(t)
	f, err := s.bobC.OpenFile(s.dir+"/a.txt", osWriteTrunc)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte("0123456789abcdefghij")
	for off := len(want) - 5; off >= 0; off -= 5 {
		if _, err := f.WriteAt(want[off:off+5], int64(off)); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got := get(t, s.adaC, s.dir+"/a.txt"); !bytes.Equal(got, want) {
		t.Errorf("got %q", got)
	}
}

func TestSFTP_ReadWriteOpenReadsTheFileAndKeepsWhatItDoesNotWrite(t *testing.T) {
	s := newScene(t)
	put(t, s.bobC, s.dir+"/notes.txt", []byte("hello world"))
	f, err := s.bobC.OpenFile(s.dir+"/notes.txt", os.O_RDWR)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("HELLO"), 0); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 11)
	if n, err := f.ReadAt(buf, 0); n != 11 || (err != nil && err != io.EOF) || string(buf) != "HELLO world" {
		t.Errorf("read back %q (%d, %v)", buf[:n], n, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got := string(get(t, s.adaC, s.dir+"/notes.txt")); got != "HELLO world" {
		t.Errorf("stored %q", got)
	}
}

func TestSFTP_RenameOntoANameMakesAVersion(t *testing.T) {
	s := newScene(t)
	put(t, s.bobC, s.dir+"/a.txt", []byte("v1"))
	put(t, s.bobC, s.dir+"/a.txt.1a2b.partial", []byte("v2"))
	if err := s.bobC.PosixRename(s.dir+"/a.txt.1a2b.partial", s.dir+"/a.txt"); err != nil {
		t.Fatal(err)
	}
	put(t, s.bobC, s.dir+"/a.txt.filepart", []byte("v3"))
	if err := s.bobC.Rename(s.dir+"/a.txt.filepart", s.dir+"/a.txt"); err != nil {
		t.Fatal(err)
	}
	if got := names(t, s.adaC, s.dir+"/.versions/a.txt"); !slices.Equal(got, []string{"v1-a.txt", "v2-a.txt", "v3-a.txt"}) {
		t.Errorf("versions %v", got)
	}
	if got := names(t, s.adaC, s.dir); !slices.Equal(got, []string{".transcript.txt", ".versions/", "a.txt"}) {
		t.Errorf("room lists %v", got)
	}
	if err := s.bobC.Mkdir(s.dir + "/old"); err != nil {
		t.Fatal(err)
	}
	if err := s.bobC.Rename(s.dir+"/a.txt", s.dir+"/old/a.txt"); err != nil {
		t.Fatal(err)
	}
	if got := string(get(t, s.adaC, s.dir+"/old/a.txt")); got != "v3" {
		t.Errorf("moved file holds %q", got)
	}
}

func TestSFTP_SizeAndTimeSentByPathDuringAnUploadApplyToIt(t *testing.T) {
	s := newScene(t)
	p := s.dir + "/scp.txt"
	f, err := s.bobC.OpenFile(p, os.O_WRONLY|os.O_CREATE) // scp: no truncate
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("0123456789")); err != nil {
		t.Fatal(err)
	}
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	if err := s.bobC.Truncate(p, 4); err != nil {
		t.Fatal(err)
	}
	if err := s.bobC.Chtimes(p, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := s.adaC.Stat(p)
	if err != nil || fi.Size() != 4 || !fi.ModTime().Equal(mtime) {
		t.Fatalf("stat: size %d time %v (%v), want 4 and %v", fi.Size(), fi.ModTime(), err, mtime)
	}
	// rclone sets the time after closing the file.
	later := mtime.Add(time.Hour)
	if err := s.bobC.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	if fi, err := s.adaC.Stat(p); err != nil || !fi.ModTime().Equal(later) {
		t.Errorf("time set after close: %v (%v), want %v", fi.ModTime(), err, later)
	}
	if got := string(get(t, s.adaC, p)); got != "0123" {
		t.Errorf("stored %q", got)
	}
}

func TestSFTP_AfterAFailedWriteASizeThatExtendsIsRefused(t *testing.T) {
	s := newScene(t)
	p := s.dir + "/big.iso.zip"
	f, err := s.bobC.OpenFile(p, os.O_WRONLY|os.O_CREATE)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("x"), workroom.MaxFileSize); err == nil {
		t.Fatal("a write past the largest file was taken")
	}
	err = s.bobC.Truncate(p, workroom.MaxFileSize+1)
	if code, msg := statusOf(err); code != fxFailure || !strings.Contains(msg, "cannot be made longer") {
		t.Errorf("size after failed write: %d %q", code, msg)
	}
	err = f.Close()
	if code, msg := statusOf(err); code != fxFailure || !strings.Contains(msg, "a file may be at most") {
		t.Errorf("close: %d %q", code, msg)
	}
	if _, err := s.adaC.Stat(p); err == nil {
		t.Error("a refused upload was stored")
	}
}

func TestSFTP_OutsiderGetsNoSuchFileByEveryPath(t *testing.T) {
	s := newScene(t)
	s.e.w.Upload(t, s.ada.id, s.room.ID, "a.txt", []byte("secret"))
	top := workroom.RoomFolder(s.room)
	forms := []string{
		"/" + top + "/a.txt", "/" + top, "//" + top + "/a.txt", s.carolsDir + "/../" + top + "/a.txt",
		"/" + top + "/./a.txt", "/0" + top + "/a.txt", "/" + strings.ToUpper(top) + "/a.txt",
		fmt.Sprintf("/%d/a.txt", s.room.ID), "/" + top + "/.versions/a.txt/v1-a.txt", "/" + top + "/.transcript.txt",
		"/" + top + "\x00/a.txt", "/" + top + "/a.txt\x00", "/" + strings.Replace(top, "o", "%6f", 1) + "/a.txt",
		top + "/a.txt", "/" + top + "/" + strings.Repeat("x", 5000) + ".txt", "/" + strings.Repeat("9", 400) + "-x/a.txt",
		"/../../" + top + "/a.txt", "/" + top + "/../" + top + "/a.txt",
	}
	ops := map[string]func(c *sftp.Client, p string) error{
		"stat":     func(c *sftp.Client, p string) error { _, err := c.Stat(p); return err },
		"lstat":    func(c *sftp.Client, p string) error { _, err := c.Lstat(p); return err },
		"read":     func(c *sftp.Client, p string) error { _, err := c.Open(p); return err },
		"write":    func(c *sftp.Client, p string) error { _, err := c.OpenFile(p, osWriteTrunc); return err },
		"rdwr":     func(c *sftp.Client, p string) error { _, err := c.OpenFile(p, os.O_RDWR); return err },
		"ls":       func(c *sftp.Client, p string) error { _, err := c.ReadDir(p); return err },
		"mkdir":    func(c *sftp.Client, p string) error { return c.Mkdir(p + "/d") },
		"rm":       func(c *sftp.Client, p string) error { return c.Remove(p) },
		"rmdir":    func(c *sftp.Client, p string) error { return c.RemoveDirectory(p) },
		"from":     func(c *sftp.Client, p string) error { return c.Rename(p, s.carolsDir+"/b.txt") },
		"onto":     func(c *sftp.Client, p string) error { return c.PosixRename(s.carolsDir+"/mine.txt", p) },
		"chtimes":  func(c *sftp.Client, p string) error { return c.Chtimes(p, time.Now(), time.Now()) },
		"size":     func(c *sftp.Client, p string) error { return c.Truncate(p, 1) },
		"statvfs":  func(c *sftp.Client, p string) error { _, err := c.StatVFS(p); return err },
		"readlink": func(c *sftp.Client, p string) error { _, err := c.ReadLink(p); return err },
	}
	put(t, s.carolC, s.carolsDir+"/mine.txt", []byte("mine"))
	for _, p := range forms {
		for name, op := range ops {
			err := op(s.carolC, p)
			if code, _ := statusOf(err); code != fxNoSuchFile {
				t.Errorf("carol %s %q: %v (code %d), want no such file", name, p, err, code)
			}
		}
	}
	// Someone in the room reaches it by the odd forms that are its path.
	for _, p := range []string{"//" + top + "/a.txt", s.carolsDir + "/../" + top + "/a.txt", "/" + top + "/./a.txt", top + "/a.txt"} {
		if got := string(get(t, s.adaC, p)); got != "secret" {
			t.Errorf("ada reads %q: %q", p, got)
		}
	}
	if err := s.carolC.Symlink(s.dir+"/a.txt", s.carolsDir+"/link.txt"); err == nil {
		t.Error("a symbolic link was made")
	}
	if got := names(t, s.carolC, "/"); !slices.Equal(got, []string{workroom.RoomFolder(s.carolsRoom) + "/"}) {
		t.Errorf("carol's / lists %v", got)
	}
	if f, err := s.e.w.Svc.File(workroomtest.As(s.ada.id), s.room.ID, "a.txt"); err != nil || len(f.Versions) != 1 {
		t.Errorf("ada's file changed: %+v %v", f, err)
	}
}

func TestSFTP_VersionsAndTranscriptAreReadOnly(t *testing.T) {
	s := newScene(t)
	s.e.w.Upload(t, s.ada.id, s.room.ID, "a.txt", []byte("one"))
	for _, p := range []string{s.dir + "/.versions/a.txt/v2-a.txt", s.dir + "/.versions/b.txt", s.dir + "/.transcript.txt"} {
		err := tryPut(s.bobC, p, []byte("x"))
		if code, _ := statusOf(err); code != fxPermissionDenied {
			t.Errorf("write %s: %v (code %d)", p, err, code)
		}
	}
	for _, p := range []string{s.dir + "/.versions/a.txt/v1-a.txt", s.dir + "/.transcript.txt"} {
		if code, _ := statusOf(s.adaC.Remove(p)); code != fxPermissionDenied {
			t.Errorf("rm %s: code %d", p, code)
		}
	}
	if code, _ := statusOf(s.adaC.Rename(s.dir+"/a.txt", s.dir+"/.versions/a.txt")); code != fxPermissionDenied {
		t.Errorf("rename into .versions: code %d", code)
	}
	if code, _ := statusOf(s.adaC.Chtimes(s.dir+"/.transcript.txt", time.Now(), time.Now())); code != fxPermissionDenied {
		t.Errorf("chtimes on the transcript: code %d", code)
	}
}

func TestSFTP_GuestsReadOnly(t *testing.T) {
	s := newScene(t)
	s.e.w.Verify(t, s.carol.id)
	if _, err := s.e.w.Svc.Invite(workroomtest.As(s.ada.id), s.room.ID, s.carol.id.User.Email, workroom.RoleGuest); err != nil {
		t.Fatal(err)
	}
	s.e.w.Upload(t, s.ada.id, s.room.ID, "a.txt", []byte("hello"))
	if got := string(get(t, s.carolC, s.dir+"/a.txt")); got != "hello" {
		t.Errorf("guest reads %q", got)
	}
	err := tryPut(s.carolC, s.dir+"/b.txt", []byte("x"))
	if code, _ := statusOf(err); code != fxPermissionDenied {
		t.Errorf("guest put: %v (code %d)", err, code)
	}
	for name, err := range map[string]error{
		"mkdir": s.carolC.Mkdir(s.dir + "/d"), "rm": s.carolC.Remove(s.dir + "/a.txt"),
		"rename": s.carolC.Rename(s.dir+"/a.txt", s.dir+"/c.txt"),
	} {
		if code, _ := statusOf(err); code != fxPermissionDenied {
			t.Errorf("guest %s: %v", name, err)
		}
	}
	fi, err := s.carolC.Stat(s.dir + "/a.txt")
	if err != nil || fi.Mode().Perm()&0o222 != 0 {
		t.Errorf("guest sees mode %v (%v)", fi.Mode(), err)
	}
}

func TestSFTP_ParallelUploadsNeverPassTheQuota(t *testing.T) {
	s := newScene(t)
	if _, err := s.e.w.Svc.SetQuota(workroomtest.As(s.ada.id), s.room.ID, 1<<20); err != nil {
		// SetQuota reads the admin from the identity's key.
		ctx := workroom.NewContextWithIdentity(context.Background(), s.ada.id)
		if _, err := s.e.w.Svc.SetQuota(ctx, s.room.ID, 1<<20); err != nil {
			t.Fatal(err)
		}
	}
	const n, size = 5, 400 << 10
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		c := s.e.sftp(t, s.bob)
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = tryPut(c, fmt.Sprintf("%s/f%d.bin", s.dir, i), bytes.Repeat([]byte{byte(i + 1)}, size))
		}()
	}
	wg.Wait()
	stored := 0
	for _, err := range errs {
		if err == nil {
			stored++
		} else if _, msg := statusOf(err); !strings.Contains(msg, "quota") {
			t.Errorf("refusal without the rule: %v", err)
		}
	}
	u, err := s.e.w.Svc.Usage(workroomtest.As(s.ada.id), s.room.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored > 2 || stored == 0 || u.Used > u.Quota || u.Used != int64(stored*size) {
		t.Errorf("%d stored, usage %+v", stored, u)
	}
	st, err := s.bobC.StatVFS(s.dir)
	if err != nil || st.Blocks*st.Frsize != 1<<20 || st.Bavail*st.Frsize != uint64(u.Free())/4096*4096 {
		t.Errorf("statvfs %+v (%v), usage %+v", st, err, u)
	}
}

func TestSFTP_RemovingTheKeyEndsTheSessionAndItsUpload(t *testing.T) {
	s := newScene(t)
	other := newKey(t)
	s.e.w.AddKey(t, s.bob.id, workroom.KeyOf(other.PublicKey()))
	f, err := s.bobC.OpenFile(s.dir+"/half.txt", osWriteTrunc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("half of it")); err != nil {
		t.Fatal(err)
	}
	ctx := workroom.NewContextWithIdentity(context.Background(), &workroom.Identity{Key: workroom.KeyOf(other.PublicKey()), User: s.bob.id.User})
	if err := s.e.w.Svc.RemoveKey(ctx, s.bob.id.Key.Fingerprint); err != nil {
		t.Fatal(err)
	}
	workroomtest.WaitUntil(t, "the SFTP session ends", func() bool {
		_, err := s.bobC.Getwd()
		return err != nil
	})
	_ = f.Close()
	if _, err := s.e.w.Svc.File(workroomtest.As(s.ada.id), s.room.ID, "half.txt"); workroom.ErrorCode(err) != workroom.ENOTFOUND {
		t.Errorf("the upload of a revoked session was stored: %v", err)
	}
	if u, _ := s.e.w.Svc.Usage(workroomtest.As(s.ada.id), s.room.ID); u.Used != 0 {
		t.Errorf("usage %+v", u)
	}
}
