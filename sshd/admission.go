package sshd

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
)

// admission counts what each client holds — connections per source
// address, connections still in their handshake, sessions per connection
// — and refuses what goes over the Limits. It also closes connections
// left with no session for IdleTimeout. Connections per account are the
// service's count (Service.HoldConnection), shared by every front end;
// admission keeps each connection's holds to release them when it ends.
type admission struct {
	lim      Limits
	mu       sync.Mutex
	byAddr   map[string]int
	startups int
}

// connState is what admission knows of one connection.
type connState struct {
	conn        net.Conn
	host        string
	handshaking bool
	sessions    int
	// holds release the connection's count against each account that
	// holds it (Service.HoldConnection); holding serialises taking them.
	holds   map[workroom.UserID]func()
	holding sync.Mutex
	idle    *time.Timer // nil until authenticated
	closed  bool
}

// connStateKey keys a connection's connState in its ssh.Context.
type connStateKey struct{}

func connStateOf(ctx ssh.Context) *connState {
	c, _ := ctx.Value(connStateKey{}).(*connState)
	return c
}

func newAdmission(lim Limits) *admission {
	return &admission{lim: lim, byAddr: make(map[string]int)}
}

// open admits a new connection from host, counted against its address
// and against the handshakes in flight, or says why not.
func (a *admission) open(host string) (*connState, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.byAddr[host] >= a.lim.MaxConnsPerAddr:
		return nil, fmt.Errorf("%d connections already open from this address (the most allowed)", a.lim.MaxConnsPerAddr)
	case a.startups >= a.lim.MaxStartups:
		return nil, fmt.Errorf("%d connections already in their handshake (the most allowed)", a.lim.MaxStartups)
	}
	a.byAddr[host]++
	a.startups++
	return &connState{host: host, handshaking: true}, nil
}

// authenticated marks the handshake done and starts the connection's
// idle clock; onIdle runs when it has had no session for IdleTimeout.
func (a *admission) authenticated(c *connState, onIdle func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !c.handshaking || c.closed {
		return
	}
	c.handshaking = false
	a.startups--
	c.idle = time.AfterFunc(a.lim.IdleTimeout, func() {
		a.mu.Lock()
		idle := c.sessions == 0 && !c.closed
		a.mu.Unlock()
		if idle {
			onIdle()
		}
	})
	if c.sessions > 0 {
		c.idle.Stop()
	}
}

// enterSession counts a new session on the connection, or reports false
// when it already has MaxSessions.
func (a *admission) enterSession(c *connState) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c.sessions >= a.lim.MaxSessions {
		return false
	}
	c.sessions++
	if c.idle != nil {
		c.idle.Stop()
	}
	return true
}

// leaveSession uncounts a session; the last one to leave restarts the
// idle clock.
func (a *admission) leaveSession(c *connState) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c.sessions--
	if c.sessions == 0 && c.idle != nil && !c.closed {
		c.idle.Reset(a.lim.IdleTimeout)
	}
}

// held reports whether the connection already counts against user, or
// has closed (and so needs no count).
func (a *admission) held(c *connState, user workroom.UserID) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, ok := c.holds[user]
	return ok || c.closed
}

// keep records the release of the connection's count against user; false
// when the connection closed meanwhile, and the caller releases at once.
func (a *admission) keep(c *connState, user workroom.UserID, release func()) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c.closed {
		return false
	}
	if c.holds == nil {
		c.holds = make(map[workroom.UserID]func())
	}
	c.holds[user] = release
	return true
}

// close uncounts a connection that has ended, whatever state it was in.
func (a *admission) close(c *connState) {
	// The account counts are released outside the lock: a shared count
	// is a round trip to the database.
	for _, release := range a.closeCounts(c) {
		release()
	}
}

