package workroom

import (
	"context"
	"sync"
	"time"
)

// One account may hold only so many connections open at once (the SSH
// server's MaxConnsPerAccount), so one person's scripts cannot take every
// connection slot. Behind one address several front ends serve the same
// accounts, so the count is the service's, kept by an AccountConns that
// each front end shares: in memory for one process, in the database for
// several (postgres), where a front end that dies takes its connections
// out of the count within a heartbeat's expiry.

// AccountConns counts the connections each account holds open.
type AccountConns interface {
	// Hold counts one more connection for user unless user already holds
	// max: then ok is false and nothing is counted. release uncounts the
	// connection; it is called once. An error means the count could not
	// be read or kept (its backend is down).
	Hold(ctx context.Context, user UserID, max int) (release func(context.Context) error, ok bool, err error)
}

// releaseConnWait bounds uncounting a connection that has closed.
const releaseConnWait = 5 * time.Second

// HoldConnection counts a connection for user against max, the most one
// account may hold open; the transport calls the returned release once
// the connection closes. ELIMIT when user already holds max;
// EUNAVAILABLE when the count cannot be kept just now.
func (s *Service) HoldConnection(ctx context.Context, user UserID, max int) (release func(), err error) {
	rel, ok, err := s.conns.Hold(ctx, user, max)
	switch {
	case err != nil:
		s.log.Error("counting an account's connections", "user", user, "err", err)
		return nil, Errorf(EUNAVAILABLE, "the server cannot count this account's connections just now; try again in a moment")
	case !ok:
		return nil, Errorf(ELIMIT, "this account already has %d connections open, the most allowed; close one (one connection can carry several sessions) and connect again", max)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), releaseConnWait)
		defer cancel()
		if err := rel(ctx); err != nil {
			s.log.Warn("uncounting a closed connection; it leaves the count when its hold expires", "user", user, "err", err)
		}
	}, nil
}

// MemoryAccountConns is AccountConns for one process.
type MemoryAccountConns struct {
	mu   sync.Mutex
	held map[UserID]int
}

var _ AccountConns = (*MemoryAccountConns)(nil)

// NewMemoryAccountConns returns an empty count.
func NewMemoryAccountConns() *MemoryAccountConns {
	return &MemoryAccountConns{held: make(map[UserID]int)}
}

// Hold implements AccountConns.
func (m *MemoryAccountConns) Hold(_ context.Context, user UserID, max int) (func(context.Context) error, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.held[user] >= max {
		return nil, false, nil
	}
	m.held[user]++
	var once sync.Once
	return func(context.Context) error {
		once.Do(func() {
			m.mu.Lock()
			defer m.mu.Unlock()
			if m.held[user]--; m.held[user] <= 0 {
				delete(m.held, user)
			}
		})
		return nil
	}, true, nil
}
