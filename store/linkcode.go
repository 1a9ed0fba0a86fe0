package store

import (
	"bytes"
	"context"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// CreateLinkCode implements workroom.Store.
func (d *DB) CreateLinkCode(ctx context.Context, c workroom.LinkCode, max int, m *workroom.Mail) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketUsers).Get(u64(uint64(c.UserID))) == nil {
			return notFound("user")
		}
		live, err := dropExpiredLinks(tx, c.UserID, c.Created)
		if err != nil {
			return err
		}
		if live >= max {
			return workroom.Refusal(workroom.ELIMIT, workroom.RuleTooManyLinkCodes)
		}
		if err := put(tx.Bucket(bucketLinkCodes), []byte(c.Hash), c); err != nil {
			return err
		}
		if err := tx.Bucket(bucketUserLinks).Put(append(u64(uint64(c.UserID)), c.Hash...), nil); err != nil {
			return err
		}
		return enqueue(tx, m)
	})
}

// dropExpiredLinks deletes a user's codes expired at now and returns how
// many remain.
func dropExpiredLinks(tx *bolt.Tx, id workroom.UserID, now time.Time) (int, error) {
	codes, index := tx.Bucket(bucketLinkCodes), tx.Bucket(bucketUserLinks)
	prefix := u64(uint64(id))
	var expired [][]byte
	live := 0
	c := index.Cursor()
	for k, _ := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		var lc workroom.LinkCode
		if err := get(codes, k[8:], &lc, "link code"); err != nil || !now.Before(lc.Expires) {
			expired = append(expired, bytes.Clone(k))
			continue
		}
		live++
	}
	for _, k := range expired {
		if err := deleteLink(tx, k[8:], id); err != nil {
			return 0, err
		}
	}
	return live, nil
}

func deleteLink(tx *bolt.Tx, hash []byte, id workroom.UserID) error {
	if err := tx.Bucket(bucketLinkCodes).Delete(hash); err != nil {
		return err
	}
	return tx.Bucket(bucketUserLinks).Delete(append(u64(uint64(id)), hash...))
}

// LinkKey implements workroom.Store.
func (d *DB) LinkKey(ctx context.Context, hash string, k workroom.Key, now time.Time, maxKeys int) (*workroom.User, error) {
	var u workroom.User
	expired := false
	err := d.update(ctx, func(tx *bolt.Tx) error {
		var lc workroom.LinkCode
		if err := get(tx.Bucket(bucketLinkCodes), []byte(hash), &lc, "link code"); err != nil {
			return err
		}
		if !now.Before(lc.Expires) {
			// Committed, so the code is gone; the caller is refused below.
			expired = true
			return deleteLink(tx, []byte(hash), lc.UserID)
		}
		if tx.Bucket(bucketKeys).Get([]byte(k.Fingerprint)) != nil {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleKeyRegistered)
		}
		if err := get(tx.Bucket(bucketUsers), u64(uint64(lc.UserID)), &u, "user"); err != nil {
			return err
		}
		if u.Disabled {
			return workroom.Refusal(workroom.EFORBIDDEN, workroom.RuleDisabled)
		}
		if n := len(prefixKeys(tx.Bucket(bucketUserKeys), u64(uint64(u.ID)))); n >= maxKeys {
			return workroom.Refusal(workroom.ELIMIT, workroom.RuleTooManyKeys)
		}
		if err := deleteLink(tx, []byte(hash), lc.UserID); err != nil {
			return err
		}
		k.UserID = u.ID
		return putKey(tx, k)
	})
	if err == nil && expired {
		return nil, workroom.Refusal(workroom.ENOTFOUND, workroom.RuleLinkCodeInvalid)
	}
	return &u, err
}

// prefixKeys returns the keys of b that start with prefix.
func prefixKeys(b *bolt.Bucket, prefix []byte) [][]byte {
	var out [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, bytes.Clone(k))
	}
	return out
}
