package sshd

import (
	"context"
	"net"
	"sync"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// keepaliveRequest is OpenSSH's own name for the probe; every OpenSSH
// client answers it (with a failure, which is still an answer).
const keepaliveRequest = "keepalive@openssh.com"

// watch is the library's connection callback, run for every connection
// before the handshake: it refuses connections during shutdown and those
// over the limits (see admission), records the connection so Shutdown can
// close it whatever state it is in (the library only tracks connections
// past the handshake), and starts its keepalive. The connection is
// uncounted when it ends, however it ends: the library cancels ctx when
// the connection closes.
func (s *Server) watch(ctx ssh.Context, conn net.Conn) net.Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		return nil // shut down
	}
	c := s.admitConn(ctx, conn)
	if c == nil {
		return nil
	}
	s.conns[conn] = struct{}{}
	k := &keepalive{s: s, ctx: ctx, remote: conn.RemoteAddr().String()}
	k.start()
	context.AfterFunc(ctx, func() {
		k.stop()
		s.forget(conn)
		s.admit.close(c)
	})
	return conn
}

func (s *Server) forget(conn net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, conn)
}

// closeConns closes every connection and takes no new one.
func (s *Server) closeConns() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		_ = c.Close()
	}
	s.conns = nil
}

// keepalive asks the client every KeepaliveInterval whether it is still
// there, and closes the connection when a question has gone unanswered
// for KeepaliveMax intervals: with the defaults, a client that vanished
// is gone within a minute. The library sends no keepalives, and an idle
// terminal UI does no I/O at all, so without this a client that vanished
// (a laptop lid shut, a dropped network) would stay connected, and
// present, until TCP gave up hours later. One question is out at a time:
// the SSH library sends global requests one by one anyway. The interval
// is a timer, not a goroutine waiting: a thousand connections cost none,
// and each garbage collection scans every goroutine. It stops with the
// connection (ctx is cancelled on close).
type keepalive struct {
	s      *Server
	ctx    ssh.Context
	remote string

	mu      sync.Mutex
	t       *time.Timer
	waiting bool // a question is out
	missed  int  // intervals it has been out
	stopped bool
}

func (k *keepalive) start() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.t = time.AfterFunc(k.s.cfg.KeepaliveInterval, k.tick)
}

func (k *keepalive) stop() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.stopped = true
	k.t.Stop()
}

// tick is one interval: a question is asked when none is out, and the
// connection closed when one has been out too long.
func (k *keepalive) tick() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.stopped {
		return
	}
	conn, ok := k.ctx.Value(ssh.ContextKeyConn).(*gossh.ServerConn)
	switch {
	case !ok:
		// Still in the handshake, which has its own timeout.
	case !k.waiting:
		k.waiting = true
		go k.ask(conn)
	default:
		if k.missed++; k.missed >= k.s.cfg.KeepaliveMax {
			k.s.log.Info("ssh: closing unresponsive connection", "remote", k.remote, "waited", time.Duration(k.missed)*k.s.cfg.KeepaliveInterval)
			k.stopped = true
			_ = conn.Close()
			return
		}
	}
	k.t.Reset(k.s.cfg.KeepaliveInterval)
}

// ask sends one keepalive and notes the answer, whatever it says. It
// waits as long as the client does not answer, and returns with an error
// when the connection closes.
func (k *keepalive) ask(conn *gossh.ServerConn) {
	if _, _, err := conn.SendRequest(keepaliveRequest, true, nil); err != nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.waiting, k.missed = false, 0
}
