package sshd

import (
	"time"
)

// Defaults for Limits. They follow OpenSSH where it has the same knob
// (MaxSessions 10, MaxStartups 10:30:100 — we refuse at a flat 64), and
// are otherwise far above what one person uses and far below what would
// hurt anyone else.
const (
	// A terminal of 500×200 cells is wider and taller than any real
	// screen; the TUI allocates per cell, about 125 bytes each, so this
	// bounds one session's screen at about 12 MB.
	DefaultMaxTermWidth       = 500
	DefaultMaxTermHeight      = 200
	DefaultMaxSessions        = 10
	DefaultMaxConnsPerAddr    = 20
	DefaultMaxConnsPerAccount = 20
	DefaultMaxStartups        = 64
	DefaultIdleTimeout        = 10 * time.Minute
)

// Limits bound what one client can hold on the server, so that nobody's
// load becomes another person's problem. A zero field takes its default.
type Limits struct {
	// MaxTermWidth and MaxTermHeight clamp the terminal size a client
	// asks for, at the pty request and on every resize, before the TUI
	// allocates anything. A larger terminal still works: the TUI draws
	// in its top-left corner.
	MaxTermWidth, MaxTermHeight int
	// MaxSessions is how many sessions (channels) one connection may
	// have open at once; the next is rejected.
	MaxSessions int
	// MaxConnsPerAddr is how many connections one source address may
	// have open, authenticated or not; a further one is closed at once.
	MaxConnsPerAddr int
	// MaxConnsPerAccount is how many connections one account may have
	// open with sessions; a session on a further one is refused.
	MaxConnsPerAccount int
	// MaxStartups is how many connections may be in their handshake
	// (not yet authenticated) at once, from everywhere together; a
	// further one is closed at once.
	MaxStartups int
	// IdleTimeout closes a connection that has had no session open for
	// that long, and ends a session of a key with no account (the
	// sign-up screen, say) that has sent no input for that long.
	IdleTimeout time.Duration
}

// withDefaults returns the limits with every zero field at its default.
func (l Limits) withDefaults() Limits {
	orInt := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	orInt(&l.MaxTermWidth, DefaultMaxTermWidth)
	orInt(&l.MaxTermHeight, DefaultMaxTermHeight)
	orInt(&l.MaxSessions, DefaultMaxSessions)
	orInt(&l.MaxConnsPerAddr, DefaultMaxConnsPerAddr)
	orInt(&l.MaxConnsPerAccount, DefaultMaxConnsPerAccount)
	orInt(&l.MaxStartups, DefaultMaxStartups)
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = DefaultIdleTimeout
	}
	return l
}
