// Package clamdtest starts a real clamd for tests, with a signature
// database of its own that knows only the EICAR test file, so the tests
// run with no internet and no system-wide ClamAV setup: the clamd binary
// is all they need (scripts/install-test-deps installs it).
package clamdtest

import (
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/workroom/workroom/clamd"
)

// EICAR is the antivirus test file: harmless, and found by every scanner.
const EICAR = `X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`

// Signature is the name the test database gives EICAR.
const Signature = "Workroom.Test.EICAR.UNOFFICIAL"

// startWait bounds clamd's start: it loads the one-line database in
// about 25 ms here.
const startWait = 20 * time.Second

// Server is a clamd started for a test.
type Server struct {
	Addr string // host:port of its TCP socket
	cmd  *exec.Cmd
	done chan struct{}
}

// binary finds clamd, or "" when it is not installed.
func binary() string {
	if p, err := exec.LookPath("clamd"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/clamd", "/usr/local/sbin/clamd"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// Start starts clamd for the test and stops it when the test ends. It
// skips the test, saying why, when the clamd binary is absent.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := binary()
	if bin == "" {
		t.Skip("clamd is not installed (Debian: apt-get install clamav-daemon, or run scripts/install-test-deps)")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	tmp, err := os.MkdirTemp("/tmp", "clamdtest-") // clamd's AppArmor profile allows /tmp
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(tmp) })
	if err := os.Mkdir(db, 0o755); err != nil {
		t.Fatal(err)
	}
	sig := Signature[:len(Signature)-len(".UNOFFICIAL")] + ":0:*:" + hex.EncodeToString([]byte("EICAR-STANDARD-ANTIVIRUS-TEST-FILE")) + "\n"
	if err := os.WriteFile(filepath.Join(db, "workroom-test.ndb"), []byte(sig), 0o644); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	conf := filepath.Join(dir, "clamd.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(`Foreground yes
DatabaseDirectory %s
TemporaryDirectory %s
TCPSocket %d
TCPAddr 127.0.0.1
StreamMaxLength 110M
MaxFileSize 110M
MaxScanSize 400M
AlertExceedsMax yes
LogTime yes
`, db, tmp, port)), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), done: make(chan struct{})}
	s.cmd = exec.Command(bin, "--config-file="+conf)
	log, err := os.Create(filepath.Join(dir, "clamd.log"))
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(s.Stop)
	if err := s.waitReady(); err != nil {
		out, _ := os.ReadFile(log.Name())
		t.Fatalf("clamd did not start: %v\n%s", err, out)
	}
	return s
}

// waitReady waits for PONG, or for clamd to exit.
func (s *Server) waitReady() error {
	c := &clamd.Client{Addr: s.Addr, Timeout: time.Second}
	deadline := time.Now().Add(startWait)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("clamd exited: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return err
		}
	}
}

// Stop stops clamd by its process id and waits for it; stopping twice
// is harmless.
func (s *Server) Stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// freePort returns a TCP port free on loopback right now.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
