package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// CreateUser implements workroom.Store. Serializable: the checks on the
// key and the address must hold at commit against concurrent sign-ups
// and verifications.
func (db *DB) CreateUser(ctx context.Context, u *workroom.User, k workroom.Key, v workroom.Verification, m *workroom.Mail) error {
	return db.serializable(ctx, func(tx pgx.Tx) error {
		var taken, owned bool
		err := tx.QueryRow(ctx, `SELECT
				EXISTS (SELECT 1 FROM keys WHERE fingerprint = $1),
				EXISTS (SELECT 1 FROM users WHERE email_key = $2 AND email_verified)`,
			k.Fingerprint, strings.ToLower(u.Email)).Scan(&taken, &owned)
		switch {
		case err != nil:
			return err
		case taken:
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleKeyRegistered)
		case owned:
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleAddressOwned)
		}
		err = tx.QueryRow(ctx, `INSERT INTO users (name, email, email_key, email_verified, email_lost, email_undeliverable, disabled, created, tz)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			u.Name, u.Email, strings.ToLower(u.Email), u.EmailVerified, u.EmailLost, u.EmailUndeliverable, u.Disabled, u.Created, u.TZ).Scan(&u.ID)
		if err != nil {
			return err
		}
		k.UserID = u.ID
		if err := insertKey(ctx, tx, k); err != nil {
			return err
		}
		if err := putVerification(ctx, tx, u.ID, v); err != nil {
			return err
		}
		return db.enqueueOne(ctx, tx, m)
	})
}

// insertKey stores k; ECONFLICT (RuleKeyRegistered) when its
// fingerprint is registered.
func insertKey(ctx context.Context, tx pgx.Tx, k workroom.Key) error {
	_, err := tx.Exec(ctx, `INSERT INTO keys (`+keyCols+`) VALUES ($1, $2, $3, $4, $5)`,
		k.Fingerprint, k.UserID, k.Authorized, k.Added, k.Comment)
	if uniqueViolation(err, "keys_pkey") {
		return workroom.Refusal(workroom.ECONFLICT, workroom.RuleKeyRegistered)
	}
	return err
}

// User implements workroom.Store.
func (db *DB) User(ctx context.Context, id workroom.UserID) (*workroom.User, error) {
	return oneUser(ctx, db.pool, `SELECT `+userCols+` FROM users WHERE id = $1`, id)
}

// UserByEmail implements workroom.Store.
func (db *DB) UserByEmail(ctx context.Context, address string) (*workroom.User, error) {
	return oneUser(ctx, db.pool, `SELECT `+userCols+` FROM users WHERE email_key = $1 AND email_verified`, strings.ToLower(address))
}

// oneUser reads the user a query returns; ENOTFOUND for none.
func oneUser(ctx context.Context, q querier, sql string, args ...any) (*workroom.User, error) {
	var u workroom.User
	if err := scanUser(q.QueryRow(ctx, sql, args...), &u); err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// KeyByFingerprint implements workroom.Store.
func (db *DB) KeyByFingerprint(ctx context.Context, fp string) (*workroom.Key, error) {
	var k workroom.Key
	if err := scanKey(db.pool.QueryRow(ctx, `SELECT `+keyCols+` FROM keys WHERE fingerprint = $1`, fp), &k); err != nil {
		return nil, notFound(err)
	}
	return &k, nil
}

// Keys implements workroom.Store: oldest first, as people added them.
func (db *DB) Keys(ctx context.Context, id workroom.UserID) ([]workroom.Key, error) {
	return collect(ctx, db.pool, scanKey, `SELECT `+keyCols+` FROM keys WHERE user_id = $1 ORDER BY added, fingerprint`, id)
}

// RemoveKey implements workroom.Store.
func (db *DB) RemoveKey(ctx context.Context, id workroom.UserID, fp string) error {
	return execOne(ctx, db.pool, `DELETE FROM keys WHERE fingerprint = $1 AND user_id = $2`, fp, id)
}

// SetDisabled implements workroom.Store.
func (db *DB) SetDisabled(ctx context.Context, id workroom.UserID, disabled bool) error {
	return execOne(ctx, db.pool, `UPDATE users SET disabled = $2 WHERE id = $1`, id, disabled)
}

// SetTimeZone implements workroom.Store.
func (db *DB) SetTimeZone(ctx context.Context, id workroom.UserID, zone string) error {
	return execOne(ctx, db.pool, `UPDATE users SET tz = $2 WHERE id = $1`, id, zone)
}

// SetKeyComment implements workroom.Store.
func (db *DB) SetKeyComment(ctx context.Context, id workroom.UserID, fp, comment string) error {
	return execOne(ctx, db.pool, `UPDATE keys SET comment = $3 WHERE fingerprint = $1 AND user_id = $2`, fp, id, comment)
}

// Users implements workroom.Store.
func (db *DB) Users(ctx context.Context, before workroom.UserID, limit int) ([]workroom.UserSummary, error) {
	out, err := collect(ctx, db.pool, func(row scanner, s *workroom.UserSummary) error {
		return scanUser(rowWithMore{row, []any{&s.Keys}}, &s.User)
	}, `SELECT `+userCols+`, (SELECT count(*) FROM keys k WHERE k.user_id = users.id)
		FROM users WHERE id < $1 ORDER BY id DESC LIMIT $2`, below(uint64(before)), limit)
	if out == nil && err == nil {
		out = []workroom.UserSummary{}
	}
	return out, err
}

// execOne runs a statement that must change one row; ENOTFOUND when it
// changed none.
func execOne(ctx context.Context, q querier, sql string, args ...any) error {
	ct, err := q.Exec(ctx, sql, args...)
	if err == nil && ct.RowsAffected() == 0 {
		return workroom.Refusal(workroom.ENOTFOUND, "")
	}
	return unavailable(err)
}
