package store

import (
	"bytes"
	"encoding/json"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// Room implements workroom.Store.
func (d *DB) Room(id workroom.RoomID) (*workroom.Room, error) {
	var r workroom.Room
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketRooms), u64(uint64(id)), &r, "workroom")
	})
	return &r, err
}

// RoomsOf implements workroom.Store.
func (d *DB) RoomsOf(id workroom.UserID) ([]workroom.Membership, error) {
	var out []workroom.Membership
	err := d.db.View(func(tx *bolt.Tx) error {
		rooms, members := tx.Bucket(bucketRooms), tx.Bucket(bucketMembers)
		for _, rid := range prefixIDs(tx.Bucket(bucketMemberships), uint64(id)) {
			var ms workroom.Membership
			if err := get(rooms, u64(rid), &ms.Room, "workroom"); err != nil {
				return err
			}
			var m workroom.Member
			if err := get(members, key2(rid, uint64(id)), &m, "member"); err != nil {
				return err
			}
			ms.Role, ms.Unread = m.Role, m.Unread
			out = append(out, ms)
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b workroom.Membership) int {
		if c := b.LastActivity.Compare(a.LastActivity); c != 0 {
			return c
		}
		return int(b.ID) - int(a.ID)
	})
	return out, err
}

// Member implements workroom.Store.
func (d *DB) Member(room workroom.RoomID, user workroom.UserID) (*workroom.Member, error) {
	var m workroom.Member
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketMembers), key2(uint64(room), uint64(user)), &m, "member")
	})
	return &m, err
}

// Members implements workroom.Store.
func (d *DB) Members(room workroom.RoomID) ([]workroom.Member, error) {
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
