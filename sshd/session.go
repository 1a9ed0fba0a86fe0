package sshd

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/command"
)

// Kinds of session, as logged.
const (
	kindTUI     = "tui"
	kindCommand = "command"
	kindHint    = "hint"     // no terminal and no command: told what to do
	kindTooLong = "too-long" // a command line over the cap: refused unread
)

// route is what a session asks for.
type route struct {
	kind string
	room workroom.RoomID // the room `open ROOM` asks for; 0 for the list
}

// routeOf decides where a session goes: a terminal with no command, or
// with `open ROOM`, gets the terminal UI; any other command goes to the
// command runner, terminal or not (so `ssh -t host open x` gets the
// runner's usage error); nothing at all gets a hint.
func routeOf(pty bool, line command.Line) route {
	switch {
	case pty && line.Len() == 0:
		return route{kind: kindTUI}
	case pty && line.Len() == 2 && line.Word(0) == "open":
		if id, err := command.ParseID("ROOM", line.Word(1)); err == nil && id > 0 {
			return route{kind: kindTUI, room: workroom.RoomID(id)}
		}
	case line.Len() == 0:
		return route{kind: kindHint}
	}
	return route{kind: kindCommand}
}

// session is one SSH session as this package handles it: the library's
// session, what it asks for, who is behind it and how it ended. Every
// consumer of the session (the TUI through wish's middleware, the command
// runner) gets this wrapper, so each sees the terminal size clamped and
// each read counts as input for the idle clock.
type session struct {
	ssh.Session
	line        command.Line // the command line, split once; empty when too long
	lineBytes   int          // the raw command line's length
	route       route
	fingerprint string
	user        workroom.UserID // 0 for a key with no account
	start       time.Time
	lim         Limits
	winch       <-chan ssh.Window // the library's window changes, clamped
	lastInput   atomic.Int64      // unix nanoseconds of the last read with data

	mu     sync.Mutex
	status int    // -1 until Exit
	ended  string // why the server ended the session early; "" if it did not
}

// newSession reads the session's raw command line, the only place it is
// read: a line over maxLine is never split (splitting is linear, but the
// cap keeps every later step small too), any other is split exactly once,
// and that split is what routing, the log and the command runner use.
func newSession(sess ssh.Session, maxLine int, lim Limits) *session {
	raw := sess.RawCommand()
	x := &session{Session: sess, lineBytes: len(raw), start: time.Now(), lim: lim, status: -1}
	x.lastInput.Store(x.start.UnixNano())
	if len(raw) > maxLine {
		x.route = route{kind: kindTooLong}
	} else {
		_, _, pty := sess.Pty()
		x.line = command.ParseLine(raw)
		x.route = routeOf(pty, x.line)
	}
	if pk := sess.PublicKey(); pk != nil {
		x.fingerprint = workroom.KeyOf(pk).Fingerprint
	}
	if _, windows, ok := sess.Pty(); ok {
		x.winch = lim.clampedWindows(windows)
	}
	return x
}

// Pty returns the session's terminal with its size clamped to the limits,
// and its window changes likewise.
func (x *session) Pty() (ssh.Pty, <-chan ssh.Window, bool) {
	p, _, ok := x.Session.Pty()
	p.Window = x.lim.clampWindow(p.Window)
	return p, x.winch, ok
}

// Read reads the client's input, noting when some arrived.
func (x *session) Read(p []byte) (int, error) {
	n, err := x.Session.Read(p)
	if n > 0 {
		x.lastInput.Store(time.Now().UnixNano())
	}
	return n, err
}

// idleFor is how long the client has sent no input.
func (x *session) idleFor() time.Duration {
	return time.Since(time.Unix(0, x.lastInput.Load()))
}

// Exit ends the session with a status, once: the first status is the one
// the client and the log see (the session may be ended early by the
// server while its command is still returning).
func (x *session) Exit(code int) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.status >= 0 {
		return nil
	}
	x.status = code
	return x.Session.Exit(code)
}

// exitStatus is the status the session exited with, -1 before Exit.
func (x *session) exitStatus() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.status
}

// endEarly records why the server is ending the session; only the first
// reason counts. It reports whether this was the first.
func (x *session) endEarly(reason string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.ended != "" {
		return false
	}
	x.ended = reason
	return true
}

