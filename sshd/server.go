// Package sshd is the SSH server: it proves who is connecting by their
// public key, looks the key up in the service, and routes each session —
// a terminal with no command (or `open ROOM`) to the terminal UI, any
// other command to the command runner. It also keeps connections honest
// with keepalives, so dead clients leave presence within a minute, and
// shuts down in order: live sessions told, commands let finish, the rest
// closed.
package sshd

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"sync"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/recover"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/command"
	"github.com/workroom/workroom/tui"
)

// HostKeyFile is the host key's file name inside the data folder.
const HostKeyFile = "ssh_host_ed25519_key"

// Defaults for Config.
const (
	DefaultKeepaliveInterval = 15 * time.Second
	DefaultKeepaliveMax      = 3
	// DefaultMaxCommandLine caps the raw command line of an SSH command:
	// far above any command typed by hand, and text longer than this
	// belongs on stdin.
	DefaultMaxCommandLine = 64 << 10
	// tuiGrace is how long a terminal UI has to quit by itself after the
	// shutdown notice (the tui shows it for 1.5 s) before it is ended.
	tuiGrace = 3 * time.Second
	// DefaultHandshakeTimeout bounds a connection that never finishes the
	// SSH handshake (keepalives only start once it has).
	DefaultHandshakeTimeout = 30 * time.Second
)

// Config is the SSH server's configuration.
type Config struct {
	// Addr is the address ListenAndServe listens on, e.g. ":2222".
	Addr string
	// HostKeyPath is the host's private key, normally
	// <data>/ssh_host_ed25519_key; an ed25519 key is made there when it
	// does not exist. Required: the library's default would write one
	// into the working directory.
	HostKeyPath string
	// KeepaliveInterval is how often each connection is asked whether it
	// is still there; 0 means DefaultKeepaliveInterval.
	KeepaliveInterval time.Duration
	// KeepaliveMax is how many keepalives may go unanswered before the
	// connection is closed; 0 means DefaultKeepaliveMax.
	KeepaliveMax int
	// MaxCommandLine is the longest raw command line, in bytes, a session
	// may send; a longer one is refused before it is read. 0 means
	// DefaultMaxCommandLine.
	MaxCommandLine int
	// HandshakeTimeout is how long a connection may take to finish the
	// handshake and authenticate; 0 means DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
	// Limits bounds what one client may hold; see limits.go. Zero fields
	// take their defaults.
	Limits
}

// Server is the SSH server.
type Server struct {
	cfg      Config
	svc      *workroom.Service
	app      *tui.App
	cmds     *command.Runner
	log      *slog.Logger
	srv      *ssh.Server
	sessions gate
	admit    *admission

	mu    sync.Mutex
	addr  net.Addr
	conns map[net.Conn]struct{} // nil once shut down
}

// New returns a server over the service, with the terminal UI and the
// command runner it routes sessions to. It creates the host key when it
// is missing.
func New(cfg Config, svc *workroom.Service, app *tui.App, cmds *command.Runner, log *slog.Logger) (*Server, error) {
	if cfg.HostKeyPath == "" {
		return nil, errors.New("sshd: no host key path configured")
	}
	if cfg.KeepaliveInterval <= 0 {
		cfg.KeepaliveInterval = DefaultKeepaliveInterval
	}
	if cfg.KeepaliveMax <= 0 {
		cfg.KeepaliveMax = DefaultKeepaliveMax
	}
	if cfg.MaxCommandLine <= 0 {
		cfg.MaxCommandLine = DefaultMaxCommandLine
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = DefaultHandshakeTimeout
	}
	cfg.Limits = cfg.Limits.withDefaults()
	s := &Server{cfg: cfg, svc: svc, app: app, cmds: cmds, log: log, conns: make(map[net.Conn]struct{}),
		admit: newAdmission(cfg.Limits)}
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Addr),
		wish.WithHostKeyPath(cfg.HostKeyPath),
		// Public keys only: with no password or keyboard-interactive
		// handler, the library offers neither.
		wish.WithPublicKeyAuth(s.authorize),
		ssh.WrapConn(s.watch),
		withHandshakeTimeout(cfg.HandshakeTimeout),
		s.withAdmission(),
		// The last one listed runs first: recover wraps everything.
		wish.WithMiddleware(s.handle, recover.MiddlewareWithLogger(panicLogger(log))),
	)
	if err != nil {
		return nil, fmt.Errorf("sshd: %w", err)
	}
	s.srv = srv
	return s, nil
}

func withHandshakeTimeout(d time.Duration) ssh.Option {
	return func(srv *ssh.Server) error {
		srv.HandshakeTimeout = d
		return nil
	}
}

// panicLogger adapts slog to the recover middleware, which logs a panic
// and its stack with Printf.
func panicLogger(l *slog.Logger) *log.Logger {
	return slog.NewLogLogger(l.Handler(), slog.LevelError)
}

// ListenAndServe listens on Config.Addr and serves until Shutdown.
func (s *Server) ListenAndServe() error {
	l, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("sshd: %w", err)
	}
	return s.Serve(l)
}

// Serve serves SSH on l until Shutdown. It returns ssh.ErrServerClosed
// after a shutdown, like net/http.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	s.addr = l.Addr()
	s.mu.Unlock()
	s.log.Info("ssh listening", "addr", l.Addr().String())
	return s.srv.Serve(l)
}

// Addr returns the address the server listens on, or nil before Serve.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Shutdown stops the server in order: live terminal sessions are told the
// server is stopping (through the service's hub; they show a notice and
// quit), no new connection or session is taken, running commands may
// finish until ctx ends, and then every remaining connection is closed.
// A terminal UI still running after tuiGrace (the sign-up screen has no
// live subscription to hear the news) is ended by cancelling its context,
// which restores the client's screen before the connection goes.
func (s *Server) Shutdown(ctx context.Context) error {
	idle := s.sessions.close()
	s.svc.Shutdown()
	stopped := make(chan error, 1)
	go func() { stopped <- s.srv.Shutdown(ctx) }() // closes the listeners at once
	grace := time.NewTimer(tuiGrace)
	defer grace.Stop()
wait:
	for {
		select {
		case <-idle:
			break wait
		case <-grace.C:
			s.sessions.stopAll()
		case <-ctx.Done():
			s.log.Warn("ssh: sessions still running at the shutdown deadline; closing them")
			s.sessions.stopAll()
			break wait
		}
	}
	// Connections with no session left (an idle multiplexed client, one
	// still in its handshake) would otherwise keep the library's Shutdown
	// waiting for the deadline.
	closeErr := s.srv.Close()
	s.closeConns()
	if err := <-stopped; err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return closeErr
}
