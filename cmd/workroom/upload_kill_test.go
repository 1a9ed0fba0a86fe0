package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func newSigner(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mustRun runs a command that must succeed and returns its output.
func mustRun(t *testing.T, addr string, signer gossh.Signer, command string) string {
	t.Helper()
	out, status := sshRun(t, addr, signer, command)
	if status != 0 {
		t.Fatalf("%s: exit %d: %s", command, status, out)
	}
	return strings.TrimSpace(out)
}

// openPut starts `put` and returns its stdin, held open, and the session.
func openPut(t *testing.T, addr string, signer gossh.Signer, command string) io.WriteCloser {
	t.Helper()
	c := dialTest(t, addr, signer)
	t.Cleanup(func() { _ = c.Close() })
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Start(command); err != nil {
		t.Fatal(err)
	}
	return stdin
}

// TestServe_KillDuringPutLeavesNothingPartial kills the server with
// SIGKILL while an upload's bytes are arriving, starts it again on the
// same data, and finds no trace of the upload: not listed, no temp file,
// no blob, and the space used equal to the sum of what is listed.
func TestServe_KillDuringPutLeavesNothingPartial(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	args := []string{"--data", data, "--ssh-addr", "127.0.0.1:0", "--no-scan"}
	s := startServer(t, args...)
	addr := s.waitAddr(t)
	carla, fred := newSigner(t), newSigner(t)
	mustRun(t, addr, carla, "signup --name Carla --email carla@example.com")
	mustRun(t, addr, fred, "signup --name Fred --email fred@example.com")
	job := mustRun(t, addr, carla, "job post --title Logo")
	prop := mustRun(t, addr, fred, "propose "+job+" --text me")
	room := mustRun(t, addr, carla, "award "+job+" "+prop)

	done := openPut(t, addr, fred, "put "+room+" done.txt")
	_, _ = io.WriteString(done, "a whole file")
	_ = done.Close()
	workroomtest.WaitUntil(t, "the finished upload listed", func() bool {
		out, _ := sshRun(t, addr, carla, "files "+room)
		return strings.Contains(out, "done.txt")
	})

	partial := openPut(t, addr, fred, "put "+room+" partial.bin")
	chunk := make([]byte, 256<<10)
	for range 4 {
		if _, err := partial.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	workroomtest.WaitUntil(t, "the upload's bytes in a temp file", func() bool {
		names, _ := filepath.Glob(filepath.Join(data, tmpDir, "*"))
		for _, n := range names {
			if info, err := os.Stat(n); err == nil && info.Size() > 0 {
				return true
			}
		}
		return false
	})
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-s.done

	s = startServer(t, args...)
	addr = s.waitAddr(t)
	out := mustRun(t, addr, carla, "files "+room+" --json")
	var page workroom.FilePage
	if err := json.Unmarshal([]byte(out), &page); err != nil {
		t.Fatalf("files --json: %v\n%s", err, out)
	}
	var sum int64
	for _, f := range page.Files {
		if f.Path != "done.txt" {
			t.Errorf("listed after the kill: %s", f.Path)
		}
		for _, v := range f.Versions {
			sum += v.Size
		}
	}
	if len(page.Files) != 1 || page.Usage.Used != sum {
		t.Fatalf("after the kill: %d files, used %d, listed versions sum to %d", len(page.Files), page.Usage.Used, sum)
	}
	if names, _ := filepath.Glob(filepath.Join(data, tmpDir, "*")); len(names) != 0 {
		t.Fatalf("temp files left after restart: %v", names)
	}
	blobs := 0
	_ = filepath.WalkDir(filepath.Join(data, blobsDir), func(_ string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			blobs++
		}
		return nil
	})
	if blobs != 1 {
		t.Fatalf("%d blobs after restart, want only done.txt's", blobs)
	}
	if got := mustRun(t, addr, fred, "get "+room+" done.txt"); got != "a whole file" {
		t.Fatalf("get = %q", got)
	}
}
