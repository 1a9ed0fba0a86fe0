package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workroom/workroom"
)

// sweepLockKey is the advisory lock the retention sweep holds, beside
// migrationLock.
const sweepLockKey = migrationLock + 1

// SweepLock lets one front end over the database sweep at a time: a
// session-level advisory lock, held on a connection kept out of the pool
// for the sweep. A front end that dies mid-sweep loses its connection,
// and PostgreSQL releases the lock with it.
type SweepLock struct{ pool *pgxpool.Pool }

var _ workroom.SweepLock = (*SweepLock)(nil)

// NewSweepLock returns the sweep lock of the front ends over db.
func NewSweepLock(db *DB) *SweepLock { return &SweepLock{pool: db.pool} }

// TryLock implements workroom.SweepLock.
func (l *SweepLock) TryLock(ctx context.Context) (func(), bool, error) {
	conn, err := l.pool.Acquire(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("postgres: sweep lock: %w", err)
	}
	var ok bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, int64(sweepLockKey)).Scan(&ok); err != nil || !ok {
		conn.Release()
		if err != nil {
			return nil, false, fmt.Errorf("postgres: sweep lock: %w", err)
		}
		return nil, false, nil
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseWait)
		defer cancel()
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, int64(sweepLockKey)); err != nil {
			// Never hand a connection holding the lock back to the
			// pool: closed, it takes the lock with it.
			_ = conn.Conn().Close(ctx)
		}
		conn.Release()
	}, true, nil
}
