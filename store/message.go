package store

import (
	"bytes"
	"context"
	"encoding/json"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// AppendMessage implements workroom.Store. The sequence comes from the
// room record inside the same transaction, so concurrent appends to a room
// get gapless, unique IDs.
func (d *DB) AppendMessage(ctx context.Context, m *workroom.Message, mails []workroom.Mail) (*workroom.Room, []workroom.Member, error) {
	var r workroom.Room
	var after []workroom.Member
	err := d.updateJoined(ctx, func(tx *bolt.Tx) error {
		// A run after one rolled back starts afresh: decoding into the
		// room left from it would keep what its JSON leaves out.
		r = workroom.Room{}
		var err error
		after, err = appendMessage(tx, m, mails, &r)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return &r, after, nil
}

// appendMessage is AppendMessage inside tx; r receives the room.
func appendMessage(tx *bolt.Tx, m *workroom.Message, mails []workroom.Mail, r *workroom.Room) ([]workroom.Member, error) {
	rooms := tx.Bucket(bucketRooms)
	if err := get(rooms, u64(uint64(m.RoomID)), r, "workroom"); err != nil {
		return nil, err
	}
	r.LastSeq++
	r.LastActivity = m.Created
	m.ID = r.LastSeq
	ms, err := members(tx, r.ID)
	if err != nil {
		return nil, err
	}
	if err := touchRoom(tx, r, ms); err != nil {
		return nil, err
	}
	if err := put(tx.Bucket(bucketMessages), key2(uint64(r.ID), m.ID), m); err != nil {
		return nil, err
	}
	if err := put(rooms, u64(uint64(r.ID)), r); err != nil {
		return nil, err
	}
	after, err := countUnread(ms, tx, m)
	if err != nil {
		return nil, err
	}
	if err := clearDraft(tx, r.ID, m.AuthorID); err != nil {
		return nil, err
	}
	for i := range mails {
		if err := enqueue(tx, &mails[i]); err != nil {
			return nil, err
		}
	}
	return after, nil
}

// countUnread adds the new message to every other member's unread count
// and returns the members as they are now. The author's own message never
// counts: a caught-up author stays caught up.
func countUnread(ms []workroom.Member, tx *bolt.Tx, m *workroom.Message) ([]workroom.Member, error) {
	for i := range ms {
		mb := &ms[i]
		switch {
		case mb.UserID != m.AuthorID:
			mb.Unread++
		case mb.Unread == 0:
			mb.LastRead = m.ID
		default:
			continue
		}
		if err := putMember(tx, *mb); err != nil {
			return nil, err
		}
	}
	return ms, nil
}

// Page implements workroom.Store: a backwards cursor walk from before.
func (d *DB) Page(ctx context.Context, room workroom.RoomID, before uint64, limit int) ([]workroom.Message, error) {
	// Not made for limit: a page is often short, and a session keeps
	// the page it shows.
	out := []workroom.Message{}
	err := d.db.View(func(tx *bolt.Tx) error {
		return backwards(tx.Bucket(bucketMessages), u64(uint64(room)), before, func(_, v []byte) (bool, error) {
			var m workroom.Message
			if err := json.Unmarshal(v, &m); err != nil {
				return false, err
			}
			out = append(out, m)
			return len(out) < limit, nil
		})
	})
	return out, err
}

// MarkRead implements workroom.Store: every mark in one transaction, so
// the service's coalesced read marks cost one synced commit per flush.
func (d *DB) MarkRead(ctx context.Context, marks []workroom.ReadMark) error {
	if len(marks) == 0 {
		return nil
	}
	return d.update(ctx, func(tx *bolt.Tx) error {
		for _, rm := range marks {
			if err := markRead(tx, rm); err != nil {
				return err
			}
		}
		return nil
	})
}

// markRead moves one member's mark forward inside tx; a member or room
// that is gone is skipped.
func markRead(tx *bolt.Tx, rm workroom.ReadMark) error {
	var r workroom.Room
	err := get(tx.Bucket(bucketRooms), u64(uint64(rm.RoomID)), &r, "workroom")
	if workroom.ErrorCode(err) == workroom.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	var m workroom.Member
	err = get(tx.Bucket(bucketMembers), key2(uint64(rm.RoomID), uint64(rm.UserID)), &m, "member")
	if workroom.ErrorCode(err) == workroom.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	upto := min(rm.Upto, r.LastSeq)
	if upto <= m.LastRead {
		return nil
	}
	unread, err := unreadAfter(tx, rm.RoomID, rm.UserID, upto)
	if err != nil {
		return err
	}
	m.LastRead, m.Unread = upto, unread
	return putMember(tx, m)
}

// unreadAfter counts messages by others after seq. Reading usually marks
// up to the newest message, so this walk is usually empty.
func unreadAfter(tx *bolt.Tx, room workroom.RoomID, user workroom.UserID, seq uint64) (int, error) {
	n := 0
	prefix := u64(uint64(room))
	c := tx.Bucket(bucketMessages).Cursor()
	for k, v := c.Seek(key2(uint64(room), seq+1)); bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var m workroom.Message
		if err := json.Unmarshal(v, &m); err != nil {
			return 0, err
		}
		if m.AuthorID != user {
			n++
		}
	}
	return n, nil
}
