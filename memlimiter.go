package workroom

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// MemoryLimiterKeys bounds the keys a MemoryLimiter remembers (about 200
// bytes each). Past it the least recently used key is forgotten, which
// resets that key's count: under a flood of new keys (many addresses) the
// limiter forgets the quietest actor rather than grow or refuse everyone.
const MemoryLimiterKeys = 1 << 16

// limiterSweep is how often, by the limiter's clock, keys whose bucket has
// refilled are dropped.
const limiterSweep = time.Minute

// MemoryLimiter is a Limiter for one server process: GCRA, the token
// bucket kept as one time per key (when the bucket will be full again), so
// a key whose time has passed holds no state and is dropped.
type MemoryLimiter struct {
	mu        sync.Mutex
	max       int
	keys      map[string]*list.Element // of *limiterEntry
	lru       *list.List               // least recently used at the front
	lastSweep time.Time
}

type limiterEntry struct {
	key  string
	full time.Time // the theoretical arrival time: when the bucket is full again
}

var _ Limiter = (*MemoryLimiter)(nil)

// NewMemoryLimiter returns a limiter remembering at most maxKeys keys
// (MemoryLimiterKeys when maxKeys < 1).
func NewMemoryLimiter(maxKeys int) *MemoryLimiter {
	if maxKeys < 1 {
		maxKeys = MemoryLimiterKeys
	}
	return &MemoryLimiter{max: maxKeys, keys: make(map[string]*list.Element), lru: list.New()}
}

// Allow implements Limiter.
func (m *MemoryLimiter) Allow(_ context.Context, key string, r Rate, now time.Time) (time.Duration, error) {
	if r.Off {
		return 0, nil
	}
	step := max(r.interval(), time.Nanosecond)
	tolerance := step * time.Duration(r.burst())
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep(now)
	full := now
	e, known := m.keys[key]
	if known && e.Value.(*limiterEntry).full.After(now) {
		full = e.Value.(*limiterEntry).full
	}
	next := full.Add(step)
	if wait := next.Sub(now) - tolerance; wait > 0 {
		return wait, nil
	}
	if known {
		e.Value.(*limiterEntry).full = next
		m.lru.MoveToBack(e)
		return 0, nil
	}
	if len(m.keys) >= m.max {
		oldest := m.lru.Front()
		delete(m.keys, oldest.Value.(*limiterEntry).key)
		m.lru.Remove(oldest)
	}
	m.keys[key] = m.lru.PushBack(&limiterEntry{key: key, full: next})
	return 0, nil
}

// sweep drops, at most once per limiterSweep, every key whose bucket is
// full again: it remembers nothing an absent key would not.
func (m *MemoryLimiter) sweep(now time.Time) {
	if now.Sub(m.lastSweep) < limiterSweep {
		return
	}
	m.lastSweep = now
	for e := m.lru.Front(); e != nil; {
		next := e.Next()
		if le := e.Value.(*limiterEntry); !le.full.After(now) {
			delete(m.keys, le.key)
			m.lru.Remove(e)
		}
		e = next
	}
}

// Len is how many keys the limiter remembers.
func (m *MemoryLimiter) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.keys)
}
