package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// claimSQL hands out the oldest due mails and moves each one's next_try
// to the lease's end, in one statement. SKIP LOCKED makes a sender racing
// another (on another front end) pass over the rows the other is
// claiming instead of waiting for them, so each gets other mails.
//
//	$1 now, $2 until, $3 limit
const claimSQL = `
UPDATE outbox SET next_try = $2
WHERE id IN (SELECT id FROM outbox WHERE next_try <= $1 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
RETURNING id, message_id, from_addr, to_addr, subject, body, in_reply_to, refs, sender, reply_key,
	created, attempts, next_try, last_error`

// ClaimMail implements workroom.Store.
func (db *DB) ClaimMail(ctx context.Context, now, until time.Time, limit int) ([]workroom.Mail, error) {
	rows, err := db.pool.Query(ctx, claimSQL, now, until, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: claiming mail: %w", err)
	}
	ms, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (workroom.Mail, error) {
		var m workroom.Mail
		err := row.Scan(&m.ID, &m.MessageID, &m.From, &m.To, &m.Subject, &m.Body, &m.InReplyTo, &m.References, &m.Sender,
			&m.ReplyKey, &m.Created, &m.Attempts, &m.NextTry, &m.LastError)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: claiming mail: %w", err)
	}
	// RETURNING keeps no order: oldest first, as the contract says.
	slices.SortFunc(ms, func(a, b workroom.Mail) int { return cmp.Compare(a.ID, b.ID) })
	for i := range ms {
		ms[i].Created, ms[i].NextTry = ms[i].Created.UTC(), ms[i].NextTry.UTC()
	}
	return ms, nil
}
