package sshd

import (
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// A terminal UI writes its screen to the client; Bubble Tea's renderer
// holds its lock while it writes, so a write that never returns (the
// client stopped reading: its window is full) freezes the whole program
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
	if x.route.kind != kindTUI || x.stallLimit <= 0 {
		return x.Session.Write(p)
	}
	t := time.AfterFunc(x.stallLimit, x.stalled)
	defer t.Stop()
	return x.Session.Write(p)
}

// stalled closes the connection of a session whose output is stuck.
func (x *session) stalled() {
	x.endEarly("closed: the terminal stopped reading what the server sent")
	if x.onStall != nil {
		x.onStall()
	}
	if conn, ok := x.Context().Value(ssh.ContextKeyConn).(*gossh.ServerConn); ok {
		_ = conn.Close()
	}
}

// watchStalls arms the stalled-output cut for the session.
func (s *Server) watchStalls(x *session) {
	x.stallLimit = s.cfg.StalledOutput
	x.onStall = func() {
		s.log.Info("ssh: closing connection: terminal output stalled", append(s.logAttrs(x), "waited", s.cfg.StalledOutput)...)
	}
}
