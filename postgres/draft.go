package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// SaveDraft implements workroom.Store.
func (db *DB) SaveDraft(ctx context.Context, room workroom.RoomID, user workroom.UserID, text string) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		var member bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM members WHERE room_id = $1 AND user_id = $2)`, room, user).Scan(&member); err != nil {
			return err
		}
		if !member {
			return workroom.Refusal(workroom.ENOTFOUND, "")
		}
		if text == "" {
			_, err := tx.Exec(ctx, `DELETE FROM drafts WHERE room_id = $1 AND user_id = $2`, room, user)
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO drafts (room_id, user_id, text) VALUES ($1, $2, $3)
			ON CONFLICT (room_id, user_id) DO UPDATE SET text = EXCLUDED.text`, room, user, text)
		return err
	})
}

// Draft implements workroom.Store.
func (db *DB) Draft(ctx context.Context, room workroom.RoomID, user workroom.UserID) (string, error) {
	var text string
	err := db.pool.QueryRow(ctx, `SELECT text FROM drafts WHERE room_id = $1 AND user_id = $2`, room, user).Scan(&text)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return text, unavailable(err)
}
