package sshd

import (
	"context"
	"errors"
	"time"
)

// stoppingReason is what a session hears when the server is stopping.
const stoppingReason = "the server is stopping; connect again in a moment"

// Shutdown stops the server in order:
//
//   - no new session is taken: one opened now, on a connection already
//     open or on a new one (the listener stays open), is told "the server
//     is stopping; connect again in a moment" and exits 1, so a person
//     reconnecting during a restart reads why instead of "Connection
//     refused";
//   - live terminal sessions are told (through the service's hub; they
//     show a notice and quit);
//   - terminal UIs and subsystem sessions still running after
//     TerminalGrace are ended (the sign-up screen has no live
//     subscription to hear the news; an sftp session waits for its
//     client), a terminal UI by cancelling its context, which restores
//     the client's screen before the connection goes;
//   - running commands may finish until ctx ends;
//   - once every session has ended and TerminalGrace has passed, or ctx
//     has ended, the listener and every connection are closed.
//
// A second call waits for no grace of its own.
func (s *Server) Shutdown(ctx context.Context) error {
	idle, first := s.sessions.close()
	s.svc.Shutdown()
	grace := time.NewTimer(s.cfg.TerminalGrace)
	defer grace.Stop()
	drained, graceOver := false, !first
wait:
	for !drained || !graceOver {
		select {
		case <-idle:
			drained, idle = true, nil
		case <-grace.C:
			graceOver = true
			s.sessions.stopAll()
		case <-ctx.Done():
			if !drained {
				s.log.Warn("ssh: sessions still running at the shutdown deadline; closing them")
			}
			s.sessions.stopAll()
			break wait
		}
	}
	// Connections with no session left (an idle multiplexed client, one
	// still in its handshake) would otherwise keep the library's Shutdown
	// waiting for the deadline.
	closeErr := s.srv.Close()
	s.closeConns()
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return closeErr
}
