package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom/postgres/pgtest"
	"github.com/workroom/workroom/sshd"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/workroomtest"
)

// ctx is the context of the calls these tests make to the store directly.
var ctx = context.Background()

// runMainEnv makes the test binary act as the workroom binary, so the
// tests start the real main without a separate build.
const runMainEnv = "GO_TEST_WORKROOM_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	os.Exit(pgtest.Main(m)) // stops the PostgreSQL cluster a test started, if any
}

// server is a workroom binary started by a test, with its log.
type server struct {
	cmd  *exec.Cmd
	log  workroomtest.Buffer
	addr chan string
	done chan error
}

var listening = regexp.MustCompile(`msg="ssh listening" addr=(\S+)`)

// startServer runs `workroom serve ARGS` in an empty working folder.
func startServer(t *testing.T, args ...string) *server {
	t.Helper()
	return startServerEnv(t, nil, args...)
}

// startServerEnv is startServer with env (KEY=VALUE) added to the
// server's environment.
func startServerEnv(t *testing.T, env []string, args ...string) *server {
	t.Helper()
	// SMTP in on a free port, unless the test names one: parallel
	// servers must not fight over :2525.
	if !slices.Contains(args, "--smtp-addr") {
		args = append([]string{"--smtp-addr", "127.0.0.1:0"}, args...)
	}
	cmd := exec.Command(os.Args[0], append([]string{"serve"}, args...)...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{runMainEnv + "=1"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, envPrefix) { // the developer's own settings
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, addr: make(chan string, 1), done: make(chan error, 1)}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			fmt.Fprintln(&s.log, sc.Text())
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				s.addr <- m[1]
			}
		}
		s.done <- cmd.Wait()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return s
}

func (s *server) waitAddr(t *testing.T) string {
	t.Helper()
	select {
	case a := <-s.addr:
		return a
	case err := <-s.done:
		t.Fatalf("server exited before listening: %v\n%s", err, s.log.String())
	case <-time.After(workroomtest.WaitLimit):
		t.Fatalf("no \"ssh listening\" line:\n%s", s.log.String())
	}
	return ""
}

// sshRun runs one command over SSH with signer's key and returns its
// output and exit status.
func sshRun(t *testing.T, addr string, signer gossh.Signer, command string) (string, int) {
	t.Helper()
	c := dialTest(t, addr, signer)
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	// Closing the connection ends a command that hangs, so the test
	// fails within seconds instead of at the binary's timeout.
	hung := time.AfterFunc(workroomtest.WaitLimit, func() { _ = c.Close() })
	out, err := sess.CombinedOutput(command)
	if !hung.Stop() {
		t.Fatalf("%s: no answer within %v", command, workroomtest.WaitLimit)
	}
	if ee, ok := err.(*gossh.ExitError); ok {
		return string(out), ee.ExitStatus()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}

// openTUI opens a terminal session and returns its screen.
func openTUI(t *testing.T, addr string, signer gossh.Signer) *vt.SafeEmulator {
	t.Helper()
	c := dialTest(t, addr, signer)
	t.Cleanup(func() { _ = c.Close() })
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	emu := vt.NewSafeEmulator(80, 24)
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	sess.Stdout, sess.Stderr = emu, emu
	go func() { _, _ = io.Copy(stdin, emu) }() // the emulator's answers to the program's queries
	t.Cleanup(func() { _ = emu.InputPipe().(io.Closer).Close() })
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return emu
}

func TestServe_RunsOnPortZeroAndStopsCleanlyOnSIGTERM(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	s := startServer(t, "--data", data, "--ssh-addr", "127.0.0.1:0", "--terminal-grace", "1s", "--shutdown-grace", "2s")
	addr := s.waitAddr(t)

	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	if out, status := sshRun(t, addr, signer, "signup --name Ada --email ada@example.com"); status != 0 {
		t.Fatalf("signup: exit %d: %s", status, out)
	}
	workroomtest.WaitUntil(t, "the verification mail in the outbox", func() bool {
		files, _ := filepath.Glob(filepath.Join(data, outboxDir, "*.eml"))
		return len(files) == 1
	})

	screen := openTUI(t, addr, signer)
	workroomtest.WaitUntil(t, "the TUI", func() bool { return strings.Contains(ansi.Strip(screen.Render()), "Ada") })

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The UI is told by the server, not killed by the signal: it shows
	// the notice itself, in its own (alternate) screen.
	workroomtest.WaitUntil(t, "the TUI's stopping notice", func() bool {
		return screen.IsAltScreen() && strings.Contains(strings.ToLower(ansi.Strip(screen.Render())), "server is stopping")
	})
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, s.log.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("still running 5 s after SIGTERM, with a shutdown grace of 2 s:\n%s", s.log.String())
	}
	if log := s.log.String(); !strings.Contains(log, `msg="store closed"`) {
		t.Errorf("log does not say the store closed:\n%s", log)
	}

	if _, err := os.Stat(filepath.Join(data, sshd.HostKeyFile)); err != nil {
		t.Errorf("host key not in the data folder: %v", err)
	}
	if entries, _ := os.ReadDir(s.cmd.Dir); len(entries) != 0 {
		t.Errorf("the server wrote into its working folder: %v", entries)
	}
	db, err := store.Open(filepath.Join(data, storeFile))
	if err != nil {
		t.Fatalf("store does not reopen: %v", err)
	}
	defer db.Close()
	if _, err := db.KeyByFingerprint(ctx, gossh.FingerprintSHA256(signer.PublicKey())); err != nil {
		t.Errorf("the account made before SIGTERM is gone: %v", err)
	}
}

