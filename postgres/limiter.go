package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workroom/workroom"
)

// Limiter is the rate limiter of several front ends over one database:
// the same GCRA as workroom.MemoryLimiter, with each key's theoretical
// arrival time (tat: when its bucket is full again) in the rate_limits
// table, so every front end draws on one budget per key.
type Limiter struct {
	pool *pgxpool.Pool
	mu   sync.Mutex
	last time.Time // the last clean-up of spent keys, by the callers' clock
}

var _ workroom.Limiter = (*Limiter)(nil)

// limiterCleanup is how often, by the callers' clock, one front end's
// limiter deletes the keys whose bucket has refilled.
const limiterCleanup = time.Minute

// NewLimiter returns the limiter kept in db.
func NewLimiter(db *DB) *Limiter { return &Limiter{pool: db.pool} }

// allowSQL counts one event and decides in one statement, the row locked
// by the upsert: with step the time one event's token takes to come back
// and tolerance the burst's worth of steps, the event is allowed when
// max(tat, now) + step - now <= tolerance, and then tat moves to that
// sum; otherwise tat stays and wait says how long until it would be.
//
//	$1 key, $2 now, $3 step, $4 tolerance (nanoseconds)
const allowSQL = `
INSERT INTO rate_limits AS r (key, tat, wait) VALUES ($1, $2::bigint + $3, 0)
ON CONFLICT (key) DO UPDATE SET
	tat  = CASE WHEN greatest(r.tat, $2) + $3 - $2 <= $4 THEN greatest(r.tat, $2) + $3 ELSE r.tat END,
	wait = greatest(greatest(r.tat, $2) + $3 - $2 - $4, 0)
RETURNING wait`

// Allow implements workroom.Limiter.
func (l *Limiter) Allow(ctx context.Context, key string, r workroom.Rate, now time.Time) (time.Duration, error) {
	if r.Off {
		return 0, nil
	}
	step := max(r.Per/time.Duration(r.N), time.Nanosecond)
	burst := r.Burst
	if burst <= 0 {
		burst = r.N
	}
	l.cleanup(ctx, now)
	var wait int64
	err := l.pool.QueryRow(ctx, allowSQL, key, now.UnixNano(), int64(step), int64(step)*int64(burst)).Scan(&wait)
	if err != nil {
		return 0, fmt.Errorf("postgres: rate limit: %w", err)
	}
	return time.Duration(wait), nil
}

// cleanup deletes, at most once per limiterCleanup, the keys whose
// bucket is full again: they hold nothing an absent key would not. A
// failure is left to the next time.
func (l *Limiter) cleanup(ctx context.Context, now time.Time) {
	l.mu.Lock()
	due := now.Sub(l.last) >= limiterCleanup
	if due {
		l.last = now
	}
	l.mu.Unlock()
	if due {
		_, _ = l.pool.Exec(ctx, `DELETE FROM rate_limits WHERE tat <= $1`, now.UnixNano())
	}
}
