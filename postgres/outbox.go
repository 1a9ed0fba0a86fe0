package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// enqueueTx adds mails to the outbox inside tx, assigning their ids,
// and makes each that carries a reply key carry the member's one key for
// the room (queueMail). Every mail goes in one round trip.
func (db *DB) enqueueTx(ctx context.Context, tx pgx.Tx, mails []workroom.Mail) error {
	if len(mails) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for i := range mails {
		queueMail(b, &mails[i], 0)
	}
	return tx.SendBatch(ctx, b).Close()
}

// queueMail queues the insert of m into the outbox on b; when the batch
// runs, m gets its id and the reply key it carries. A mail with a reply
// key stores the key unless the member has one for the room, and then
// carries the stored one instead: one statement does both, so the mail
// needs nothing read back before it is queued.
//
// When room is not 0 the statement does nothing unless that room exists:
// AppendMessage queues its mails behind the append in one batch, which
// commits as a whole even when the append found no room.
func queueMail(b *pgx.Batch, m *workroom.Mail, room workroom.RoomID) {
	args := []any{m.MessageID, m.From, m.To, m.Subject, m.Body, m.InReplyTo, m.References, m.Sender, m.Created, m.Attempts, m.NextTry, m.LastError, room}
	const cols = `message_id, from_addr, to_addr, subject, body, in_reply_to, refs, sender, created, attempts, next_try, last_error, reply_key`
	const values = `$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12`
	const roomExists = `($13::bigint = 0 OR EXISTS (SELECT 1 FROM rooms WHERE id = $13))`
	sql := `INSERT INTO outbox (` + cols + `) SELECT ` + values + `, NULL WHERE ` + roomExists + ` RETURNING id, reply_key`
	if k := m.ReplyKey; k != nil {
		// A key committed by a concurrent transaction after this
		// statement's snapshot would be in neither half of kept; keys
		// are made only by mails of appends to their room, which hold
		// the room's row, so there is none.
		sql = `WITH ins AS (
				INSERT INTO reply_keys (key, room_id, user_id, created) SELECT $14, $15, $16, $17 WHERE ` + roomExists + `
				ON CONFLICT DO NOTHING RETURNING key, room_id, user_id, created),
			kept AS (
				SELECT key, room_id, user_id, created FROM ins
				UNION ALL SELECT key, room_id, user_id, created FROM reply_keys WHERE room_id = $15 AND user_id = $16
				LIMIT 1)
			INSERT INTO outbox (` + cols + `) SELECT ` + values + `, jsonb_build_object(
				'key', key, 'room_id', room_id, 'user_id', user_id,
				'created', to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
			FROM kept WHERE ` + roomExists + ` RETURNING id, reply_key`
		args = append(args, k.Key, k.RoomID, k.UserID, k.Created)
	}
	b.Queue(sql, args...).QueryRow(func(row pgx.Row) error {
		var key []byte
		if err := row.Scan(&m.ID, &key); err != nil {
			return fmt.Errorf("postgres: enqueueing mail to %s: %w", m.To, err)
		}
		return unmarshalIfAny(key, &m.ReplyKey)
	})
}

// enqueueOne enqueues m, which may be nil (no mail), inside tx.
func (db *DB) enqueueOne(ctx context.Context, tx pgx.Tx, m *workroom.Mail) error {
	if m == nil {
		return nil
	}
	one := []workroom.Mail{*m}
	err := db.enqueueTx(ctx, tx, one)
	*m = one[0]
	return err
}

// PendingMail implements workroom.Store.
func (db *DB) PendingMail(ctx context.Context, now time.Time, limit int) ([]workroom.Mail, error) {
	return collect(ctx, db.pool, scanMail,
		`SELECT `+mailCols+` FROM outbox WHERE next_try <= $1 ORDER BY id LIMIT $2`, now, limit)
}

// DeleteMail implements workroom.Store. A mail already gone is no error.
func (db *DB) DeleteMail(ctx context.Context, id uint64) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM outbox WHERE id = $1`, id)
	return unavailable(err)
}

// DeferMail implements workroom.Store.
func (db *DB) DeferMail(ctx context.Context, id uint64, attempts int, next time.Time, lastErr string) error {
	return execOne(ctx, db.pool, `UPDATE outbox SET attempts = $2, next_try = $3, last_error = $4 WHERE id = $1`, id, attempts, next, lastErr)
}
