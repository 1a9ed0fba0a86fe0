package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// An address is held by an account only once verified (the unique index
// users_verified_email); the accounts that signed up with it unverified
// and have not lost it are its claimants (users_email_claims), and the
// first to verify takes it from them. The methods that decide who holds
// an address run serializable, retried on conflict, so the rule holds
// whatever runs beside them.

// Verification implements workroom.Store.
func (db *DB) Verification(ctx context.Context, id workroom.UserID) (*workroom.Verification, error) {
	var v workroom.Verification
	err := db.pool.QueryRow(ctx, `SELECT code_hash, sent, expires FROM verifications WHERE user_id = $1`, id).Scan(&v.CodeHash, &v.Sent, &v.Expires)
	if err != nil {
		return nil, notFound(err)
	}
	return &v, nil
}

// putVerification stores the user's pending verification, replacing
// the one before.
func putVerification(ctx context.Context, tx pgx.Tx, id workroom.UserID, v workroom.Verification) error {
	_, err := tx.Exec(ctx, `INSERT INTO verifications (user_id, code_hash, sent, expires) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id) DO UPDATE SET code_hash = EXCLUDED.code_hash, sent = EXCLUDED.sent, expires = EXCLUDED.expires`,
		id, v.CodeHash, v.Sent, v.Expires)
	return err
}

// SetVerification implements workroom.Store.
func (db *DB) SetVerification(ctx context.Context, id workroom.UserID, v workroom.Verification, m *workroom.Mail) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockUser(ctx, tx, id, nil); err != nil {
			return err
		}
		if err := putVerification(ctx, tx, id, v); err != nil {
			return err
		}
		return db.enqueueOne(ctx, tx, m)
	})
}

// lockUser reads the user (into u unless nil) and holds their row for
// the rest of tx; ENOTFOUND when there is none.
func lockUser(ctx context.Context, tx pgx.Tx, id workroom.UserID, u *workroom.User) error {
	if u == nil {
		u = new(workroom.User)
	}
	return notFound(scanUser(tx.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1 FOR UPDATE`, id), u))
}

// verifiedBy returns the account that verified address (lowercased), or
// 0 for none.
func verifiedBy(ctx context.Context, tx pgx.Tx, key string) (workroom.UserID, error) {
	var owner workroom.UserID
	err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM users WHERE email_key = $1 AND email_verified`, key).Scan(&owner)
	return owner, err
}

// SetEmail implements workroom.Store.
func (db *DB) SetEmail(ctx context.Context, id workroom.UserID, address string, v workroom.Verification, m *workroom.Mail) error {
	return db.serializable(ctx, func(tx pgx.Tx) error {
		var u workroom.User
		if err := lockUser(ctx, tx, id, &u); err != nil {
			return err
		}
		if u.EmailVerified {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleAddressVerified)
		}
		key := strings.ToLower(address)
		owner, err := verifiedBy(ctx, tx, key)
		if err != nil {
			return err
		}
		if owner != 0 {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleAddressOwned)
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET email = $2, email_key = $3, email_lost = false WHERE id = $1`, id, address, key); err != nil {
			return err
		}
		if err := putVerification(ctx, tx, id, v); err != nil {
			return err
		}
		return db.enqueueOne(ctx, tx, m)
	})
}

// MarkVerified implements workroom.Store.
func (db *DB) MarkVerified(ctx context.Context, id workroom.UserID, now time.Time) ([]workroom.Membership, error) {
	var joined []workroom.Membership
	err := db.serializable(ctx, func(tx pgx.Tx) error {
		var u workroom.User
		if err := lockUser(ctx, tx, id, &u); err != nil {
			return err
		}
		key := strings.ToLower(u.Email)
		owner, err := verifiedBy(ctx, tx, key)
		if err != nil {
			return err
		}
		if owner != 0 && owner != id {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleAddressTaken)
		}
		// The other claimants lose the address and their pending code.
		if _, err := tx.Exec(ctx, `WITH lost AS (
				UPDATE users SET email_lost = true
				WHERE email_key = $1 AND NOT email_verified AND NOT email_lost AND id <> $2 RETURNING id)
			DELETE FROM verifications WHERE user_id IN (SELECT id FROM lost)`, key, id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE users SET email_verified = true, email_lost = false, email_undeliverable = false WHERE id = $1`, id)
		if uniqueViolation(err, "users_verified_email") {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleAddressTaken)
		} else if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM verifications WHERE user_id = $1`, id); err != nil {
			return err
		}
		u.EmailVerified = true
		joined, err = acceptInvitations(ctx, tx, &u, now)
		return err
	})
	return joined, err
}
