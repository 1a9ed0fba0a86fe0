package store

import (
	"bytes"
	"context"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// CreateUser implements workroom.Store.
func (d *DB) CreateUser(ctx context.Context, u *workroom.User, k workroom.Key, v workroom.Verification, m *workroom.Mail) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		keys, emails := tx.Bucket(bucketKeys), tx.Bucket(bucketEmails)
		email := []byte(strings.ToLower(u.Email))
		if keys.Get([]byte(k.Fingerprint)) != nil {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleKeyRegistered)
		}
		if emails.Get(email) != nil {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleAddressOwned)
		}
		users := tx.Bucket(bucketUsers)
		id, err := users.NextSequence()
		if err != nil {
			return err
		}
		u.ID = workroom.UserID(id)
		k.UserID = u.ID
		if err := put(users, u64(id), u); err != nil {
			return err
		}
		if err := tx.Bucket(bucketEmailClaims).Put(claimKey(u.Email, u.ID), nil); err != nil {
			return err
		}
		if err := putKey(tx, k); err != nil {
			return err
		}
		if err := put(tx.Bucket(bucketVerifications), u64(id), v); err != nil {
			return err
		}
		return enqueue(tx, m)
	})
}

// User implements workroom.Store.
func (d *DB) User(ctx context.Context, id workroom.UserID) (*workroom.User, error) {
	var u workroom.User
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketUsers), u64(uint64(id)), &u, "user")
	})
	return &u, err
}

// UserByEmail implements workroom.Store.
func (d *DB) UserByEmail(ctx context.Context, address string) (*workroom.User, error) {
	var u workroom.User
	err := d.db.View(func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketEmails).Get([]byte(strings.ToLower(address)))
		if id == nil {
			return notFound("verified address")
		}
		return get(tx.Bucket(bucketUsers), id, &u, "user")
	})
	return &u, err
}

// KeyByFingerprint implements workroom.Store.
func (d *DB) KeyByFingerprint(ctx context.Context, fp string) (*workroom.Key, error) {
	var k workroom.Key
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketKeys), []byte(fp), &k, "key")
	})
	return &k, err
}

// Keys implements workroom.Store.
func (d *DB) Keys(ctx context.Context, id workroom.UserID) ([]workroom.Key, error) {
	var out []workroom.Key
	err := d.db.View(func(tx *bolt.Tx) error {
		keys := tx.Bucket(bucketKeys)
		prefix := u64(uint64(id))
		c := tx.Bucket(bucketUserKeys).Cursor()
		for k, _ := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			var key workroom.Key
			if err := get(keys, k[8:], &key, "key"); err != nil {
				return err
			}
			out = append(out, key)
		}
		return nil
	})
	sortKeys(out)
	return out, err
}

func putKey(tx *bolt.Tx, k workroom.Key) error {
	if err := put(tx.Bucket(bucketKeys), []byte(k.Fingerprint), k); err != nil {
		return err
	}
	return tx.Bucket(bucketUserKeys).Put(append(u64(uint64(k.UserID)), k.Fingerprint...), nil)
}

// RemoveKey implements workroom.Store.
func (d *DB) RemoveKey(ctx context.Context, id workroom.UserID, fp string) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		var k workroom.Key
		if err := get(tx.Bucket(bucketKeys), []byte(fp), &k, "key"); err != nil || k.UserID != id {
			return notFound("key")
		}
		if err := tx.Bucket(bucketKeys).Delete([]byte(fp)); err != nil {
			return err
		}
		return tx.Bucket(bucketUserKeys).Delete(append(u64(uint64(id)), fp...))
	})
}

// Verification implements workroom.Store.
func (d *DB) Verification(ctx context.Context, id workroom.UserID) (*workroom.Verification, error) {
	var v workroom.Verification
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketVerifications), u64(uint64(id)), &v, "verification")
	})
	return &v, err
}

// SetVerification implements workroom.Store.
func (d *DB) SetVerification(ctx context.Context, id workroom.UserID, v workroom.Verification, m *workroom.Mail) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketUsers).Get(u64(uint64(id))) == nil {
			return notFound("user")
		}
		if err := put(tx.Bucket(bucketVerifications), u64(uint64(id)), v); err != nil {
			return err
		}
		return enqueue(tx, m)
	})
}

// sortKeys orders keys oldest first, as people added them.
func sortKeys(keys []workroom.Key) {
	slices.SortStableFunc(keys, func(a, b workroom.Key) int { return a.Added.Compare(b.Added) })
}

// SetDisabled implements workroom.Store.
func (d *DB) SetDisabled(ctx context.Context, id workroom.UserID, disabled bool) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		users := tx.Bucket(bucketUsers)
		var u workroom.User
		if err := get(users, u64(uint64(id)), &u, "user"); err != nil {
			return err
		}
		u.Disabled = disabled
		return put(users, u64(uint64(id)), u)
	})
}

// SetTimeZone implements workroom.Store.
func (d *DB) SetTimeZone(ctx context.Context, id workroom.UserID, zone string) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		users := tx.Bucket(bucketUsers)
		var u workroom.User
		if err := get(users, u64(uint64(id)), &u, "user"); err != nil {
			return err
		}
		u.TZ = zone
		return put(users, u64(uint64(id)), u)
	})
}

// SetKeyComment implements workroom.Store.
func (d *DB) SetKeyComment(ctx context.Context, id workroom.UserID, fp, comment string) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		var k workroom.Key
		if err := get(tx.Bucket(bucketKeys), []byte(fp), &k, "key"); err != nil || k.UserID != id {
			return notFound("key")
		}
		k.Comment = comment
		return put(tx.Bucket(bucketKeys), []byte(fp), k)
	})
}
