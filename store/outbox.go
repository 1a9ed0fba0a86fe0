package store

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// mailLeases are the claims on outbox mail (Store.ClaimMail): mail id to
// the lease's end. They are kept in memory, not in the file: the file is
// one process's (Open refuses a file another holds), so a lease held here
// is as exclusive as one written down, and a crash ends every lease with
// the process that held it — mail a killed server was sending is due
// again as soon as it restarts, not when a lease runs out. Claiming
// writes nothing, so a sender's look costs no commit.
type mailLeases struct {
	mu    sync.Mutex
	until map[uint64]time.Time
}

// held reports whether mail id is leased past now. Call with mu held.
func (l *mailLeases) held(id uint64, now time.Time) bool {
	until, ok := l.until[id]
	return ok && until.After(now)
}

// drop ends the lease of mail id: its outcome was recorded.
func (l *mailLeases) drop(id uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.until, id)
}

// PendingMail implements workroom.Store. The outbox holds only what is not
// yet delivered, so a full scan stays short.
func (d *DB) PendingMail(ctx context.Context, now time.Time, limit int) ([]workroom.Mail, error) {
	d.leases.mu.Lock()
	defer d.leases.mu.Unlock()
	return d.due(now, limit)
}

// due is up to limit mails due at now and not leased, with each leased
// mail's NextTry its lease's end. Call with leases.mu held.
func (d *DB) due(now time.Time, limit int) ([]workroom.Mail, error) {
	var out []workroom.Mail
	err := d.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOutbox).Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			var m workroom.Mail
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			if !m.NextTry.After(now) && !d.leases.held(m.ID, now) {
				out = append(out, m)
			}
		}
		return nil
	})
	return out, err
}

// ClaimMail implements workroom.Store, with the leases in memory (see
// mailLeases).
func (d *DB) ClaimMail(ctx context.Context, now, until time.Time, limit int) ([]workroom.Mail, error) {
	d.leases.mu.Lock()
	defer d.leases.mu.Unlock()
	out, err := d.due(now, limit)
	if err != nil {
		return nil, err
	}
	if len(out) > 0 && d.leases.until == nil {
		d.leases.until = make(map[uint64]time.Time)
	}
	for i := range out {
		d.leases.until[out[i].ID] = until
		out[i].NextTry = until
	}
	// Ended leases go, so the map holds only mail being sent.
	for id, t := range d.leases.until {
		if !t.After(now) {
			delete(d.leases.until, id)
		}
	}
	return out, nil
}

// DeleteMail implements workroom.Store.
func (d *DB) DeleteMail(ctx context.Context, id uint64) error {
	err := d.update(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).Delete(u64(id))
	})
	if err == nil {
		d.leases.drop(id)
	}
	return err
}

// DeferMail implements workroom.Store. The mail's new NextTry replaces
// its lease.
func (d *DB) DeferMail(ctx context.Context, id uint64, attempts int, next time.Time, lastErr string) error {
	err := d.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		var m workroom.Mail
		if err := get(b, u64(id), &m, "mail"); err != nil {
			return err
		}
		m.Attempts, m.NextTry, m.LastError = attempts, next, lastErr
		return put(b, u64(id), m)
	})
	if err == nil {
		d.leases.drop(id)
	}
	return err
}
