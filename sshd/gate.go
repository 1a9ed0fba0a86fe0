package sshd

import "sync"

// gate counts running sessions and, once closed, lets no new one in, so a
// shutdown can wait for exactly the sessions that were running. (A
// sync.WaitGroup cannot refuse late arrivals, and an Add racing a Wait is
// a misuse.) It also keeps a way to stop each session that has one.
type gate struct {
	mu       sync.Mutex
	sessions map[*gateEntry]struct{}
	closed   bool
	idle     chan struct{}
}

type gateEntry struct {
	stop func()
	when stopWhen
}

// stopWhen is the moment of a shutdown a session still running is ended.
type stopWhen int

const (
	// stopAtGrace: once TerminalGrace has passed (terminal UIs, and
	// subsystems that have nothing worth finishing).
	stopAtGrace stopWhen = iota
	// stopAtDeadline: only when the shutdown deadline comes (commands,
	// and subsystems that end themselves once their work is done).
	stopAtDeadline
)

// enter admits a session; stop, when not nil, ends it early at
// stopAll(when) or later. It returns the function that marks the session
// ended, or false once the gate is closed.
func (g *gate) enter(stop func(), when stopWhen) (leave func(), ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil, false
	}
	if g.sessions == nil {
		g.sessions = make(map[*gateEntry]struct{})
	}
	e := &gateEntry{stop: stop, when: when}
	g.sessions[e] = struct{}{}
	return func() { g.leave(e) }, true
}

func (g *gate) leave(e *gateEntry) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.sessions, e)
	if g.closed && len(g.sessions) == 0 {
		close(g.idle)
	}
}

// close refuses new sessions and returns a channel closed when the last
// running one has left, and whether this call was the one that closed
// the gate.
func (g *gate) close() (idle <-chan struct{}, first bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.closed {
		first = true
		g.closed = true
		g.idle = make(chan struct{})
		if len(g.sessions) == 0 {
			close(g.idle)
		}
	}
	return g.idle, first
}

// closing reports whether close was called.
func (g *gate) closing() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.closed
}

// stopAll stops every running session that can be stopped at the moment
// now (stopAtDeadline stops them all). The stops run outside the lock: a
// session that ends leaves the gate meanwhile. It returns how many it
// stopped.
func (g *gate) stopAll(now stopWhen) int {
	g.mu.Lock()
	var stops []func()
	for e := range g.sessions {
		if e.stop != nil && e.when <= now {
			stops = append(stops, e.stop)
		}
	}
	g.mu.Unlock()
	for _, stop := range stops {
		stop()
	}
	return len(stops)
}
