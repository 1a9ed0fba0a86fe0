package sshd

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// echoSubsystem is a dummy subsystem: it greets the account it serves,
// then echoes its input until the client ends it or the channel closes.
// Each session's end (whether its context was cancelled) goes on ended.
type echoSubsystem struct {
	ended chan error // ctx.Err() when ServeSubsystem returned
}

func (e *echoSubsystem) ServeSubsystem(ctx context.Context, id *workroom.Identity, ch io.ReadWriteCloser) error {
	defer func() { e.ended <- ctx.Err() }()
	if workroom.IdentityFromContext(ctx) != id {
		return errors.New("the context does not carry the acting identity")
	}
	if _, err := io.WriteString(ch, "hello "+id.User.Name+"\n"); err != nil {
		return nil
	}
	_, _ = io.Copy(ch, ch)
	return nil
}

// panickingSubsystem panics in every session.
func panickingSubsystem(context.Context, *workroom.Identity, io.ReadWriteCloser) error {
	panic("a subsystem that panics")
}

// withSubsystems registers "echo" and "boom" on a test server.
func withSubsystems(echo *echoSubsystem) func(*parts) {
	return func(p *parts) {
		p.cfg.Subsystems = map[string]Subsystem{"echo": echo, "boom": SubsystemFunc(panickingSubsystem)}
	}
}

func newEcho() *echoSubsystem { return &echoSubsystem{ended: make(chan error, 10)} }

// subsystemSession is a client's session of a subsystem, on a raw
// channel: x/crypto/ssh's Session reports no exit status for a subsystem.
type subsystemSession struct {
	ch     gossh.Channel
	stdout *bufio.Reader
	stderr *workroomtest.Buffer
	done   chan int // the exit status, -1 for none, once the channel closed
}

func openSubsystem(t *testing.T, c *gossh.Client, name string) *subsystemSession {
	t.Helper()
	ch, reqs, err := c.OpenChannel("session", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ch.Close() })
	s := &subsystemSession{ch: ch, stdout: bufio.NewReader(ch), stderr: &workroomtest.Buffer{}, done: make(chan int, 1)}
	stderrDone := make(chan struct{})
	go func() {
		defer close(stderrDone)
		_, _ = io.Copy(s.stderr, ch.Stderr())
	}()
	go func() {
		status := -1
		for req := range reqs {
			if req.Type == "exit-status" && len(req.Payload) == 4 {
				status = int(binary.BigEndian.Uint32(req.Payload))
			}
			if req.WantReply {
				_ = req.Reply(false, nil)
			}
		}
		<-stderrDone
		s.done <- status
	}()
	ok, err := ch.SendRequest("subsystem", true, gossh.Marshal(struct{ Name string }{name}))
	if err != nil || !ok {
		t.Fatalf("subsystem %s: accepted %v, %v", name, ok, err)
	}
	return s
}

// write sends text to the subsystem.
func (s *subsystemSession) write(t *testing.T, text string) {
	t.Helper()
	if _, err := io.WriteString(s.ch, text); err != nil {
		t.Fatal(err)
	}
}

// line reads one line of the subsystem's output, within seconds.
func (s *subsystemSession) line(t *testing.T) string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		l, _ := s.stdout.ReadString('\n')
		got <- l
	}()
	select {
	case l := <-got:
		return l
	case <-time.After(5 * time.Second):
		t.Fatal("no line from the subsystem within 5 s")
		return ""
	}
}

