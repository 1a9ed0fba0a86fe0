package sshd

import (
	"context"
	"fmt"
	"runtime/debug"

	"charm.land/ssh"

	"github.com/workroom/workroom"
)

// withPipeline makes the pipeline the handler of every session: the
// library's own (shell and exec) and each configured subsystem's, which
// the library runs outside any middleware chain — a subsystem registered
// with the library directly would skip every guard below.
func (s *Server) withPipeline() ssh.Option {
	return func(srv *ssh.Server) error {
		srv.Handler = s.pipeline
		// Never nil, so the library adds no default subsystems of its own.
		srv.SubsystemHandlers = make(map[string]ssh.SubsystemHandler, len(s.cfg.Subsystems))
		for name := range s.cfg.Subsystems {
			srv.SubsystemHandlers[name] = s.pipeline
		}
		return nil
	}
}

// pipeline is the one path of every session, whatever it asks for — the
// terminal UI, a command, a subsystem:
//
//   - admit: no session while the server is stopping (the gate), none over
//     the limits (sessions per connection and the session rate are counted
//     before the channel is accepted, in sessionChannel; a command line over
//     the cap is refused unread);
//   - identify: from the key that signed the connection, looked up again
//     now, so a key removed or an account disabled since the connection
//     opened is refused on its next session; a subsystem also needs an
//     account;
//   - watch: a key removed or an account disabled while the session runs
//     ends it at once (guard);
//   - log: one start line once it is identified, one end line however it
//     ended, with who, from where, what, the exit status and how long;
//   - recover: a panic is logged with its stack and ends this session
//     only.
func (s *Server) pipeline(sess ssh.Session) {
	x := newSession(sess, s.cfg.MaxCommandLine, s.cfg.Limits)
	s.watchStalls(x)
	ctx, cancel := context.WithCancel(x.Context())
	defer cancel()
	leave, admitted := s.sessions.enter(s.stopper(x, cancel))
	if admitted {
		// Deferred first, so it runs last: Shutdown, waiting for the gate
		// to empty, then finds every end line written.
		defer leave()
	}
	defer s.logEnd(x)
	defer s.recoverPanic(x)
	if !admitted {
		s.refuse(x, stoppingReason)
		return
	}
	if x.route.kind == kindTooLong {
		s.refuseWithStatus(x, 2, fmt.Sprintf("the command line is %d bytes, over the limit of %d; send long text on stdin instead: echo 'TEXT' | ssh HOST post ROOM",
			x.lineBytes, s.cfg.MaxCommandLine))
		return
	}
	id, ok := s.identifySession(x)
	if !ok {
		return
	}
	s.logStart(x)
	id.Addr = remoteHost(x.RemoteAddr())
	if a := x.LocalAddr(); a != nil {
		id.Server = a.String() // what `help` prints to connect again
	}
	_, _, id.Terminal = x.Pty()
	ctx = workroom.NewContextWithIdentity(ctx, id)
	defer s.guard(ctx, cancel, x, id)()
	s.run(ctx, x, id)
}

// stopper is how Shutdown ends a session still running after
// TerminalGrace: a terminal UI by its context (it quits and says why on
// the restored screen), a subsystem as access revoked ends it (told on
// stderr, its channel closed), a command not at all (it may finish until
// the shutdown deadline).
func (s *Server) stopper(x *session, cancel context.CancelFunc) func() {
	switch x.route.kind {
	case kindTUI:
		return cancel
	case kindSubsystem:
		// Not on Shutdown's goroutine: telling the client writes to it.
		return func() { go s.endEarly(x, cancel, stoppingReason) }
	}
	return nil
}

// identifySession resolves who is behind the session, or refuses it.
func (s *Server) identifySession(x *session) (*workroom.Identity, bool) {
	id, err := s.identify(x)
	if err != nil {
		s.logRefusal(x.fingerprint, remoteString(x.RemoteAddr()), err)
		s.refuse(x, workroom.ErrorMessage(err))
		return nil, false
	}
	if id.User == nil && x.route.kind == kindSubsystem {
		s.log.Info("ssh: session refused", "fingerprint", x.fingerprint, "remote", remoteString(x.RemoteAddr()),
			"subsystem", x.route.subsystem, "reason", "no account")
		s.refuse(x, noAccountForSubsystem(x.LocalAddr()))
		return nil, false
	}
	x.identified = true
	if id.User != nil {
		x.setUser(id.User.ID)
		if err := s.holdAccount(x, id.User.ID); err != nil {
			s.refuse(x, workroom.ErrorMessage(err))
			return nil, false
		}
	}
	return id, true
}

// run runs what the session asks for.
func (s *Server) run(ctx context.Context, x *session, id *workroom.Identity) {
	switch x.route.kind {
	case kindTUI:
		s.runTUI(ctx, x, id, x.route.room)
	case kindCommand:
		s.runCommand(ctx, x, id)
	case kindSubsystem:
		s.runSubsystem(ctx, x, id)
	default:
		s.refuse(x, hint(x.LocalAddr()))
	}
}

// panicReason is what a client whose session panicked is told.
const panicReason = "the server failed while running this session; the failure is logged, and nothing else is affected: try again"

// recoverPanic, deferred, ends a session that panicked: the panic and its
// stack are logged, the client is told and exits 1, and the server goes
// on. (A panic on a goroutine the session started is beyond any recover.)
func (s *Server) recoverPanic(x *session) {
	r := recover()
	if r == nil {
		return
	}
	s.log.Error("session panic", append(s.logAttrs(x), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))...)
	s.refuse(x, panicReason)
}

// refuse ends a session with one line and exit status 1.
func (s *Server) refuse(x *session, reason string) {
	s.refuseWithStatus(x, 1, reason)
}

// refuseWithStatus ends a session with one line and status: on the
// screen (stdout) for a terminal, on stderr otherwise. A session that has
// already exited is left as it is.
func (s *Server) refuseWithStatus(x *session, status int, reason string) {
	if x.exitStatus() >= 0 {
		return
	}
	w := x.Stderr()
	if x.route.kind == kindTUI {
		w = x
	}
	fmt.Fprintln(w, "workroom: "+reason)
	_ = x.Exit(status)
}
