package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// exitLine waits for a server that must fail at start and returns its
// output, which must be exactly one line.
func (s *server) exitLine(t *testing.T) string {
	t.Helper()
	select {
	case err := <-s.done:
		if err == nil {
			t.Fatalf("the server exited cleanly; output:\n%s", s.log.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("the server did not fail; output:\n%s", s.log.String())
	}
	out := s.log.String()
	if strings.Count(out, "\n") != 1 {
		t.Fatalf("output is not one line:\n%s", out)
	}
	return strings.TrimSuffix(out, "\n")
}

func TestServe_SecondServerOnADataFolderNamesThePidOfTheFirst(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	first := startServer(t, "--data", data, "--ssh-addr", "127.0.0.1:0")
	first.waitAddr(t)

	start := time.Now()
	second := startServer(t, "--data", data, "--ssh-addr", "127.0.0.1:0")
	line := second.exitLine(t)
	want := fmt.Sprintf("workroom: data folder %s is in use by another workroom server (pid %d)", data, first.cmd.Process.Pid)
	if line != want {
		t.Errorf("second server said %q, want %q", line, want)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("the second server took %v to say so", waited)
	}
}

func TestServe_DataFolderThatCannotBeMadeIsOneLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(file, "data")
	line := startServer(t, "--data", data, "--ssh-addr", "127.0.0.1:0").exitLine(t)
	if want := "workroom: data folder " + data + " cannot be created: "; !strings.HasPrefix(line, want) || !strings.HasSuffix(line, "not a directory") {
		t.Errorf("got %q, want %q… naming the cause", line, want)
	}
}
