package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

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
RETURNING ` + mailCols

// ClaimMail implements workroom.Store.
func (db *DB) ClaimMail(ctx context.Context, now, until time.Time, limit int) ([]workroom.Mail, error) {
	ms, err := collect(ctx, db.pool, scanMail, claimSQL, now, until, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: claiming mail: %w", err)
	}
	// RETURNING keeps no order: oldest first, as the contract says.
	slices.SortFunc(ms, func(a, b workroom.Mail) int { return cmp.Compare(a.ID, b.ID) })
	return ms, nil
}