// endsWith waits for the session to end with exit status and, unless
// reason is "", reason on stderr.
func (s *subsystemSession) endsWith(t *testing.T, status int, reason string) {
	t.Helper()
	select {
	case got := <-s.done:
		if got != status {
			t.Fatalf("subsystem session ended with exit status %d, want %d (stderr %q)", got, status, s.stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the subsystem session did not end within 5 s")
	}
	if reason != "" && !strings.Contains(s.stderr.String(), "workroom: "+reason) {
		t.Errorf("stderr %q; want it to say %q", s.stderr.String(), reason)
	}
}

func TestSubsystem_ServesAnAccountAndLogsStartAndEnd(t *testing.T) {
	echo := newEcho()
	ts := startServer(t, withSubsystems(echo))
	key := newKey(t)
	ts.signUp(t, key, "Ada")

	s := openSubsystem(t, ts.connect(t, key), "echo")
	if got := s.line(t); got != "hello Ada\n" {
		t.Fatalf("greeting %q, want it to name the account", got)
	}
	s.write(t, "ping\n")
	if got := s.line(t); got != "ping\n" {
		t.Fatalf("echo %q", got)
	}
	_ = s.ch.CloseWrite()
	s.endsWith(t, 0, "")

	user := strconv.FormatUint(uint64(ts.identity(t, key).User.ID), 10)
	attrs := `user=` + user + ` fingerprint=` + regexp.QuoteMeta(fingerprint(key)) + ` remote=127\.0\.0\.1:\d+ kind=subsystem subsystem=echo`
	start := regexp.MustCompile(`msg="session start" ` + attrs + "\n")
	end := regexp.MustCompile(`msg="session end" ` + attrs + ` status=0 duration=\S+`)
	workroomtest.WaitUntil(t, "the session's end line", func() bool { return end.MatchString(ts.logs.String()) })
	if !start.MatchString(ts.logs.String()) {
		t.Errorf("no session start line:\n%s", ts.logs.String())
	}
}

func TestSubsystem_RefusesKeysWithoutAccess(t *testing.T) {
	admin := newKey(t)
	echo := newEcho()
	ts := startServer(t, withSubsystems(echo), func(p *parts) { p.admins = []string{fingerprint(admin)} })
	ts.signUp(t, admin, "Admin")
	disabled, removed, laptop, stranger := newKey(t), newKey(t), newKey(t), newKey(t)
	ts.signUp(t, disabled, "Dora")
	ts.signUp(t, removed, "Rex")
	ts.addKey(t, removed, laptop)

	// Each connection is open before its access goes: the subsystem's own
	// session is what must be refused.
	disabledConn, removedConn, strangerConn := ts.connect(t, disabled), ts.connect(t, removed), ts.connect(t, stranger)
	asAdmin := workroom.NewContextWithIdentity(context.Background(), ts.identity(t, admin))
	if err := ts.svc.DisableUser(asAdmin, ts.identity(t, disabled).User.ID); err != nil {
		t.Fatal(err)
	}
	ts.must(t, laptop, "keys remove "+fingerprint(removed), "")

	for _, c := range []struct {
		name   string
		conn   *gossh.Client
		reason string
	}{
		{"a disabled account", disabledConn, "this account is disabled"},
		{"a removed key", removedConn, "this key has no account"},
		{"a key with no account", strangerConn, "this key has no account"},
	} {
		t.Run(c.name, func(t *testing.T) {
			openSubsystem(t, c.conn, "echo").endsWith(t, 1, c.reason)
		})
	}
	select {
	case <-echo.ended:
		t.Error("the subsystem served a key without access")
	default:
	}
}

func TestSubsystem_RevokedKeyEndsARunningSession(t *testing.T) {
	echo := newEcho()
	ts := startServer(t, withSubsystems(echo))
	desk, laptop := newKey(t), newKey(t)
	ts.signUp(t, desk, "Ada")
	ts.addKey(t, desk, laptop)
	s := openSubsystem(t, ts.connect(t, desk), "echo")
	s.line(t)

	ts.must(t, laptop, "keys remove "+fingerprint(desk), "")
	s.endsWith(t, 1, workroom.ReasonKeyRemoved)
	if err := waitErr(t, "the subsystem to return", echo.ended, 5*time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("the subsystem returned with its context %v, want it cancelled", err)
	}
}

func TestSubsystem_ShutdownRefusesNewSessionsAndEndsRunningOnesWithinTheGrace(t *testing.T) {
	echo := newEcho()
	ts := startServer(t, withSubsystems(echo))
	key := newKey(t)
	ts.signUp(t, key, "Ada")
	conn := ts.connect(t, key)
	running := openSubsystem(t, conn, "echo")
	running.line(t)

	start := time.Now()
	stopped := ts.shutdown(10 * time.Second)
	workroomtest.WaitUntil(t, "the server to close its gate", ts.sessions.closing)
	openSubsystem(t, conn, "echo").endsWith(t, 1, stoppingReason)

	running.endsWith(t, 1, stoppingReason)
	if err := waitErr(t, "Shutdown", stopped, 5*time.Second); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if d := time.Since(start); d > testTerminalGrace+time.Second {
		t.Errorf("Shutdown took %v; the terminal grace is %v", d, testTerminalGrace)
	}
	if err := waitErr(t, "the subsystem to return", echo.ended, 5*time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("the subsystem returned with its context %v, want it cancelled", err)
	}
}

func TestSubsystem_APanicEndsOnlyItsSession(t *testing.T) {
	echo := newEcho()
	ts := startServer(t, withSubsystems(echo))
	key := newKey(t)
	ts.signUp(t, key, "Ada")
	conn := ts.connect(t, key)
	running := openSubsystem(t, conn, "echo")
	running.line(t)

	openSubsystem(t, conn, "boom").endsWith(t, 1, panicReason)
	workroomtest.WaitUntil(t, "the panic logged with its stack", func() bool {
		l := ts.logs.String()
		return strings.Contains(l, `level=ERROR msg="session panic"`) && strings.Contains(l, "subsystem=boom") &&
			strings.Contains(l, `panic="a subsystem that panics" stack=`)
	})
	workroomtest.WaitUntil(t, "the panicked session's end line", func() bool {
		return strings.Contains(ts.logs.String(), `kind=subsystem subsystem=boom status=1`)
	})

	// The session that was running goes on, and new ones are served.
	running.write(t, "still here\n")
	if got := running.line(t); got != "still here\n" {
		t.Fatalf("the other session echoed %q after the panic", got)
	}
	if got := openSubsystem(t, conn, "echo").line(t); got != "hello Ada\n" {
		t.Fatalf("a new session after the panic got %q", got)
	}
}
