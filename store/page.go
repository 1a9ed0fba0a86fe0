package store

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// backwards walks b's keys that start with prefix and end in an id below
// before (every such key when before is 0), highest first, calling fn for
// each until it returns false. It is the one newest-first cursor walk of
// every paged list: its cost is the page, not the list.
func backwards(b *bolt.Bucket, prefix []byte, before uint64, fn func(k, v []byte) (bool, error)) error {
	c := b.Cursor()
	var k, v []byte
	switch end := afterPrefix(prefix); {
	case before != 0:
		k, v = seekBelow(c, append(bytes.Clone(prefix), u64(before)...))
	case end == nil:
		k, v = c.Last()
	default:
		k, v = seekBelow(c, end)
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		more, err := fn(k, v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// seekBelow positions c on the highest key below end.
func seekBelow(c *bolt.Cursor, end []byte) ([]byte, []byte) {
	if k, _ := c.Seek(end); k == nil {
		return c.Last()
	}
	return c.Prev()
}

// afterPrefix is the first key past every key starting with prefix; nil
// when there is none (an empty prefix, or one of 0xff bytes only).
func afterPrefix(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// indexed reads the newest-first page of an index whose keys are
// owner ‖ item id (client ‖ job, job ‖ proposal, freelancer ‖ proposal):
// up to limit items from the items bucket, below before.
func indexed[T any](d *DB, index, items []byte, owner, before uint64, limit int, what string) ([]T, error) {
	out := make([]T, 0, limit)
	err := d.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(items)
		return backwards(tx.Bucket(index), u64(owner), before, func(k, _ []byte) (bool, error) {
			var v T
			if err := get(b, u64(second(k)), &v, what); err != nil {
				return false, err
			}
			out = append(out, v)
			return len(out) < limit, nil
		})
	})
	return out, err
}
