package tui

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// pngBytes is a w×h PNG whose upper half is top and lower half bottom.
func pngBytes(t *testing.T, w, h int, top, bottom color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := top
			if y >= h/2 {
				c = bottom
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// at is id connected to server (host:port), as sshd records it.
func at(id *workroom.Identity, server string) *workroom.Identity {
	c := *id
	c.Server = server
	return &c
}

// openFilesOf starts the TUI in room and opens its Files view.
func (f *fixture) openFilesOf(t *testing.T, id *workroom.Identity, room workroom.RoomID, w, h int) *term {
	t.Helper()
	tm := f.start(t, id, room, w, h)
	tm.waitText("f files")
	tm.press("f")
	tm.waitText("used")
	return tm
}

func TestFiles_ListShowsFoldersFilesAndTheirDetails(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	f.Upload(t, bob, room, "brief.pdf", []byte("%PDF-1.4 the brief"))
	f.Upload(t, ada, room, "designs/logo.png", pngBytes(t, 4, 4, color.White, color.Black))
	f.Upload(t, bob, room, "designs/logo.png", pngBytes(t, 8, 8, color.White, color.Black))

	tm := f.openFilesOf(t, ada, room, 100, 30)
	s := tm.waitText("/ (top of the room)", "designs/", "brief.pdf", "logo.png")
	if strings.Index(s, "/ (top of the room)") > strings.Index(s, "brief.pdf") ||
		strings.Index(s, "designs/") > strings.Index(s, "logo.png") {
		t.Fatalf("files are not under their folders:\n%s", s)
	}
	// The latest version, its uploader, size, time and scan status.
	if !regexp.MustCompile(`logo\.png +v2 +Bob +\d+ B +just now +not scanned`).MatchString(s) {
		t.Fatalf("logo.png's row lacks its latest version's details:\n%s", s)
	}
	if strings.Contains(s, "v1-logo.png") {
		t.Fatalf("versions show before they were unfolded:\n%s", s)
	}
}

func TestFiles_VersionsUnfoldUnderTheirFileAndFoldersFold(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	f.Upload(t, ada, room, "designs/logo.png", []byte("first"))
	f.Upload(t, bob, room, "designs/logo.png", []byte("second draft"))

	tm := f.openFilesOf(t, ada, room, 100, 30)
	tm.waitText("logo.png")
	tm.press("j") // from the folder to the file
	tm.press(keyEnter)
	s := tm.waitText("v1-logo.png", "v2-logo.png")
	if !regexp.MustCompile(`v1-logo\.png +v1 +Ada +5 B`).MatchString(s) {
		t.Fatalf("the first version's row lacks its details:\n%s", s)
	}
	tm.press(keyEnter)
	tm.waitFor("the versions to fold", func(s string) bool { return !strings.Contains(s, "v1-logo.png") })
	tm.press("k") // the folder
	tm.press(keyEnter)
	tm.waitFor("the folder to fold", func(s string) bool {
		return strings.Contains(s, "▸ designs/") && !strings.Contains(s, "logo.png")
	})
}

func TestFiles_ShowsSpaceUsedAgainstTheQuota(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	f.Upload(t, ada, room, "a.txt", bytes.Repeat([]byte("x"), 2048))

	tm := f.openFilesOf(t, ada, room, 100, 30)
	s := tm.waitText("2 KB of 500 MB used")
	if !strings.Contains(s, "space █") {
		t.Fatalf("no space-used bar:\n%s", s)
	}
}

// cleanScanner finds every upload clean.
type cleanScanner struct{}

func (cleanScanner) Scan(_ context.Context, r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}

func TestFiles_SaysWhenFilesAreNotScanned(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    []workroomtest.Option
		warning bool
	}{
		{"no scanner", nil, true},
		{"scanner", []workroomtest.Option{workroomtest.WithScanner(cleanScanner{})}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.opts...)
			ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
			room := f.Room(t, ada, bob, "Logo design").ID
			f.Upload(t, ada, room, "a.txt", []byte("hello"))
			tm := f.openFilesOf(t, ada, room, 100, 30)
			s := tm.waitText("a.txt")
			if got := strings.Contains(s, notScannedText); got != tc.warning {
				t.Fatalf("says %q: %v, want %v:\n%s", notScannedText, got, tc.warning, s)
			}
			if !tc.warning && !regexp.MustCompile(`a\.txt .* clean`).MatchString(s) {
				t.Fatalf("a scanned file is not shown clean:\n%s", s)
			}
		})
	}
}

func TestFiles_ShowsTheCommandsThatDownloadTheSelection(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design")
	f.Upload(t, ada, room.ID, "designs/logo.png", []byte("first"))
	f.Upload(t, ada, room.ID, "designs/logo.png", []byte("second"))
	dir := workroom.RoomFolder(room)

	tm := f.openFilesOf(t, at(ada, "127.0.0.1:2299"), room.ID, 120, 30)
	tm.waitText("logo.png")
	tm.press("j")
	tm.waitText("$ sftp -P 2299 127.0.0.1:/"+dir+"/designs/logo.png",
		"$ scp -P 2299 127.0.0.1:/"+dir+"/designs/logo.png .")
	tm.press(keyEnter) // versions: v2, then v1
	tm.waitText("v1-logo.png")
	tm.press("j")
	tm.press("j")
	tm.waitText("$ sftp -P 2299 127.0.0.1:/"+dir+"/.versions/designs/logo.png/v1-logo.png",
		"$ scp -P 2299 127.0.0.1:/"+dir+"/.versions/designs/logo.png/v1-logo.png .")
}

func TestDownloadCommands_QuoteAndBracketWhatTheShellNeeds(t *testing.T) {
	for _, tc := range []struct{ server, remote, sftp, scp string }{
		{"10.0.0.5:22", "/1-x/a.txt", "sftp 10.0.0.5:/1-x/a.txt", "scp 10.0.0.5:/1-x/a.txt ."},
		{"[::1]:2222", "/1-x/a.txt", "sftp -P 2222 [::1]:/1-x/a.txt", "scp -P 2222 [::1]:/1-x/a.txt ."},
		{"127.0.0.1:2222", "/1-x/my file's.txt", `sftp -P 2222 '127.0.0.1:/1-x/my file'\''s.txt'`, `scp -P 2222 '127.0.0.1:/1-x/my file'\''s.txt' .`},
		{"127.0.0.1:2222", "/1-x/designs/", "sftp -P 2222 127.0.0.1:/1-x/designs/", "scp -r -P 2222 127.0.0.1:/1-x/designs ."},
		{"", "/1-x/a.txt", "sftp -P 2222 HOST:/1-x/a.txt", "scp -P 2222 HOST:/1-x/a.txt ."},
	} {
		sftp, scp := downloadCommands(tc.server, tc.remote)
		if sftp != tc.sftp || scp != tc.scp {
			t.Errorf("downloadCommands(%q, %q) = %q, %q; want %q, %q", tc.server, tc.remote, sftp, scp, tc.sftp, tc.scp)
		}
	}
}

// A file another member uploads while the Files view is open shows in it
// at once, with the space used, without a key pressed.
func TestFiles_NewUploadShowsLive(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.openFilesOf(t, ada, room, 100, 30)
	tm.waitText("No files yet")

	f.Upload(t, bob, room, "sketch.pdf", []byte("%PDF-1.4 a sketch"))
	tm.waitText("sketch.pdf", "17 B of")
}
