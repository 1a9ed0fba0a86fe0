package sshd

import (
	"net"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/command"
)

// logStart and logEnd write a session's two log lines.
func (s *Server) logStart(x *session) {
	s.log.Info("session start", s.logAttrs(x)...)
}

// logEnd runs deferred, also when the session panicked: the client must
// then not see success, so a session that never exited exits 1.
func (s *Server) logEnd(x *session) {
	if x.exitStatus() < 0 {
		_ = x.Exit(1)
	}
	s.log.Info("session end", append(s.logAttrs(x), "status", x.exitStatus(), "duration", time.Since(x.start).Round(time.Millisecond))...)
}

func (s *Server) logAttrs(x *session) []any {
	return []any{"user", x.user, "fingerprint", x.fingerprint, "remote", remoteString(x.RemoteAddr()),
		"kind", x.route.kind, "command", command.LogName(x.line)}
}

func remoteString(a net.Addr) string {
	if a == nil {
		return ""
	}
	return a.String()
}

// remoteHost is the IP a connection comes from, without its port.
func remoteHost(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	if a == nil {
		return ""
	}
	return a.String()
}

// logRefusal logs a key turned away: a refusal as information, a
// server fault (internal, unavailable) as an error with its cause.
func (s *Server) logRefusal(fingerprint, remote string, err error) {
	if workroom.ServerFault(err) {
		s.log.Error("ssh: key lookup failed", "fingerprint", fingerprint, "remote", remote, "err", err)
		return
	}
	s.log.Info("ssh: key refused", "fingerprint", fingerprint, "remote", remote, "reason", workroom.ErrorMessage(err))
}