func TestServe_FailsWhenThePortIsTaken(t *testing.T) {
	first := startServer(t, "--data", filepath.Join(t.TempDir(), "a"), "--ssh-addr", "127.0.0.1:0")
	addr := first.waitAddr(t)
	second := startServer(t, "--data", filepath.Join(t.TempDir(), "b"), "--ssh-addr", addr)
	select {
	case err := <-second.done:
		if err == nil || !strings.Contains(second.log.String(), "address already in use") {
			t.Fatalf("exit %v, output:\n%s\nwant a failure naming the taken address", err, second.log.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("second server did not fail")
	}
}

// Read marks are kept in memory and written behind; a clean stop writes
// them before the store closes.
func TestServe_CleanStopKeepsReadMarks(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	s := startServer(t, "--data", data, "--ssh-addr", "127.0.0.1:0")
	addr := s.waitAddr(t)
	run := func(signer gossh.Signer, command string) {
		t.Helper()
		if out, status := sshRun(t, addr, signer, command); status != 0 {
			t.Fatalf("%s: exit %d: %s", command, status, out)
		}
	}
	var signers []gossh.Signer
	for _, name := range []string{"ada", "bob"} {
		_, priv, _ := ed25519.GenerateKey(rand.Reader)
		signer, err := gossh.NewSignerFromKey(priv)
		if err != nil {
			t.Fatal(err)
		}
		run(signer, "signup --name "+name+" --email "+name+"@example.com")
		signers = append(signers, signer)
	}
	ada, bob := signers[0], signers[1]
	run(ada, "job post --title Logo")
	run(bob, "propose 1 --text me")
	run(ada, "award 1 1")
	run(ada, "post 1 hello")
	run(bob, "messages 1") // reading the newest page marks the room read

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, s.log.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("still running 20s after SIGTERM:\n%s", s.log.String())
	}
	db, err := store.Open(filepath.Join(data, storeFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	k, err := db.KeyByFingerprint(ctx, gossh.FingerprintSHA256(bob.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	if m, err := db.Member(ctx, 1, k.UserID); err != nil || m.LastRead != 2 || m.Unread != 0 {
		t.Fatalf("Bob's mark after a clean stop: %+v, %v; want read up to 2 (the hired notice, then hello)", m, err)
	}
}

// dialTest connects to the server at addr with signer's key.
func dialTest(t *testing.T, addr string, signer gossh.Signer) *gossh.Client {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "test",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
