package sshd

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	charmlog "charm.land/log/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/command"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/tui"
	"github.com/workroom/workroom/workroomtest"
)

func TestMain(m *testing.M) {
	// wish's middlewares log through charm's default logger, for example
	// "app exit with error" for every UI whose client hung up; the server
	// binary routes it into its log, the tests have no use for it.
	charmlog.SetOutput(io.Discard)
	os.Exit(m.Run())
}

// testServer is a server on 127.0.0.1:0 over the service fixture (on the
// real clock, as a server runs), the real TUI and command runner.
type testServer struct {
	*Server
	addr  string
	svc   *workroom.Service
	world *workroomtest.World
	logs  *workroomtest.Buffer
}

// parts are what a test server is built from, for a test to change.
type parts struct {
	cfg      Config
	store    func(*store.DB) workroom.Store // wraps the real store; nil: as is
	commands Commands                       // replaces the command runner; nil: the real one
	admins   []string                       // the service's administrators
	limits   *workroom.Limits               // the service's rate limits; nil: none
	notice   time.Duration                  // how long the TUI shows "the server is stopping"
}

// Graces of a test server, in milliseconds so that shutdown tests are
// quick: the TUI's notice must fit within the terminal grace.
const (
	testTerminalGrace  = 100 * time.Millisecond
	testStoppingNotice = 50 * time.Millisecond
	// testShutdownLimit bounds every wait for a test server to stop.
	testShutdownLimit = 5 * time.Second
)

// startServer starts a server; edit may change its parts first.
func startServer(t *testing.T, edit ...func(*parts)) *testServer {
	t.Helper()
	p := parts{cfg: Config{HostKeyPath: filepath.Join(t.TempDir(), HostKeyFile), TerminalGrace: testTerminalGrace}, notice: testStoppingNotice}
	for _, e := range edit {
		e(&p)
	}
	logs := &workroomtest.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	// The store closes when the test ends, after the server has stopped:
	// cleanups run last registered first.
	opts := []workroomtest.Option{workroomtest.WithLogger(log), workroomtest.WithStore(p.store), workroomtest.WithRealClock(), workroomtest.WithAdmins(p.admins...)}
	if p.limits != nil {
		opts = append(opts, workroomtest.WithLimits(*p.limits))
	}
	w := workroomtest.New(t, opts...)
	var cmds Commands = command.New(w.Svc, log)
	if p.commands != nil {
		cmds = p.commands
	}
	app := tui.New(w.Svc, log)
	app.StoppingNotice = p.notice
	srv, err := New(p.cfg, w.Svc, app, cmds, log)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(l)
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testShutdownLimit)
		defer cancel()
		_ = srv.Shutdown(ctx)
		select {
		case <-served:
		case <-time.After(testShutdownLimit):
			t.Error("Serve did not return after Shutdown")
		}
	})
	return &testServer{Server: srv, addr: l.Addr().String(), svc: w.Svc, world: w, logs: logs}
}

// newKey makes a fresh ed25519 key.
func newKey(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fingerprint(k gossh.Signer) string { return gossh.FingerprintSHA256(k.PublicKey()) }

func authorizedLine(k gossh.Signer) string { return string(gossh.MarshalAuthorizedKey(k.PublicKey())) }

// dial connects with the given auth methods.
func (ts *testServer) dial(t *testing.T, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	t.Helper()
	return gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            "anyone",
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         10 * time.Second,
	})
}

