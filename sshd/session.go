package sshd

import (
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/cmdline"
)

// Kinds of session, as logged.
const (
	kindTUI       = "tui"
	kindCommand   = "command"
	kindHint      = "hint"     // no terminal and no command: told what to do
	kindTooLong   = "too-long" // a command line over the cap: refused unread
	kindSubsystem = "subsystem"
)

// route is what a session asks for.
type route struct {
	kind      string
	room      workroom.RoomID // the room `open ROOM` asks for; 0 for the list
	subsystem string          // the subsystem asked for, by name
}

// routeOf decides where a session goes: a terminal with no command, or
// with `open ROOM`, gets the terminal UI; any other command goes to the
// command runner, terminal or not (so `ssh -t host open x` gets the
// runner's usage error); nothing at all gets a hint.
func routeOf(pty bool, line cmdline.Line) route {
	switch {
	case pty && line.Len() == 0:
		return route{kind: kindTUI}
	case pty && line.Len() == 2 && line.Word(0) == "open":
		if id, ok := cmdline.Decimal(line.Word(1)); ok && id > 0 {
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
// runner, a subsystem) gets this wrapper, so each sees the terminal size clamped and
// each read counts as input for the idle clock.
type session struct {
	ssh.Session
	line        cmdline.Line // the command line, split once; empty when too long
	lineBytes   int          // the raw command line's length
	route       route
	fingerprint string
	identified  bool // the key was looked up and let in
	start       time.Time
	lim         Limits
	winch       <-chan ssh.Window // the library's window changes, clamped
	lastInput   atomic.Int64      // unix nanoseconds of the last read with data
	stallLimit  time.Duration     // a terminal UI's write blocked this long closes the connection (stall.go)
	onStall     func()            // logs a stall and closes the connection; nil: no cut

	mu     sync.Mutex
	user   workroom.UserID // 0 for a key with no account
	status int             // -1 until Exit
	ended  string          // why the server ended the session early; "" if it did not
}

// newSession reads the session's raw command line, the only place it is
// read: a line over maxLine is never split (splitting is linear, but the
// cap keeps every later step small too), any other is split exactly once,
// and that split is what routing, the log and the command runner use.
func newSession(sess ssh.Session, maxLine int, lim Limits) *session {
	raw := sess.RawCommand()
	x := &session{Session: sess, lineBytes: len(raw), start: time.Now(), lim: lim, status: -1}
	x.lastInput.Store(x.start.UnixNano())
	switch {
	case sess.Subsystem() != "":
		x.route = route{kind: kindSubsystem, subsystem: sess.Subsystem()}
	case len(raw) > maxLine:
		x.route = route{kind: kindTooLong}
	default:
		_, _, pty := sess.Pty()
		x.line = cmdline.Parse(raw)
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

// userID is the account behind the session, 0 for none.
func (x *session) userID() workroom.UserID {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.user
}

func (x *session) setUser(u workroom.UserID) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.user = u
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

// hint tells a client that sent neither a terminal nor a command what it
// can do.
func hint(local net.Addr) string {
	return fmt.Sprintf("use ssh -t -p %s HOST for the terminal UI, or run a command: ssh -p %[1]s HOST help", portOf(local))
}

// portOf is the port the client connected to, for the commands a message
// suggests.
func portOf(local net.Addr) string {
	if a, ok := local.(*net.TCPAddr); ok {
		return strconv.Itoa(a.Port)
	}
	return "2222"
}
