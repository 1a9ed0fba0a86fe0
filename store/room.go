package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// Room implements workroom.Store.
func (d *DB) Room(ctx context.Context, id workroom.RoomID) (*workroom.Room, error) {
	var r workroom.Room
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketRooms), u64(uint64(id)), &r, "workroom")
	})
	return &r, err
}

// RoomsOf implements workroom.Store: a backwards walk of the user's
// rooms by activity.
func (d *DB) RoomsOf(ctx context.Context, id workroom.UserID, before uint64, limit int) ([]workroom.Membership, error) {
	// Not made for limit: most people are in a few rooms, and a session
	// keeps the list it shows (9 KB each for 50, measured at 1,000).
	out := []workroom.Membership{}
	err := d.db.View(func(tx *bolt.Tx) error {
		rooms, members := tx.Bucket(bucketRooms), tx.Bucket(bucketMembers)
		return backwards(tx.Bucket(bucketRoomActivity), u64(uint64(id)), before, func(_, v []byte) (bool, error) {
			var ms workroom.Membership
			if err := get(rooms, v, &ms.Room, "workroom"); err != nil {
				return false, err
			}
			var m workroom.Member
			if err := get(members, key2(beUint64(v), uint64(id)), &m, "member"); err != nil {
				return false, err
			}
			ms.Role, ms.Unread, ms.Draft, ms.Notify = m.Role, m.Unread, hasDraft(tx, ms.ID, id), !m.NotifyOff
			out = append(out, ms)
			return len(out) < limit, nil
		})
	})
	return out, err
}

// touchRoom gives r the next activity position and moves it to the top of
// each member's room list, so listing rooms most recently active first is
// a cursor walk. Whatever counts as activity, and adding a member to a
// room, must come through here.
func touchRoom(tx *bolt.Tx, r *workroom.Room, members []workroom.Member) error {
	idx := tx.Bucket(bucketRoomActivity)
	seq, err := idx.NextSequence()
	if err != nil {
		return err
	}
	for _, m := range members {
		if r.Activity != 0 {
			if err := idx.Delete(key2(uint64(m.UserID), r.Activity)); err != nil {
				return err
			}
		}
		if err := idx.Put(key2(uint64(m.UserID), seq), u64(uint64(r.ID))); err != nil {
			return err
		}
	}
	r.Activity = seq
	return nil
}

// indexRoomActivity builds the activity index of a store written before
// it existed: rooms in the order of their last activity, then of id.
func indexRoomActivity(tx *bolt.Tx) error {
	if tx.Bucket(bucketRoomActivity).Sequence() != 0 {
		return nil
	}
	var all []workroom.Room
	err := tx.Bucket(bucketRooms).ForEach(func(_, v []byte) error {
		var r workroom.Room
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		all = append(all, r)
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(all, func(a, b workroom.Room) int {
		if c := a.LastActivity.Compare(b.LastActivity); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	for _, r := range all {
		ms, err := members(tx, r.ID)
		if err != nil {
			return err
		}
		r.Activity = 0
		if err := touchRoom(tx, &r, ms); err != nil {
			return err
		}
		if err := put(tx.Bucket(bucketRooms), u64(uint64(r.ID)), r); err != nil {
			return err
		}
	}
	return nil
}

// Member implements workroom.Store.
func (d *DB) Member(ctx context.Context, room workroom.RoomID, user workroom.UserID) (*workroom.Member, error) {
	var m workroom.Member
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketMembers), key2(uint64(room), uint64(user)), &m, "member")
	})
	return &m, err
}

// SetNotify implements workroom.Store.
func (d *DB) SetNotify(ctx context.Context, room workroom.RoomID, user workroom.UserID, on bool) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		var m workroom.Member
		if err := get(tx.Bucket(bucketMembers), key2(uint64(room), uint64(user)), &m, "member"); err != nil {
			return err
		}
		m.NotifyOff = !on
		return put(tx.Bucket(bucketMembers), key2(uint64(room), uint64(user)), m)
	})
}

// Members implements workroom.Store.
func (d *DB) Members(ctx context.Context, room workroom.RoomID) ([]workroom.Member, error) {
	var out []workroom.Member
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = members(tx, room)
		return err
	})
	return out, err
}

// members reads a room's members inside tx, in the order they joined.
func members(tx *bolt.Tx, room workroom.RoomID) ([]workroom.Member, error) {
	var out []workroom.Member
	prefix := u64(uint64(room))
	c := tx.Bucket(bucketMembers).Cursor()
	for k, v := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var m workroom.Member
		if err := json.Unmarshal(v, &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b workroom.Member) int { return a.Joined.Compare(b.Joined) })
	return out, nil
}

// putMember writes a member and its reverse index.
func putMember(tx *bolt.Tx, m workroom.Member) error {
	if err := put(tx.Bucket(bucketMembers), key2(uint64(m.RoomID), uint64(m.UserID)), m); err != nil {
		return err
	}
	return tx.Bucket(bucketMemberships).Put(key2(uint64(m.UserID), uint64(m.RoomID)), nil)
}
