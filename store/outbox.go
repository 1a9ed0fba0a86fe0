package store

import (
	"context"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// PendingMail implements workroom.Store. The outbox holds only what is not
// yet delivered, so a full scan stays short.
func (d *DB) PendingMail(ctx context.Context, now time.Time, limit int) ([]workroom.Mail, error) {
	var out []workroom.Mail
	err := d.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOutbox).Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			var m workroom.Mail
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			if !m.NextTry.After(now) {
				out = append(out, m)
			}
		}
		return nil
	})
	return out, err
}

// DeleteMail implements workroom.Store.
func (d *DB) DeleteMail(ctx context.Context, id uint64) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).Delete(u64(id))
	})
}

// DeferMail implements workroom.Store.
func (d *DB) DeferMail(ctx context.Context, id uint64, attempts int, next time.Time, lastErr string) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		var m workroom.Mail
		if err := get(b, u64(id), &m, "mail"); err != nil {
			return err
		}
		m.Attempts, m.NextTry, m.LastError = attempts, next, lastErr
		return put(b, u64(id), m)
	})
}

// ClaimMail implements workroom.Store: one write transaction hands the
// due mails out and moves each one's NextTry to the lease's end. A sender
// looks every few seconds, mostly at nothing due, so a read comes first
// and only a claim that takes something writes.
func (d *DB) ClaimMail(ctx context.Context, now, until time.Time, limit int) ([]workroom.Mail, error) {
	if due, err := d.PendingMail(ctx, now, 1); err != nil || len(due) == 0 {
		return nil, err
	}
	var out []workroom.Mail
	err := d.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		c := b.Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			var m workroom.Mail
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			if !m.NextTry.After(now) {
				m.NextTry = until
				out = append(out, m)
			}
		}
		for _, m := range out {
			if err := put(b, u64(m.ID), m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
