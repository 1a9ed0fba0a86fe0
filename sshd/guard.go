package sshd

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/workroom/workroom"
)

// guard ends a running session early when its access is revoked (its key
// removed, its account disabled — the service tells us at once) or, for a
// key with no account, when it has sent no input for IdleTimeout. It
// returns the function that stops guarding, for when the session ends.
func (s *Server) guard(ctx context.Context, cancel context.CancelFunc, x *session, id *workroom.Identity) (stop func()) {
	// Nothing waits in a goroutine: the service calls back, and the idle
	// clock is a timer. End early on a goroutine of its own: it may write
	// to the client, and the callback runs on the revoking request's.
	unwatch := s.svc.WatchAccess(ctx, id, func(reason string) { go s.endEarly(x, cancel, reason) })
	if id.User != nil {
		return unwatch
	}
	idle := &idleClock{}
	idle.mu.Lock()
	defer idle.mu.Unlock()
	idle.t = time.AfterFunc(s.cfg.IdleTimeout, func() { s.idleCheck(ctx, cancel, x, id, idle) })
	return func() {
		unwatch()
		idle.mu.Lock()
		defer idle.mu.Unlock()
		idle.stopped = true
		idle.t.Stop()
	}
}

// idleClock is the timer that ends a session of a key with no account
// after IdleTimeout without input.
type idleClock struct {
	mu      sync.Mutex
	t       *time.Timer
	stopped bool // the session ended: the timer is not set again
}

// idleCheck runs when the idle clock rings: a session that had input
// meanwhile is given the rest of its time, one whose key has signed up
// since is no longer timed, and any other ends.
func (s *Server) idleCheck(ctx context.Context, cancel context.CancelFunc, x *session, id *workroom.Identity, idle *idleClock) {
	if ctx.Err() != nil {
		return
	}
	if wait := s.cfg.IdleTimeout - x.idleFor(); wait > 0 {
		idle.mu.Lock()
		defer idle.mu.Unlock()
		if !idle.stopped {
			idle.t.Reset(wait)
		}
		return
	}
	if s.signedUp(ctx, id) {
		return // an account now: its sessions are not cut for idling
	}
	s.endEarly(x, cancel, fmt.Sprintf("closed after %s without input; connect again to sign up", s.cfg.IdleTimeout))
}

// signedUp reports whether a key that had no account has one now (it
// signed up on the screen this session shows).
func (s *Server) signedUp(ctx context.Context, id *workroom.Identity) bool {
	now, err := s.svc.Authenticate(ctx, id.Key)
	return err == nil && now.User != nil
}

// endEarly ends a session for reason. Its context is cancelled first, so
// whatever it was about to store is refused (the service checks the
// context before every write). A terminal UI quits on that and says why
// on the restored screen (runTUI); a command is told on stderr now and its
// channel closed, which also ends a read of stdin that is still waiting.
func (s *Server) endEarly(x *session, cancel context.CancelFunc, reason string) {
	if !x.endEarly(reason) {
		return
	}
	cancel()
	s.log.Info("session ended by the server", append(s.logAttrs(x), "reason", reason)...)
	if x.route.kind != kindTUI {
		s.refuse(x, reason)
	}
}

// holdAccount counts the session's connection against its account, once
// per connection: ELIMIT when the account holds MaxConnsPerAccount other
// connections, on this front end or another (the service's count).
func (s *Server) holdAccount(x *session, user workroom.UserID) error {
	c := connStateOf(x.Context())
	if c == nil {
		return nil
	}
	c.holding.Lock()
	defer c.holding.Unlock()
	if s.admit.held(c, user) {
		return nil
	}
	release, err := s.svc.HoldConnection(x.Context(), user, s.cfg.MaxConnsPerAccount)
	if err != nil {
		s.log.Info("ssh: session refused", "user", user, "remote", remoteString(x.RemoteAddr()), "reason", workroom.ErrorMessage(err))
		return err
	}
	if !s.admit.keep(c, user, release) {
		release()
	}
	return nil
}