// closeCounts marks the connection closed and uncounts it everywhere but
// against its accounts, whose releases it returns.
func (a *admission) closeCounts(c *connState) []func() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if c.handshaking {
		a.startups--
	}
	if a.byAddr[c.host]--; a.byAddr[c.host] <= 0 {
		delete(a.byAddr, c.host)
	}
	if c.idle != nil {
		c.idle.Stop()
	}
	releases := make([]func(), 0, len(c.holds))
	for _, release := range c.holds {
		releases = append(releases, release)
	}
	return releases
}

// withAdmission installs the admission hooks the library has no option
// for: a handshake-done callback (the connection stops counting as a
// startup once it authenticated) and a session channel handler that
// counts sessions per connection.
func (s *Server) withAdmission() ssh.Option {
	return func(srv *ssh.Server) error {
		srv.ServerConfigCallback = func(ctx ssh.Context) *gossh.ServerConfig {
			return &gossh.ServerConfig{
				AuthLogCallback: func(_ gossh.ConnMetadata, _ string, err error) {
					if c := connStateOf(ctx); c != nil && err == nil {
						s.admit.authenticated(c, func() { s.closeIdle(c) })
					}
				},
			}
		}
		handlers := make(map[string]ssh.ChannelHandler, len(ssh.DefaultChannelHandlers))
		for k, v := range ssh.DefaultChannelHandlers {
			handlers[k] = v
		}
		handlers["session"] = s.sessionChannel
		srv.ChannelHandlers = handlers
		return nil
	}
}

// sessionChannel is the library's session handler behind a count: a
// connection with MaxSessions open gets the next one rejected, with the
// reason (OpenSSH prints it: "channel 10: open failed: resource
// shortage: …").
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	c := connStateOf(ctx)
	if c == nil { // not counted by watch: cannot happen, refuse rather than run unbounded
		_ = ch.Reject(gossh.ResourceShortage, "the server cannot take this session")
		return
	}
	if !s.admit.enterSession(c) {
		s.log.Info("ssh: session refused", "remote", remoteString(conn.RemoteAddr()), "reason", "too many sessions on one connection", "max", s.cfg.MaxSessions)
		_ = ch.Reject(gossh.ResourceShortage, fmt.Sprintf("at most %d sessions at once on one connection; close one, or open another connection", s.cfg.MaxSessions))
		return
	}
	defer s.admit.leaveSession(c)
	if err := s.svc.OpenSession(s.connIdentity(ctx)); err != nil {
		s.log.Info("ssh: session refused", "remote", remoteString(conn.RemoteAddr()), "reason", workroom.ErrorMessage(err))
		_ = ch.Reject(gossh.ResourceShortage, workroom.ErrorMessage(err))
		return
	}
	ssh.DefaultSessionHandler(srv, conn, ch, ctx)
}

// connIdentity is the key that authenticated the connection and the
// address it comes from, as the service counts sessions by them.
func (s *Server) connIdentity(ctx ssh.Context) context.Context {
	id := &workroom.Identity{Addr: remoteHost(ctx.RemoteAddr())}
	if pk, ok := ctx.Value(ssh.ContextKeyPublicKey).(ssh.PublicKey); ok && pk != nil {
		id.Key = workroom.KeyOf(pk)
	}
	return workroom.NewContextWithIdentity(ctx, id)
}

// closeIdle closes a connection that has had no session for IdleTimeout.
// The protocol has no way to say why to a connection with no session, so
// the log does.
func (s *Server) closeIdle(c *connState) {
	s.log.Info("ssh: closing idle connection", "remote", remoteString(c.conn.RemoteAddr()), "idle", s.cfg.IdleTimeout)
	_ = c.conn.Close()
}

// admitConn admits a new connection (see watch), or logs why not: a
// connection refused before its handshake can only be closed.
func (s *Server) admitConn(ctx ssh.Context, conn net.Conn) *connState {
	c, err := s.admit.open(remoteHost(conn.RemoteAddr()))
	if err != nil {
		s.log.Warn("ssh: connection refused", "remote", remoteString(conn.RemoteAddr()), "reason", err.Error())
		return nil
	}
	c.conn = conn
	ctx.SetValue(connStateKey{}, c)
	return c
}
