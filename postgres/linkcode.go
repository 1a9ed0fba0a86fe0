package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// CreateLinkCode implements workroom.Store. The user's row is held for
// the transaction, so two requests at once cannot both pass the cap.
func (db *DB) CreateLinkCode(ctx context.Context, c workroom.LinkCode, max int, m *workroom.Mail) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockUser(ctx, tx, c.UserID, nil); err != nil {
			return err
		}
		var live int
		err := tx.QueryRow(ctx, `WITH expired AS (DELETE FROM link_codes WHERE user_id = $1 AND expires <= $2 RETURNING hash)
			SELECT count(*) FROM link_codes WHERE user_id = $1 AND hash NOT IN (SELECT hash FROM expired)`,
			c.UserID, c.Created).Scan(&live)
		if err != nil {
			return err
		}
		if live >= max {
			return workroom.Refusal(workroom.ELIMIT, workroom.RuleTooManyLinkCodes)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO link_codes (hash, user_id, created, expires, recovery) VALUES ($1, $2, $3, $4, $5)`,
			c.Hash, c.UserID, c.Created, c.Expires, c.Recovery); err != nil {
			return err
		}
		return db.enqueueOne(ctx, tx, m)
	})
}

// LinkKey implements workroom.Store. The code is deleted first: of two
// uses at once the second waits for the first and finds it gone, unless
// the first was refused and rolled back, which puts the code back. The
// user's row is held too, so their keys are counted against maxKeys with
// nothing added meanwhile.
func (db *DB) LinkKey(ctx context.Context, hash string, k workroom.Key, now time.Time, maxKeys int) (*workroom.User, error) {
	var u workroom.User
	expired := false
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var owner workroom.UserID
		var expires time.Time
		err := tx.QueryRow(ctx, `DELETE FROM link_codes WHERE hash = $1 RETURNING user_id, expires`, hash).Scan(&owner, &expires)
		if err != nil {
			return notFound(err)
		}
		if !now.Before(expires) {
			// Committed, so the code is gone; the caller is refused below.
			expired = true
			return nil
		}
		if err := lockUser(ctx, tx, owner, &u); err != nil {
			return err
		}
		var taken bool
		var keys int
		err = tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM keys WHERE fingerprint = $1), (SELECT count(*) FROM keys WHERE user_id = $2)`,
			k.Fingerprint, owner).Scan(&taken, &keys)
		switch {
		case err != nil:
			return err
		case taken:
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleKeyRegistered)
		case u.Disabled:
			return workroom.Refusal(workroom.EFORBIDDEN, workroom.RuleDisabled)
		case keys >= maxKeys:
			return workroom.Refusal(workroom.ELIMIT, workroom.RuleTooManyKeys)
		}
		k.UserID = owner
		return insertKey(ctx, tx, k)
	})
	if err == nil && expired {
		return nil, workroom.Refusal(workroom.ENOTFOUND, workroom.RuleLinkCodeInvalid)
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}
