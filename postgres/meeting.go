package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// Meeting records are rows of meetings: the record as JSON, and the
// columns Meetings selects by. IDs come from the table's sequence, so
// they grow with time across rooms, as in the bbolt store.

// SaveMeeting implements workroom.Store.
func (db *DB) SaveMeeting(ctx context.Context, m *workroom.Meeting) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		if err := requireRoom(ctx, tx, m.RoomID); err != nil {
			return err
		}
		if m.ID == 0 {
			if err := tx.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('meetings', 'id'))`).Scan(&m.ID); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO meetings (id, room_id, from_id, upto, running, record) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET room_id = excluded.room_id, from_id = excluded.from_id,
				upto = excluded.upto, running = excluded.running, record = excluded.record`,
			m.ID, m.RoomID, m.From, m.Upto, m.Ended.IsZero(), m)
		return err
	})
}

// Meetings implements workroom.Store.
func (db *DB) Meetings(ctx context.Context, room workroom.RoomID, lo, hi uint64) ([]workroom.Meeting, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT record FROM meetings
		WHERE room_id = $1 AND from_id <= $3 AND (running OR upto >= $2)
		ORDER BY id`, room, lo, hi)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[workroom.Meeting])
}
