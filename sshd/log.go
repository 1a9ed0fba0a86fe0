package sshd

import (
	"context"
	"net"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/cmdline"
)

// logStart and logEnd write a session's two log lines.
func (s *Server) logStart(x *session) {
	s.log.Info("session start", s.logAttrs(x)...)
}

// logEnd runs deferred, also when the session panicked: the client must
// then not see success, so a session that never exited exits 1. It names
// the account the session ended as, which for a key that signed up on
// the session's own sign-up screen is not the one it started as (none).
func (s *Server) logEnd(x *session) {
	if x.exitStatus() < 0 {
		_ = x.Exit(1)
	}
	s.noteSignUp(x)
	s.log.Info("session end", append(s.logAttrs(x), "status", x.exitStatus(), "duration", time.Since(x.start).Round(time.Millisecond))...)
}

// endLookupTimeout bounds the look-up of the account a session ended as.
const endLookupTimeout = 5 * time.Second

// noteSignUp looks again at who the key of a terminal session that began
// with no account is now. The session's context may be over by now; the
// look-up is not.
func (s *Server) noteSignUp(x *session) {
	pk := x.PublicKey()
	if !x.identified || x.userID() != 0 || x.route.kind != kindTUI || pk == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(x.Context()), endLookupTimeout)
	defer cancel()
	if id, err := s.svc.Authenticate(ctx, workroom.KeyOf(pk)); err == nil && id.User != nil {
		x.setUser(id.User.ID)
	}
}

func (s *Server) logAttrs(x *session) []any {
	attrs := []any{"user", x.userID(), "fingerprint", x.fingerprint, "remote", remoteString(x.RemoteAddr()), "kind", x.route.kind}
	if x.route.kind == kindSubsystem {
		// Only names in Config.Subsystems get this far: never the client's text.
		return append(attrs, "subsystem", x.route.subsystem)
	}
	return append(attrs, "command", cmdline.LogName(x.line))
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
