// Package e2e_test drives the built workroom binary the way people do: the
// OpenSSH ssh client with real keys, and tmux for the terminal UI on a real
// PTY. Each test starts its own server on a free loopback port with its own
// data folder, and stops it by PID.
package e2e_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/workroom/workroom/postgres/pgtest"
	"github.com/workroom/workroom/workroomtest"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "workroom-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "workroom")
	build := exec.Command("go", "build", "-race", "-o", binary, "../cmd/workroom")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build workroom:", err)
		os.Exit(1)
	}
	code := pgtest.Main(m) // the two-front-end tests' PostgreSQL, stopped after them
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// server is one running workroom binary.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	data string
	port string
	logs *workroomtest.Buffer
	done chan error
}

var listenLine = regexp.MustCompile(`ssh listening.*addr=\S*:(\d+)`)

// startServer runs `workroom serve` on 127.0.0.1:0 in a fresh data folder
// and waits for it to say which port it took.
func startServer(t *testing.T) *server {
	t.Helper()
	return startServerIn(t, t.TempDir())
}

// startServerIn runs `workroom serve` on an existing data folder (a
// restart).
func startServerIn(t *testing.T, data string) *server {
	t.Helper()
	return startServerWith(t, data)
}

// startServerWith runs `workroom serve` on a data folder with extra
// flags (--no-scan, --clamd ADDR).
func startServerWith(t *testing.T, data string, extra ...string) *server {
	t.Helper()
	return startServerEnv(t, data, nil, extra...)
}

// startServerEnv runs `workroom serve` on a data folder with extra
// variables in its environment (KEY=VALUE) and extra flags.
func startServerEnv(t *testing.T, data string, env []string, extra ...string) *server {
	t.Helper()
	s := &server{t: t, data: data, logs: &workroomtest.Buffer{}, done: make(chan error, 1)}
	// A short terminal grace: the server stays up that long on SIGTERM to
	// tell late arrivals it is stopping.
	s.cmd = exec.Command(binary, "serve", "--data", s.data, "--ssh-addr", "127.0.0.1:0", "--smtp-addr", "127.0.0.1:0", "--mail-domain", "e2e.localhost",
		"--terminal-grace", "200ms")
	s.cmd.Args = append(s.cmd.Args, extra...)
	if env != nil {
		s.cmd.Env = append(os.Environ(), env...)
	}
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stdout = s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ports := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(s.logs, line)
			if m := listenLine.FindStringSubmatch(line); m != nil {
				select {
				case ports <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(s.logs, stderr)
		s.done <- s.cmd.Wait()
	}()
	t.Cleanup(func() { s.stop() })
	select {
	case s.port = <-ports:
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not report its port; logs:\n%s", s.logs)
	}
	return s
}

// stop sends SIGTERM and waits; it kills the server if it hangs. It returns
// the exit error (nil for status 0).
func (s *server) stop() error {
	if s.cmd.ProcessState != nil {
		return nil
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err // let a second stop see it too
		return err
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		s.t.Errorf("server did not stop within 20s of SIGTERM; logs:\n%s", s.logs)
		return fmt.Errorf("killed")
	}
}

// user is a person with their own SSH key.
type user struct {
	t     *testing.T
	srv   *server
	name  string
	email string
	key   string
}

func newUser(t *testing.T, srv *server, name string) *user {
	t.Helper()
	key := filepath.Join(t.TempDir(), "id_"+name)
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	return &user{t: t, srv: srv, name: name, email: name + "@example.com", key: key}
}

// sshArgs are the options for a non-interactive OpenSSH client that offers
// only this user's key, followed by the remote command. ssh joins the
// command's words with spaces, just as it does for a person typing
// `ssh host post 1 It's done` after their shell removed their quotes; the
// server splits at whitespace with no quoting, and keeps free text exactly.
func (u *user) sshArgs(command ...string) []string {
	return append([]string{
		"-p", u.srv.port, "-i", u.key,
		"-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "PasswordAuthentication=no",
		"127.0.0.1",
	}, command...)
}

// result is what one ssh command did.
type result struct {
	stdout, stderr string
	code           int
}

// run runs `ssh … args` with stdin and returns its output and exit status.
func (u *user) run(stdin string, args ...string) result {
	u.t.Helper()
	return tool(u.t, nil, stdin, "ssh", u.sshArgs(args...)...)
}

// ok runs a command that must succeed and returns its trimmed stdout.
func (u *user) ok(args ...string) string {
	u.t.Helper()
	r := u.run("", args...)
	if r.code != 0 {
		u.t.Fatalf("%s: ssh %s: exit %d: %s%s\nserver logs:\n%s", u.name, strings.Join(args, " "), r.code, r.stderr, r.stdout, u.srv.logs)
	}
	return strings.TrimSpace(r.stdout)
}

var (
	codeLine     = regexp.MustCompile(`(?m)^Verification code: (\d+)\r?$`)
	linkCodeLine = regexp.MustCompile(`(?m)^Link code: (\S+)\r?$`)
)

// code waits for the verification mail to the user in <data>/outbox and
// returns its code.
func (u *user) code() string {
	u.t.Helper()
	return u.mailedCode(codeLine)
}

// mailedCode waits for a mail to the user in <data>/outbox with a line
// that line matches, and returns the code it captures.
func (u *user) mailedCode(codeLine *regexp.Regexp) string {
	u.t.Helper()
	return u.mailedCodeIn(codeLine, u.srv)
}

// mailedCodeIn is mailedCode looking in the outbox of each of servers:
// front ends over one store each send what their sender claimed.
func (u *user) mailedCodeIn(codeLine *regexp.Regexp, servers ...*server) string {
	u.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		for _, s := range servers {
			files, _ := filepath.Glob(filepath.Join(s.data, "outbox", "*.eml"))
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil || !bytes.Contains(b, []byte(u.email)) {
					continue
				}
				if m := codeLine.FindSubmatch(b); m != nil {
					return string(m[1])
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	u.t.Fatalf("no mail with a %q line for %s in the outbox of %d server(s)", codeLine, u.email, len(servers))
	return ""
}

// signUp registers the user's key with the signup command and verifies
// the email with the mailed code.
func (u *user) signUp() {
	u.t.Helper()
	u.ok("signup", "--name", u.name, "--email", u.email)
	u.ok("verify", u.code())
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	last := ""
	for time.Now().Before(deadline) {
		ok, state := cond()
		if ok {
			return
		}
		last = state
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; last state:\n%s", what, last)
}

// firstNumber returns the first run of digits in s (the id a command
// printed).
func firstNumber(t *testing.T, s string) string {
	t.Helper()
	m := regexp.MustCompile(`\d+`).FindString(s)
	if m == "" {
		t.Fatalf("no id in %q", s)
	}
	return m
}

// mustRun runs a local program and returns its output.
func mustRun(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v: %s", name, args, err, out)
	}
	return out
}
