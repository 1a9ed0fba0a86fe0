package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// Tally implements workroom.Store in one statement: the first event
// inserts the count; a later one restarts it once the window has passed,
// or adds one unless max are counted. A refused event updates nothing,
// so returns no row, and is told as max+1 with the window it fell in.
func (db *DB) Tally(ctx context.Context, name string, now time.Time, window time.Duration, max int) (int, time.Time, error) {
	if max <= 0 {
		return max + 1, now.Add(window), nil
	}
	var start time.Time
	var count int
	err := db.pool.QueryRow(ctx, `INSERT INTO tallies AS t (name, start, count) VALUES ($1, $2, 1)
		ON CONFLICT (name) DO UPDATE SET
			start = CASE WHEN t.start <= $3 THEN $2 ELSE t.start END,
			count = CASE WHEN t.start <= $3 THEN 1 ELSE t.count + 1 END
		WHERE t.start <= $3 OR t.count < $4
		RETURNING start, count`, name, now, now.Add(-window), max).Scan(&start, &count)
	if errors.Is(err, pgx.ErrNoRows) {
		count = max + 1 // refused: counted nowhere
		err = db.pool.QueryRow(ctx, `SELECT start FROM tallies WHERE name = $1`, name).Scan(&start)
	}
	if err != nil {
		return 0, time.Time{}, unavailable(err)
	}
	return count, start.Add(window), nil
}
