package sshd

import (
	"net"
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
	go func() {
		defer s.admit.close(c)
		defer s.forget(conn)
		s.keepalive(ctx, conn.RemoteAddr().String())
	}()
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
// the SSH library sends global requests one by one anyway. It ends with
// the connection (ctx is cancelled on close).
func (s *Server) keepalive(ctx ssh.Context, remote string) {
	t := time.NewTicker(s.cfg.KeepaliveInterval)
	defer t.Stop()
	answered := make(chan struct{}, 1)
	waiting, missed := false, 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-answered:
			waiting, missed = false, 0
		case <-t.C:
			conn, ok := ctx.Value(ssh.ContextKeyConn).(*gossh.ServerConn)
			if !ok {
				continue // still in the handshake, which has its own timeout
			}
			if !waiting {
				waiting = true
				go ask(conn, answered)
				continue
			}
			if missed++; missed >= s.cfg.KeepaliveMax {
				s.log.Info("ssh: closing unresponsive connection", "remote", remote, "waited", time.Duration(missed)*s.cfg.KeepaliveInterval)
				_ = conn.Close()
				return
			}
		}
	}
}

// ask sends one keepalive and reports the answer, whatever it says. It
// waits as long as the client does not answer, and returns with an error
// when the connection closes.
func ask(conn *gossh.ServerConn, answered chan<- struct{}) {
	if _, _, err := conn.SendRequest(keepaliveRequest, true, nil); err == nil {
		answered <- struct{}{}
	}
}
