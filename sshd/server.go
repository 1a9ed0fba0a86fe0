// Package sshd is the SSH server: it proves who is connecting by their
// public key, and runs every session — a terminal UI, an SSH command, a
// subsystem such as sftp — through one pipeline (pipeline.go): admitted
// (none during shutdown, none over the limits), identified from the key
// that signed the connection (looked up again for each session), watched
// (a revoked key ends it at once), logged at its start and end, and
// recovered (a panic ends that session only). It also keeps connections
// honest with keepalives, so dead clients leave presence within a minute,
// and shuts down in order (shutdown.go).
package sshd

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"

	"github.com/workroom/workroom"
)

// HostKeyFile is the host key's file name inside the data folder.
const HostKeyFile = "ssh_host_ed25519_key"

// Defaults for Config.
const (
	DefaultKeepaliveInterval = 15 * time.Second
	DefaultKeepaliveMax      = 3
	// DefaultStalledOutput is how long one write to a terminal UI's
	// client may stay blocked before the connection is closed (see
	// Config.StalledOutput). It matches the hub's live.StuckTimeout: by
	// then that session has left presence too.
	DefaultStalledOutput = 30 * time.Second
	// DefaultMaxCommandLine caps the raw command line of an SSH command:
	// far above any command typed by hand, and text longer than this
	// belongs on stdin.
	DefaultMaxCommandLine = 64 << 10
	// DefaultTerminalGrace is how long a terminal UI has to quit by
	// itself after the shutdown notice (the tui shows it for 1.5 s)
	// before it is ended.
	DefaultTerminalGrace = 3 * time.Second
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
	// StalledOutput is how long a write to a terminal UI's client may
	// stay blocked before its connection is closed: a client that still
	// answers keepalives but stopped reading its screen (a terminal paused
	// with Ctrl-S) would otherwise hold the program, its goroutines and
	// its presence for good. 0 means DefaultStalledOutput.
	StalledOutput time.Duration
	// MaxCommandLine is the longest raw command line, in bytes, a session
	// may send; a longer one is refused before it is read. 0 means
	// DefaultMaxCommandLine.
	MaxCommandLine int
	// HandshakeTimeout is how long a connection may take to finish the
	// handshake and authenticate; 0 means DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
	// TerminalGrace is how long, once Shutdown has begun, terminal UIs
	// and subsystem sessions have to end by themselves before they are
	// ended (a UI shows its notice for less than this). The listener
	// also stays open that long, so whoever connects meanwhile is told
	// the server is stopping instead of finding the port closed. 0 means
	// DefaultTerminalGrace.
	TerminalGrace time.Duration
	// Subsystems serve SSH subsystems by name ("sftp"); each session of
	// one goes through the same pipeline as a terminal or a command. A
	// subsystem the map does not name is rejected.
	Subsystems map[string]Subsystem
	// Limits bounds what one client may hold; see limits.go. Zero fields
	// take their defaults.
	Limits
}

// Server is the SSH server.
type Server struct {
	cfg      Config
	svc      *workroom.Service
	term     Terminal
	cmds     Commands
	log      *slog.Logger
	srv      *ssh.Server
	sessions gate
	admit    *admission

	mu    sync.Mutex
	addr  net.Addr
	conns map[net.Conn]struct{} // nil once shut down
}

// New returns a server over the service, with the terminal UI and the
// command runner it routes sessions to (the subsystems are in cfg). It
// creates the host key when it is missing.
func New(cfg Config, svc *workroom.Service, term Terminal, cmds Commands, log *slog.Logger) (*Server, error) {
	if cfg.HostKeyPath == "" {
		return nil, errors.New("sshd: no host key path configured")
	}
	if cfg.KeepaliveInterval <= 0 {
		cfg.KeepaliveInterval = DefaultKeepaliveInterval
	}
	if cfg.KeepaliveMax <= 0 {
		cfg.KeepaliveMax = DefaultKeepaliveMax
	}
	if cfg.StalledOutput <= 0 {
		cfg.StalledOutput = DefaultStalledOutput
	}
	if cfg.MaxCommandLine <= 0 {
		cfg.MaxCommandLine = DefaultMaxCommandLine
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if cfg.TerminalGrace <= 0 {
		cfg.TerminalGrace = DefaultTerminalGrace
	}
	cfg.Limits = cfg.Limits.withDefaults()
	s := &Server{cfg: cfg, svc: svc, term: term, cmds: cmds, log: log, conns: make(map[net.Conn]struct{}),
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
		s.withPipeline(),
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
