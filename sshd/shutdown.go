package sshd

import (
	"context"
	"errors"
	"time"
)

// stoppingReason is what a session hears when the server is stopping.
const stoppingReason = "the server is stopping; connect again in a moment"

// abortWait bounds how long Shutdown waits, once the deadline has come
// and the sessions still running were ended, for them to finish ending:
// an upload cut off then removes its temp file and gives back the quota
// it held before the store closes.
const abortWait = 2 * time.Second

// Shutdown stops the server in order:
//
//   - no new session is taken: one opened now, on a connection already
//     open or on a new one (the listener stays open), is told "the server
//     is stopping; connect again in a moment" and exits 1, so a person
//     reconnecting during a restart reads why instead of "Connection
//     refused";
//   - live terminal sessions are told (through the service's hub; they
//     show a notice and quit), and the service starts no new upload;
//   - terminal UIs and subsystem sessions still running after
//     TerminalGrace are ended (the sign-up screen has no live
//     subscription to hear the news), a terminal UI by cancelling its
//     context, which restores the client's screen before the connection
//     goes — except a Finisher's sessions (sftp), which end themselves
//     once their uploads are done;
//   - running commands (a `put` receiving its bytes) and a Finisher's
//     sessions may finish until ctx ends; then they are ended too, their
//     unfinished uploads discarded, and Shutdown waits up to abortWait
//     for them to have let go;
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
			n := s.sessions.stopAll(stopAtGrace)
			s.log.Info("ssh: terminal grace over", "ended", n)
		case <-ctx.Done():
			if !drained {
				s.log.Warn("ssh: sessions still running at the shutdown deadline; ending them")
				s.sessions.stopAll(stopAtDeadline)
				s.awaitEnded(idle)
			}
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

// awaitEnded waits up to abortWait for the sessions just ended to leave.
func (s *Server) awaitEnded(idle <-chan struct{}) {
	t := time.NewTimer(abortWait)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
		s.log.Warn("ssh: sessions still ending after the shutdown deadline; closing their connections", "waited", abortWait)
	}
}
