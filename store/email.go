package store

import (
	"bytes"
	"context"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// An address is held by an account only once verified: the emails bucket
// indexes verified addresses; email_claims lists, per address, the
// accounts that signed up with it unverified, so that the first to verify
// can take it from the others.

// claimKey is the email_claims key of a user's unverified address. An
// address never holds a NUL, so the prefix of one address is never the
// prefix of another.
func claimKey(address string, id workroom.UserID) []byte {
	return append(claimPrefix(address), u64(uint64(id))...)
}

func claimPrefix(address string) []byte {
	return append([]byte(strings.ToLower(address)), 0)
}

// SetEmail implements workroom.Store.
func (d *DB) SetEmail(ctx context.Context, id workroom.UserID, address string, v workroom.Verification, m *workroom.Mail) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		users := tx.Bucket(bucketUsers)
		var u workroom.User
		if err := get(users, u64(uint64(id)), &u, "user"); err != nil {
			return err
		}
		if u.EmailVerified {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleAddressVerified)
		}
		if tx.Bucket(bucketEmails).Get([]byte(strings.ToLower(address))) != nil {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleAddressOwned)
		}
		claims := tx.Bucket(bucketEmailClaims)
		if err := claims.Delete(claimKey(u.Email, id)); err != nil {
			return err
		}
		if err := claims.Put(claimKey(address, id), nil); err != nil {
			return err
		}
		u.Email, u.EmailLost = address, false
		if err := put(users, u64(uint64(id)), u); err != nil {
			return err
		}
		if err := put(tx.Bucket(bucketVerifications), u64(uint64(id)), v); err != nil {
			return err
		}
		return enqueue(tx, m)
	})
}

// MarkVerified implements workroom.Store.
func (d *DB) MarkVerified(ctx context.Context, id workroom.UserID, now time.Time) ([]workroom.Membership, error) {
	var joined []workroom.Membership
	err := d.update(ctx, func(tx *bolt.Tx) error {
		users := tx.Bucket(bucketUsers)
		var u workroom.User
		if err := get(users, u64(uint64(id)), &u, "user"); err != nil {
			return err
		}
		emails, address := tx.Bucket(bucketEmails), []byte(strings.ToLower(u.Email))
		if owner := emails.Get(address); owner != nil && beUint64(owner) != uint64(id) {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleAddressTaken)
		}
		if err := takeFromClaimants(tx, u.Email, id); err != nil {
			return err
		}
		u.EmailVerified, u.EmailLost, u.EmailUndeliverable = true, false, false
		if err := put(users, u64(uint64(id)), u); err != nil {
			return err
		}
		if err := emails.Put(address, u64(uint64(id))); err != nil {
			return err
		}
		if err := tx.Bucket(bucketVerifications).Delete(u64(uint64(id))); err != nil {
			return err
		}
		var err error
		joined, err = acceptInvitations(tx, u, now)
		return err
	})
	return joined, err
}

// takeFromClaimants removes every claim on address, marking each account
// but the winner's as having lost it and dropping its pending code.
func takeFromClaimants(tx *bolt.Tx, address string, winner workroom.UserID) error {
	claims, users := tx.Bucket(bucketEmailClaims), tx.Bucket(bucketUsers)
	prefix := claimPrefix(address)
	var keys [][]byte
	c := claims.Cursor()
	for k, _ := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := claims.Delete(k); err != nil {
			return err
		}
		loser := beUint64(k[len(prefix):])
		if loser == uint64(winner) {
			continue
		}
		var u workroom.User
		if err := get(users, u64(loser), &u, "user"); err != nil {
			return err
		}
		u.EmailLost = true
		if err := put(users, u64(loser), u); err != nil {
			return err
		}
		if err := tx.Bucket(bucketVerifications).Delete(u64(loser)); err != nil {
			return err
		}
	}
	return nil
}

// moveUnverifiedEmails turns the entries of stores written before
// addresses were held only once verified into claims.
func moveUnverifiedEmails(tx *bolt.Tx) error {
	emails, users := tx.Bucket(bucketEmails), tx.Bucket(bucketUsers)
	var unverified [][]byte
	err := emails.ForEach(func(k, id []byte) error {
		var u workroom.User
		if err := get(users, id, &u, "user"); err != nil || !u.EmailVerified {
			unverified = append(unverified, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range unverified {
		id := emails.Get(k)
		if err := tx.Bucket(bucketEmailClaims).Put(append(append(bytes.Clone(k), 0), id...), nil); err != nil {
			return err
		}
		if err := emails.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
