package sshd

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/workroom/workroom"
)

// Subsystem serves one SSH subsystem ("sftp") on a session channel. The
// server registers it under its name in Config.Subsystems and runs each
// session of it through the pipeline, like a terminal or a command: only
// a key with an account that is not disabled reaches ServeSubsystem.
//
// ServeSubsystem serves until the client is done or ctx ends. ctx carries
// the acting identity (workroom.IdentityFromContext gives id) and is
// cancelled when the session's access is revoked or the server stops it
// at shutdown; the server then also tells the client and closes ch, so a
// read that is waiting returns. ch is the session's channel, data in
// both directions (a pkg/sftp request server takes it as it is); closing
// it ends the session, and the exit status then goes unsent. A nil error
// exits 0. An error exits 1 and is logged; the client is told
// workroom.ErrorMessage of it on stderr (an internal cause is not shown).
type Subsystem interface {
	ServeSubsystem(ctx context.Context, id *workroom.Identity, ch io.ReadWriteCloser) error
}

// Finisher is a Subsystem whose sessions may be doing work worth
// finishing when the server stops (the SFTP server: an upload). Its
// sessions are not ended after TerminalGrace like others, but only at
// the shutdown deadline: from workroom.Service.Stopping on, the
// subsystem ends each session itself once it has nothing left to
// finish.
type Finisher interface {
	Subsystem
	// FinishesAtShutdown marks the subsystem; it is never called.
	FinishesAtShutdown()
}

// SubsystemFunc is a function as a Subsystem.
type SubsystemFunc func(ctx context.Context, id *workroom.Identity, ch io.ReadWriteCloser) error

// ServeSubsystem calls f.
func (f SubsystemFunc) ServeSubsystem(ctx context.Context, id *workroom.Identity, ch io.ReadWriteCloser) error {
	return f(ctx, id, ch)
}

// runSubsystem serves the subsystem the session asked for.
func (s *Server) runSubsystem(ctx context.Context, x *session, id *workroom.Identity) {
	sub := s.cfg.Subsystems[x.route.subsystem]
	if sub == nil { // the library routes only the names it was given
		s.refuse(x, fmt.Sprintf("no subsystem %q here", x.route.subsystem))
		return
	}
	if err := sub.ServeSubsystem(ctx, id, x); err != nil {
		if ctx.Err() == nil {
			s.logSubsystemError(x, err)
		}
		s.refuse(x, workroom.ErrorMessage(err))
		return
	}
	_ = x.Exit(0)
}

// logSubsystemError logs a subsystem's failure: a server fault as an
// error with its cause, a refusal as information.
func (s *Server) logSubsystemError(x *session, err error) {
	if workroom.ServerFault(err) {
		s.log.Error("subsystem failed", append(s.logAttrs(x), "err", err)...)
		return
	}
	s.log.Info("subsystem refused", append(s.logAttrs(x), "reason", workroom.ErrorMessage(err))...)
}

// noAccountForSubsystem is why a key with no account gets no subsystem:
// only an account has workrooms, so there is nothing to serve it yet.
func noAccountForSubsystem(local net.Addr) string {
	return fmt.Sprintf("this key has no account, and only an account has workrooms to reach; sign up first: ssh -t -p %s HOST", portOf(local))
}
