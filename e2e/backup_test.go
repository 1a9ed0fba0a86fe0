package e2e_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/workroom/workroom"
)

// Names the server expects in its data folder (cmd/workroom/serve.go,
// sshd.HostKeyFile); a restore puts the snapshot and the blob copy there.
const (
	storeFileName = "workroom.db"
	blobsDirName  = "blobs"
	hostKeyName   = "ssh_host_ed25519_key"
)

// TestE2E_AdminBacksUpWhileServingAndRestoresOnAFreshDataFolder takes a
// backup exactly as the README says — `ssh … admin backup > workroom.db`
// while people keep posting, then a copy of the blob folder — restores
// both into an empty data folder, starts a second server there, and finds
// every message and every version of every file byte-exact.
func TestE2E_AdminBacksUpWhileServingAndRestoresOnAFreshDataFolder(t *testing.T) {
	adminFlags := []string{"--no-scan", "--admin", "admin@example.com"}
	srv := startServerWith(t, t.TempDir(), adminFlags...)
	admin := newUser(t, srv, "admin")
	admin.signUp()
	r := newFileRoom(t, srv)

	// Files: versions of a text file and a binary one, uploaded with put.
	big := make([]byte, 3<<20)
	_, _ = rand.Read(big)
	uploads := map[string][][]byte{
		"brief.txt":        {[]byte("first brief\n"), []byte("second brief, longer\n"), []byte("third\n")},
		"designs/logo.bin": {big, append(bytes.Clone(big[:1<<20]), "tail"...)},
	}
	for _, path := range []string{"brief.txt", "designs/logo.bin"} {
		for _, data := range uploads[path] {
			put := r.fred.run(string(data), "put", r.id, path)
			if put.code != 0 {
				t.Fatalf("put %s: %d %s", path, put.code, put.stderr)
			}
		}
	}
	for i := range 5 {
		r.carla.ok("post", r.id, fmt.Sprintf("message %d: ünïcode ✓ and  two  spaces", i))
	}
	before := roomMessages(t, r.carla, r.id)

	// The backup, read slowly while a message is posted and acknowledged:
	// the server keeps serving during it.
	snapshot := filepath.Join(t.TempDir(), storeFileName)
	backup := exec.Command("ssh", admin.sshArgs("admin", "backup")...)
	out, err := backup.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	backup.Stderr = &stderr
	if err := backup.Start(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(snapshot)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(f, out, 4096); err != nil {
		t.Fatalf("backup: first bytes: %v (%s)", err, stderr.String())
	}
	r.fred.ok("post", r.id, "posted while the backup runs")
	if _, err := io.Copy(f, out); err != nil {
		t.Fatal(err)
	}
	if err := backup.Wait(); err != nil {
		t.Fatalf("admin backup: %v: %s", err, stderr.String())
	}
	f.Close()

	// The blob folder is copied after the snapshot (see the README), then
	// both go into a fresh data folder; the host key too, so clients see
	// the same server.
	fresh := t.TempDir()
	mustRun(t, "cp", "-a", filepath.Join(srv.data, blobsDirName), filepath.Join(fresh, blobsDirName))
	mustRun(t, "cp", snapshot, filepath.Join(fresh, storeFileName))
	mustRun(t, "cp", filepath.Join(srv.data, hostKeyName), filepath.Join(fresh, hostKeyName))
	r.carla.ok("post", r.id, "after the backup: not in it")

	restored := startServerWith(t, fresh, adminFlags...)
	carla, fred := *r.carla, *r.fred
	carla.srv, fred.srv = restored, restored

	after := roomMessages(t, &carla, r.id)
	if len(after) < len(before) {
		t.Fatalf("restored %d messages, %d were acknowledged before the backup", len(after), len(before))
	}
	// Newest first: the restored room is the original's history up to
	// the snapshot; it may hold the message posted during the backup.
	extra := len(after) - len(before)
	if extra > 1 || extra == 1 && after[0].Body != "posted while the backup runs" {
		t.Fatalf("restored messages the backup cannot hold: %+v", after[:extra])
	}
	for i, m := range before {
		got := after[i+extra]
		if got.ID != m.ID || got.Body != m.Body || got.AuthorID != m.AuthorID || !got.Created.Equal(m.Created) || got.Source != m.Source {
			t.Fatalf("message %d restored as %+v, was %+v", m.ID, got, m)
		}
	}

	var page workroom.FilePage
	if err := json.Unmarshal([]byte(carla.ok("files", r.id, "--versions", "--json")), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Files) != len(uploads) {
		t.Fatalf("restored files = %+v", page.Files)
	}
	for _, file := range page.Files {
		want := uploads[file.Path]
		if len(file.Versions) != len(want) {
			t.Fatalf("%s: %d versions restored, %d uploaded", file.Path, len(file.Versions), len(want))
		}
		for _, v := range file.Versions {
			got := fred.run("", "get", r.id, "--version", strconv.Itoa(v.N), file.Path)
			if got.code != 0 || got.stdout != string(want[v.N-1]) {
				t.Fatalf("%s v%d: restored %d bytes (exit %d, %s), uploaded %d", file.Path, v.N, len(got.stdout), got.code, got.stderr, len(want[v.N-1]))
			}
		}
	}
	// The restored server goes on: it accepts new messages.
	carla.ok("post", r.id, "life after the restore")
}

// roomMessages is every message of a room, newest first.
func roomMessages(t *testing.T, u *user, room string) []workroom.Message {
	t.Helper()
	var page workroom.Page
	if err := json.Unmarshal([]byte(u.ok("messages", room, "--json", "--limit", "100")), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) == 0 || page.Before != 0 {
		t.Fatalf("messages: %+v", page)
	}
	return page.Messages
}
