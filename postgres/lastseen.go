package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// SetLastSeen implements workroom.Store: every time in one batch, which
// PostgreSQL runs as one transaction, in one round trip; an older time than the one stored changes nothing.
func (db *DB) SetLastSeen(ctx context.Context, seen []workroom.LastSeen) error {
	if len(seen) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, s := range seen {
		b.Queue(`INSERT INTO last_seen AS l (user_id, at) VALUES ($1, $2)
			ON CONFLICT (user_id) DO UPDATE SET at = EXCLUDED.at WHERE l.at < EXCLUDED.at`, s.UserID, s.At)
	}
	return unavailable(db.pool.SendBatch(ctx, b).Close())
}

// LastSeen implements workroom.Store.
func (db *DB) LastSeen(ctx context.Context, users []workroom.UserID) (map[workroom.UserID]time.Time, error) {
	out := make(map[workroom.UserID]time.Time, len(users))
	if len(users) == 0 {
		return out, nil
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = int64(u)
	}
	rows, err := db.pool.Query(ctx, `SELECT user_id, at FROM last_seen WHERE user_id = ANY($1)`, ids)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id workroom.UserID
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return nil, unavailable(err)
		}
		out[id] = at
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable(err)
	}
	return out, nil
}
