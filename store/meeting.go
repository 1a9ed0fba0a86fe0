package store

import (
	"context"
	"encoding/json"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// SaveMeeting implements workroom.Store. Meeting IDs come from the
// bucket's sequence, so they grow with time across rooms.
func (d *DB) SaveMeeting(ctx context.Context, m *workroom.Meeting) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketRooms).Get(u64(uint64(m.RoomID))) == nil {
			return notFound("workroom")
		}
		b := tx.Bucket(bucketMeetings)
		if m.ID == 0 {
			id, err := b.NextSequence()
			if err != nil {
				return err
			}
			m.ID = id
		}
		return put(b, key2(uint64(m.RoomID), m.ID), m)
	})
}

// Meetings implements workroom.Store: a walk back from the room's newest
// meeting, which stops at the first that ended before lo (a room's
// meetings follow one another, so every older one did too).
func (d *DB) Meetings(ctx context.Context, room workroom.RoomID, lo, hi uint64) ([]workroom.Meeting, error) {
	var out []workroom.Meeting
	err := d.db.View(func(tx *bolt.Tx) error {
		return backwards(tx.Bucket(bucketMeetings), u64(uint64(room)), 0, func(_, v []byte) (bool, error) {
			var m workroom.Meeting
			if err := json.Unmarshal(v, &m); err != nil {
				return false, err
			}
			running := m.Ended.IsZero()
			if !running && m.Upto != 0 && m.Upto < lo {
				return false, nil
			}
			if m.From <= hi && (running || m.Upto >= lo) {
				out = append(out, m)
			}
			return true, nil
		})
	})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}