// connect dials with key and closes the connection when the test ends.
// It returns once the server has taken the connection (answered a
// request): charm.land/ssh's Shutdown races with a handshake that
// completes while it runs.
func (ts *testServer) connect(t *testing.T, key gossh.Signer) *gossh.Client {
	t.Helper()
	c, err := ts.dial(t, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	var err2 error
	bounded(t, "the server's first answer", c, func() { _, _, err2 = c.SendRequest(keepaliveRequest, true, nil) })
	if err2 != nil {
		t.Fatal(err2)
	}
	return c
}

// bounded runs fn, a call that waits on the server; should it not return
// within workroomtest.WaitLimit, c is closed (which makes it return) and
// the test fails, rather than hanging until the test binary's timeout.
func bounded(t *testing.T, what string, c io.Closer, fn func()) {
	t.Helper()
	var late atomic.Bool
	timer := time.AfterFunc(workroomtest.WaitLimit, func() {
		late.Store(true)
		_ = c.Close()
	})
	fn()
	timer.Stop()
	if late.Load() {
		t.Fatalf("%s did not finish within %v", what, workroomtest.WaitLimit)
	}
}

// result is what a command did.
type result struct {
	stdout, stderr string
	status         int
}

// run runs one command on a new connection with key, stdin as input, and
// closes the connection, as ssh does (the server limits connections per
// address).
func (ts *testServer) run(t *testing.T, key gossh.Signer, cmd, stdin string) result {
	t.Helper()
	c, err := ts.dial(t, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return runOn(t, c, cmd, stdin)
}

// runOn runs one command in a new session of an open connection.
func runOn(t *testing.T, c *gossh.Client, cmd, stdin string) result {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var out, errOut bytes.Buffer
	sess.Stdout, sess.Stderr, sess.Stdin = &out, &errOut, strings.NewReader(stdin)
	bounded(t, cmd, sess, func() { err = sess.Run(cmd) })
	r := result{stdout: out.String(), stderr: errOut.String()}
	if ee, ok := err.(*gossh.ExitError); ok {
		r.status = ee.ExitStatus()
	} else if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return r
}

// must runs a command that has to succeed and returns its stdout.
func (ts *testServer) must(t *testing.T, key gossh.Signer, cmd, stdin string) string {
	t.Helper()
	r := ts.run(t, key, cmd, stdin)
	if r.status != 0 {
		t.Fatalf("%s: exit %d: %s", cmd, r.status, r.stderr)
	}
	return r.stdout
}

// signUp makes an account for key.
func (ts *testServer) signUp(t *testing.T, key gossh.Signer, name string) {
	t.Helper()
	ts.must(t, key, "signup --name "+name+" --email "+workroomtest.Email(name), "")
}

// terminal is an interactive session on a PTY, its screen kept by a
// terminal emulator: the program rewrites only the rows that changed,
// between cursor moves, so the raw bytes do not hold the screen.
type terminal struct {
	sess *gossh.Session
	emu  *vt.SafeEmulator
	done chan error
}

// openTerminal requests an 80×24 PTY and starts a shell, or cmd when set.
func openTerminal(t *testing.T, c *gossh.Client, cmd string) *terminal {
	t.Helper()
	return openTerminalAsking(t, c, cmd, 80, 24)
}

// openTerminalAsking is openTerminal on an 80×24 screen whose PTY request
// asks for cols×rows.
func openTerminalAsking(t *testing.T, c *gossh.Client, cmd string, cols, rows int) *terminal {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	emu := vt.NewSafeEmulator(80, 24)
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	sess.Stdout = emu
	sess.Stderr = emu
	// The emulator answers the program's queries (cursor position,
	// colours); those answers must flow back or the program waits.
	go func() { _, _ = io.Copy(stdin, emu) }()
	if err := sess.RequestPty("xterm-256color", rows, cols, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if cmd == "" {
		err = sess.Shell()
	} else {
		err = sess.Start(cmd)
	}
	if err != nil {
		t.Fatal(err)
	}
	term := &terminal{sess: sess, emu: emu, done: make(chan error, 1)}
	go func() { term.done <- sess.Wait() }()
	t.Cleanup(func() {
		_ = sess.Close()
		_ = emu.InputPipe().(io.Closer).Close()
	})
	return term
}

// screen is the terminal's text as a person would see it.
func (term *terminal) screen() string { return ansi.Strip(term.emu.Render()) }

// waitFor waits until the screen shows want.
func (term *terminal) waitFor(t *testing.T, want string) {
	t.Helper()
	workroomtest.WaitUntil(t, "the screen to show "+want, func() bool { return strings.Contains(term.screen(), want) })
}
