package sshd

import (
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// A terminal UI writes its screen to the client from the program's own
// loop (tui/screen.go), so a write that never returns (the client
// stopped reading: its window is full) freezes the whole program
// — its live events back up, the hub marks it stale and later drops it
// from presence, but the program, its goroutines and the connection would
// stay. A client that vanished is caught by the keepalives; one that is
// still there but no longer reads its screen (a terminal paused with
// Ctrl-S, a wedged client) answers them. So each write of a terminal UI
// is given StalledOutput: when it is still blocked by then, the
// connection is closed, which ends the write, the program and the
// session. The whole connection, not the channel: a client that does not
// read its channel would not answer the channel's close either.

// Write writes to the client. For a terminal UI, a write blocked for
// longer than the server's StalledOutput closes the connection.
func (x *session) Write(p []byte) (int, error) {
	if x.route.kind != kindTUI || x.onStall == nil {
		return x.Session.Write(p)
	}
	t := time.AfterFunc(x.stallLimit, x.stalled)
	defer t.Stop()
	return x.Session.Write(p)
}

// stallReason is why the session ended, as logged with its end.
const stallReason = "closed: the terminal stopped reading what the server sent"

// stalled ends a session whose output is stuck.
func (x *session) stalled() {
	x.endEarly(stallReason)
	x.onStall()
}

// watchStalls arms the stalled-output cut for the session: a stall is
// logged and closes the connection.
func (s *Server) watchStalls(x *session) {
	x.stallLimit = s.cfg.StalledOutput
	x.onStall = func() {
		s.log.Info("ssh: closing connection: terminal output stalled", append(s.logAttrs(x), "waited", s.cfg.StalledOutput)...)
		if conn, ok := x.Context().Value(ssh.ContextKeyConn).(*gossh.ServerConn); ok {
			_ = conn.Close()
		}
	}
}