// endedBecause is why the server ended the session, or "".
func (x *session) endedBecause() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.ended
}

// handle is the server's session middleware: every session goes through
// serve, and is logged at its start and end.
func (s *Server) handle(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		x := newSession(sess, s.cfg.MaxCommandLine, s.cfg.Limits)
		defer s.logEnd(x)
		s.serve(x)
		next(sess)
	}
}

// serve admits the session (none during shutdown), resolves who is behind
// it, and runs what it asks for.
func (s *Server) serve(x *session) {
	if x.route.kind == kindTooLong {
		s.refuseWithStatus(x, 2, fmt.Sprintf("the command line is %d bytes, over the limit of %d; send long text on stdin instead: echo 'TEXT' | ssh HOST post ROOM",
			x.lineBytes, s.cfg.MaxCommandLine))
		return
	}
	ctx, cancel := context.WithCancel(x.Context())
	defer cancel()
	var stop func() // only a terminal UI is ended early at shutdown
	if x.route.kind == kindTUI {
		stop = cancel
	}
	leave, ok := s.sessions.enter(stop)
	if !ok {
		s.refuse(x, "the server is stopping; connect again in a moment")
		return
	}
	defer leave()
	id, err := s.identify(x)
	if err != nil {
		s.logRefusal(x.fingerprint, remoteString(x.RemoteAddr()), err)
		s.refuse(x, workroom.ErrorMessage(err))
		return
	}
	if id.User != nil {
		x.user = id.User.ID
		if err := s.holdAccount(x, id.User.ID); err != nil {
			s.refuse(x, workroom.ErrorMessage(err))
			return
		}
	}
	s.logStart(x)
	id.Addr = remoteHost(x.RemoteAddr())
	if a := x.LocalAddr(); a != nil {
		id.Server = a.String()
	}
	ctx = workroom.NewContextWithIdentity(ctx, id)
	defer s.guard(ctx, cancel, x, id)()
	switch x.route.kind {
	case kindTUI:
		s.runTUI(ctx, x, id, x.route.room)
	case kindCommand:
		_ = x.Exit(s.cmds.Run(ctx, id, x.line, cleanStdin(ctx, x), x, x.Stderr()))
	default:
		s.refuse(x, hint(x.LocalAddr()))
	}
}

// runTUI runs the terminal UI on the session. When the UI ended because
// the server is stopping, or ended it early (access revoked, idle), a last
// line says so on the restored screen.
func (s *Server) runTUI(ctx context.Context, x *session, id *workroom.Identity, room workroom.RoomID) {
	program := func(sess ssh.Session) *tea.Program {
		// The server's own SIGTERM is not the session's: without this,
		// every program would quit at once on it, before Shutdown could
		// tell it why. The filter replaces MakeOptions' own (see
		// programFilter).
		opts := append(bubbletea.MakeOptions(sess), tea.WithoutSignalHandler(), tea.WithFilter(s.cfg.programFilter))
		return s.app.NewProgram(ctx, id, room, opts...)
	}
	bubbletea.MiddlewareWithProgramHandler(program)(func(ssh.Session) {})(x)
	if reason := x.endedBecause(); reason != "" {
		// On stdout, after the program's own output: a line on stderr
		// could reach the terminal before the screen is restored, and
		// vanish with the alternate screen.
		fmt.Fprintln(x, "workroom: "+reason)
		_ = x.Exit(1)
		return
	}
	if s.sessions.closing() {
		fmt.Fprintln(x, "workroom: the server is stopping; connect again in a moment.")
	}
	_ = x.Exit(0)
}

// refuse ends a session with one line on stderr and exit status 1.
func (s *Server) refuse(x *session, reason string) {
	s.refuseWithStatus(x, 1, reason)
}

// refuseWithStatus ends a session with one line on stderr and status.
func (s *Server) refuseWithStatus(x *session, status int, reason string) {
	fmt.Fprintln(x.Stderr(), "workroom: "+reason)
	_ = x.Exit(status)
}

// hint tells a client that sent neither a terminal nor a command what it
// can do.
func hint(local net.Addr) string {
	port := "2222"
	if a, ok := local.(*net.TCPAddr); ok {
		port = strconv.Itoa(a.Port)
	}
	return fmt.Sprintf("use ssh -t -p %s HOST for the terminal UI, or run a command: ssh -p %[1]s HOST help", port)
}
