package workroom_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// fileScene is a room with its client, freelancer and a guest-free cast.
type fileScene struct {
	w            *workroomtest.World
	client, free *workroom.Identity
	room         workroom.RoomID
}

func newFileScene(t *testing.T, opts ...workroomtest.Option) *fileScene {
	w := workroomtest.New(t, opts...)
	c, f := w.SignUp(t, "Carol"), w.SignUp(t, "Fred")
	r := w.Room(t, c, f, "Logo design")
	return &fileScene{w: w, client: c, free: f, room: r.ID}
}

func (s *fileScene) usage(t *testing.T) workroom.Usage {
	t.Helper()
	u, err := s.w.Svc.Usage(workroomtest.As(s.client), s.room)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// blobCount is how many blobs the blob folder holds.
func (s *fileScene) blobCount(t *testing.T) int {
	t.Helper()
	n := 0
	if err := s.w.Blobs.Walk(func(string, time.Time) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func read(t *testing.T, s *fileScene, path string, n int) []byte {
	t.Helper()
	_, _, b, err := s.w.Svc.OpenVersion(workroomtest.As(s.client), s.room, path, n)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	data, err := io.ReadAll(b)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestUpload_SecondUploadAddsAVersionAndOldOnesStayReadable(t *testing.T) {
	s := newFileScene(t)
	s.w.Upload(t, s.free, s.room, "designs/logo.png", []byte("first"))
	c := s.w.Upload(t, s.client, s.room, "designs/logo.png", []byte("second!"))
	if !c.Added || c.Version.N != 2 || c.Version.UploaderName != "Carol" || c.Version.Size != 7 {
		t.Fatalf("second upload = %+v", c)
	}
	if got := read(t, s, "designs/logo.png", 1); string(got) != "first" {
		t.Fatalf("version 1 reads %q", got)
	}
	if got := read(t, s, "designs/logo.png", 0); string(got) != "second!" {
		t.Fatalf("latest reads %q", got)
	}
	if u := s.usage(t); u.Used != 12 || u.Quota != workroom.DefaultRoomQuota {
		t.Fatalf("usage = %+v, want 12 of the default", u)
	}
	page, err := s.w.Svc.Files(workroomtest.As(s.free), s.room, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Files) != 1 || len(page.Files[0].Versions) != 2 || len(page.Folders) != 1 || page.Folders[0] != "designs" {
		t.Fatalf("files = %+v", page)
	}
	v := page.Files[0].Latest()
	if v.SHA256 == "" || v.MD5 == "" || v.SHA1 == "" || v.Scan != workroom.ScanNotScanned {
		t.Fatalf("version lacks its sums or scan status: %+v", v)
	}
}

func TestUpload_IdenticalBytesAddNoVersionAndCountOnce(t *testing.T) {
	s := newFileScene(t)
	s.w.Upload(t, s.free, s.room, "a.txt", []byte("same bytes"))
	c := s.w.Upload(t, s.free, s.room, "a.txt", []byte("same bytes"))
	if c.Added || c.Version.N != 1 {
		t.Fatalf("identical re-upload = %+v, want no new version", c)
	}
	s.w.Upload(t, s.free, s.room, "copy/b.txt", []byte("same bytes"))
	if u := s.usage(t); u.Used != 10 {
		t.Fatalf("used = %d, want the content counted once (10)", u.Used)
	}
	if n := s.blobCount(t); n != 1 {
		t.Fatalf("%d blobs, want 1", n)
	}
}

func TestUpload_OutOfOrderWritesMakeTheWholeFile(t *testing.T) {
	s := newFileScene(t)
	ctx := workroomtest.As(s.free)
	up, err := s.w.Svc.StartUpload(ctx, s.room, "parts.bin", workroom.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB
	var wg sync.WaitGroup
	for off := len(want) - 8192; off >= 0; off -= 8192 { // last chunk first, in parallel
		wg.Add(1)
		go func(off int) {
			defer wg.Done()
			if _, err := up.WriteAt(want[off:off+8192], int64(off)); err != nil {
				t.Error(err)
			}
		}(off)
	}
	wg.Wait()
	mod := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	up.SetModTime(mod)
	c, err := up.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, s, "parts.bin", 0); !bytes.Equal(got, want) {
		t.Fatal("the stored bytes differ from those written")
	}
	if !c.Version.ModTime.Equal(mod) {
		t.Fatalf("modification time %v, want the one the client set (%v)", c.Version.ModTime, mod)
	}
}

func TestUpload_RefusesPastMaxFileSizeAndStoresNothing(t *testing.T) {
	s := newFileScene(t)
	ctx := workroomtest.As(s.free)
	up, err := s.w.Svc.StartUpload(ctx, s.room, "big.iso.zip", workroom.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = up.WriteAt([]byte("x"), workroom.MaxFileSize)
	wantCode(t, err, workroom.ELIMIT)
	if workroom.ErrorRule(err) != workroom.RuleFileTooLarge || err.Error() != "big.iso.zip: a file may be at most 100 MB" {
		t.Fatalf("refusal = %q (%s)", err, workroom.ErrorRule(err))
	}
	// A size change that would extend the failed upload is refused too.
	if err := up.Truncate(10); workroom.ErrorRule(err) != workroom.RuleUploadFailed {
		t.Fatalf("Truncate after a refused write = %v, want RuleUploadFailed", err)
	}
	_, err = up.Commit(ctx)
	wantCode(t, err, workroom.ELIMIT)
	if _, err := s.w.Svc.File(ctx, s.room, "big.iso.zip"); workroom.ErrorCode(err) != workroom.ENOTFOUND {
		t.Fatalf("a refused upload left a file: %v", err)
	}
	s.assertNothingLeft(t)
}

// assertNothingLeft checks no quota is used, no blob stored and no temp
// file left.
func (s *fileScene) assertNothingLeft(t *testing.T) {
	t.Helper()
	if u := s.usage(t); u.Used != 0 {
		t.Fatalf("used = %d, want 0", u.Used)
	}
	if n := s.blobCount(t); n != 0 {
		t.Fatalf("%d blobs left", n)
	}
	temps, _ := filepath.Glob(filepath.Join(filepath.Dir(blobDir(s)), "tmp", "*"))
	if len(temps) != 0 {
		t.Fatalf("temp files left: %v", temps)
	}
}

func blobDir(s *fileScene) string {
	f, err := s.w.Blobs.CreateTemp()
	if err != nil {
		panic(err)
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return filepath.Dir(name)
}

func TestUpload_ParallelUploadsCannotOvershootTheQuota(t *testing.T) {
	s := newFileScene(t)
	if err := s.w.DB.SetQuota(ctx, s.room, 1<<20); err != nil {
		t.Fatal(err)
	}
	a, err := s.w.Svc.StartUpload(workroomtest.As(s.free), s.room, "a.bin", workroom.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.w.Svc.StartUpload(workroomtest.As(s.client), s.room, "b.bin", workroom.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 600<<10)
	if _, err := a.WriteAt(chunk, 0); err != nil {
		t.Fatal(err)
	}
	_, err = b.WriteAt(chunk, 0)
	wantCode(t, err, workroom.ELIMIT)
	if workroom.ErrorRule(err) != workroom.RuleQuota {
		t.Fatalf("refusal %v names rule %q", err, workroom.ErrorRule(err))
	}
	b.Abort()
	if _, err := a.Commit(workroomtest.As(s.free)); err != nil {
		t.Fatal(err)
	}
	if u := s.usage(t); u.Used != 600<<10 {
		t.Fatalf("used = %d", u.Used)
	}
}

func TestUpload_GuestsAndOutsidersCannotUpload(t *testing.T) {
	s := newFileScene(t)
	eve := s.w.SignUp(t, "Eve")
	_, err := s.w.Svc.StartUpload(workroomtest.As(eve), s.room, "x.txt", workroom.UploadOptions{})
	wantCode(t, err, workroom.ENOTFOUND)
}

type fakeScanner struct{ err error }

func (f fakeScanner) Scan(_ context.Context, r io.Reader) error {
	_, _ = io.Copy(io.Discard, r)
	return f.err
}

func TestUpload_InfectedBytesAreRefusedAndNeverStored(t *testing.T) {
	s := newFileScene(t, workroomtest.WithScanner(fakeScanner{workroom.ErrInfected("Eicar-Test-Signature")}))
	_, err := workroomtest.UploadBytes(workroomtest.As(s.free), s.w.Svc, s.room, "eicar.txt", []byte("X5O!"), workroom.UploadOptions{})
	wantCode(t, err, workroom.EINFECTED)
	if err.Error() != "eicar.txt: a virus was found (Eicar-Test-Signature); the file was not stored" {
		t.Fatalf("refusal = %q", err)
	}
	s.assertNothingLeft(t)
}

func TestUpload_NoScanVerdictIsRefusedForNow(t *testing.T) {
	s := newFileScene(t, workroomtest.WithScanner(fakeScanner{workroom.ErrScannerUnavailable(errors.New("connection refused"))}))
	_, err := workroomtest.UploadBytes(workroomtest.As(s.free), s.w.Svc, s.room, "a.txt", []byte("hi"), workroom.UploadOptions{})
	wantCode(t, err, workroom.EUNAVAILABLE)
	if err.Error() != "a.txt: the virus scanner cannot be reached; try again later" {
		t.Fatalf("refusal = %q", err)
	}
	s.assertNothingLeft(t)
}

func TestUpload_CleanScanIsRecorded(t *testing.T) {
	s := newFileScene(t, workroomtest.WithScanner(fakeScanner{}))
	c := s.w.Upload(t, s.free, s.room, "a.txt", []byte("hi"))
	if c.Version.Scan != workroom.ScanClean {
		t.Fatalf("scan = %q", c.Version.Scan)
	}
}

func TestUpload_SessionEndedBeforeCommitStoresNothing(t *testing.T) {
	s := newFileScene(t)
	ctx, cancel := context.WithCancel(workroomtest.As(s.free))
	up, err := s.w.Svc.StartUpload(ctx, s.room, "a.txt", workroom.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up.WriteAt([]byte("partial"), 0); err != nil {
		t.Fatal(err)
	}
	cancel()
	_, err = up.Commit(ctx)
	wantCode(t, err, workroom.EUNAVAILABLE)
	s.assertNothingLeft(t)
}

func TestUpload_AbortLeavesNothing(t *testing.T) {
	s := newFileScene(t)
	up, err := s.w.Svc.StartUpload(workroomtest.As(s.free), s.room, "a.txt", workroom.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up.WriteAt([]byte("abc"), 0); err != nil {
		t.Fatal(err)
	}
	up.Abort()
	s.assertNothingLeft(t)
	// The reservation went with it: a file the size of the whole quota fits.
	if err := s.w.DB.SetQuota(ctx, s.room, 1<<20); err != nil {
		t.Fatal(err)
	}
	s.w.Upload(t, s.free, s.room, "full.bin", make([]byte, 1<<20))
}

func TestUpload_OnConflictRenameOrCancel(t *testing.T) {
	s := newFileScene(t)
	s.w.Upload(t, s.free, s.room, "brief.pdf", []byte("v1"))
	c, err := workroomtest.UploadBytes(workroomtest.As(s.free), s.w.Svc, s.room, "brief.pdf", []byte("v2"), workroom.UploadOptions{OnConflict: workroom.ConflictRename})
	if err != nil || c.Path != "brief (2).pdf" || c.Version.N != 1 {
		t.Fatalf("rename = %+v, %v", c, err)
	}
	_, err = workroomtest.UploadBytes(workroomtest.As(s.free), s.w.Svc, s.room, "brief.pdf", []byte("v3"), workroom.UploadOptions{OnConflict: workroom.ConflictCancel})
	wantCode(t, err, workroom.ECONFLICT)
	if workroom.ErrorRule(err) != workroom.RuleFileExists {
		t.Fatalf("cancel refusal = %v", err)
	}
}

func TestDeleteFile_OwnUploadsOnlyAndItsBlobGoesAfterTheGrace(t *testing.T) {
	s := newFileScene(t)
	s.w.Upload(t, s.client, s.room, "brief.pdf", []byte("client's"))
	s.w.Upload(t, s.free, s.room, "draft.png", []byte("fred's"))
	_, err := s.w.Svc.DeleteFile(workroomtest.As(s.free), s.room, "brief.pdf")
	wantCode(t, err, workroom.EFORBIDDEN)
	if _, err := s.w.Svc.DeleteFile(workroomtest.As(s.free), s.room, "draft.png"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Svc.DeleteFile(workroomtest.As(s.client), s.room, "brief.pdf"); err != nil {
		t.Fatal(err)
	}
	if n := s.blobCount(t); n != 2 {
		t.Fatalf("%d blobs right after the deletes; a backup taken before may need both", n)
	}
	sweep(t, s.w)
	s.w.Advance(workroom.BlobGrace)
	sweep(t, s.w)
	s.assertNothingLeft(t)
}

func TestRenameFile_OntoAnExistingNameAddsAVersion(t *testing.T) {
	s := newFileScene(t)
	s.w.Upload(t, s.free, s.room, "logo.png", []byte("old"))
	s.w.Upload(t, s.free, s.room, "logo.png.partial.png", []byte("new"))
	f, err := s.w.Svc.RenameFile(workroomtest.As(s.free), s.room, "logo.png.partial.png", "logo.png")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Versions) != 2 || f.Latest().Size != 3 {
		t.Fatalf("after rename = %+v", f)
	}
	if got := read(t, s, "logo.png", 0); string(got) != "new" {
		t.Fatalf("latest = %q", got)
	}
	if _, err := s.w.Svc.File(workroomtest.As(s.free), s.room, "logo.png.partial.png"); workroom.ErrorCode(err) != workroom.ENOTFOUND {
		t.Fatalf("the renamed file is still there: %v", err)
	}
	if u := s.usage(t); u.Used != 6 {
		t.Fatalf("used = %d, want 6", u.Used)
	}
}
