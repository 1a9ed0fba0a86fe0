package store

import (
	"context"
	"time"

	bolt "go.etcd.io/bbolt"
)

// tally is one named count and the start of its window.
type tally struct {
	Start time.Time `json:"start"`
	Count int       `json:"count"`
}

// Tally implements workroom.Store.
func (d *DB) Tally(ctx context.Context, name string, now time.Time, window time.Duration, max int) (int, time.Time, error) {
	var t tally
	err := d.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTallies)
		if buf := b.Get([]byte(name)); buf == nil || get(b, []byte(name), &t, "tally") != nil || !now.Before(t.Start.Add(window)) {
			t = tally{Start: now}
		}
		if t.Count >= max {
			t.Count = max + 1 // refused: counted nowhere
			return nil
		}
		t.Count++
		return put(b, []byte(name), t)
	})
	return t.Count, t.Start.Add(window), err
}
