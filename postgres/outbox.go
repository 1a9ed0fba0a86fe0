package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// enqueueTx adds mails to the outbox inside tx, assigning their ids, and
// makes each that carries a reply key carry the member's one key for the
// room (keepReplyKeys). Every mail goes in one round trip.
func (db *DB) enqueueTx(ctx context.Context, tx pgx.Tx, mails []workroom.Mail) error {
	if len(mails) == 0 {
		return nil
	}
	if err := keepReplyKeys(ctx, tx, mails); err != nil {
		return err
	}
	b := &pgx.Batch{}
	for i := range mails {
		m := &mails[i]
		key, err := jsonOrNull(m.ReplyKey, m.ReplyKey == nil)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO outbox (message_id, from_addr, to_addr, subject, body, in_reply_to, refs, sender, reply_key, created, attempts, next_try, last_error)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			m.MessageID, m.From, m.To, m.Subject, m.Body, m.InReplyTo, m.References, m.Sender, key, m.Created, m.Attempts, m.NextTry, m.LastError,
		).QueryRow(func(row pgx.Row) error { return row.Scan(&m.ID) })
	}
	return tx.SendBatch(ctx, b).Close()
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
	return err
}

// DeferMail implements workroom.Store.
func (db *DB) DeferMail(ctx context.Context, id uint64, attempts int, next time.Time, lastErr string) error {
	ct, err := db.pool.Exec(ctx, `UPDATE outbox SET attempts = $2, next_try = $3, last_error = $4 WHERE id = $1`, id, attempts, next, lastErr)
	if err == nil && ct.RowsAffected() == 0 {
		return workroom.Refusal(workroom.ENOTFOUND, "")
	}
	return err
}
