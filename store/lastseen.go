package store

import (
	"context"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// SetLastSeen implements workroom.Store.
func (d *DB) SetLastSeen(ctx context.Context, seen []workroom.LastSeen) error {
	if len(seen) == 0 {
		return nil
	}
	return d.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLastSeen)
		for _, s := range seen {
			k := u64(uint64(s.UserID))
			if old, ok := readTime(b.Get(k)); ok && !s.At.After(old) {
				continue
			}
			v, err := s.At.UTC().MarshalBinary()
			if err != nil {
				return err
			}
			if err := b.Put(k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// LastSeen implements workroom.Store.
func (d *DB) LastSeen(_ context.Context, users []workroom.UserID) (map[workroom.UserID]time.Time, error) {
	out := make(map[workroom.UserID]time.Time)
	err := d.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLastSeen)
		for _, u := range users {
			if at, ok := readTime(b.Get(u64(uint64(u)))); ok {
				out[u] = at
			}
		}
		return nil
	})
	return out, err
}

// readTime decodes a stored time; ok is false for none.
func readTime(v []byte) (time.Time, bool) {
	var t time.Time
	if v == nil || t.UnmarshalBinary(v) != nil {
		return time.Time{}, false
	}
	return t, true
}
