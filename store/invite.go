package store

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// Invitations are kept twice: by room (room id ‖ lowercased address →
// Invitation), for the client's list, and by address (lowercased address
// ‖ 0 ‖ room id → nil), so verifying an address finds its invitations
// without a scan.

func invitationKey(room workroom.RoomID, email string) []byte {
	return append(u64(uint64(room)), strings.ToLower(email)...)
}

func addressInvitationKey(email string, room workroom.RoomID) []byte {
	return append(claimPrefix(email), u64(uint64(room))...)
}

// AddMember implements workroom.Store.
func (d *DB) AddMember(ctx context.Context, m workroom.Member, mail *workroom.Mail) (*workroom.Room, error) {
	var r workroom.Room
	err := d.update(ctx, func(tx *bolt.Tx) error {
		var err error
		r, err = addMember(tx, m)
		if err != nil {
			return err
		}
		return enqueue(tx, mail)
	})
	return &r, err
}

// addMember adds m to its room inside tx, as activity of the room.
func addMember(tx *bolt.Tx, m workroom.Member) (workroom.Room, error) {
	var r workroom.Room
	rooms := tx.Bucket(bucketRooms)
	if err := get(rooms, u64(uint64(m.RoomID)), &r, "workroom"); err != nil {
		return r, err
	}
	if tx.Bucket(bucketMembers).Get(key2(uint64(m.RoomID), uint64(m.UserID))) != nil {
		return r, workroom.Refusal(workroom.ECONFLICT, workroom.RuleAlreadyMember)
	}
	// Everything up to now counts as read: a newcomer's list does not
	// light up with the room's whole history.
	m.LastRead, m.Unread = r.LastSeq, 0
	if err := putMember(tx, m); err != nil {
		return r, err
	}
	ms, err := members(tx, m.RoomID)
	if err != nil {
		return r, err
	}
	if err := touchRoom(tx, &r, ms); err != nil {
		return r, err
	}
	return r, put(rooms, u64(uint64(r.ID)), r)
}

// RemoveMember implements workroom.Store.
func (d *DB) RemoveMember(ctx context.Context, room workroom.RoomID, user workroom.UserID) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		var r workroom.Room
		if err := get(tx.Bucket(bucketRooms), u64(uint64(room)), &r, "workroom"); err != nil {
			return err
		}
		k := key2(uint64(room), uint64(user))
		if tx.Bucket(bucketMembers).Get(k) == nil {
			return notFound("member")
		}
		for _, del := range []struct {
			b []byte
			k []byte
		}{
			{bucketMembers, k},
			{bucketMemberships, key2(uint64(user), uint64(room))},
			{bucketRoomActivity, key2(uint64(user), r.Activity)},
			{bucketDrafts, k},
		} {
			if err := tx.Bucket(del.b).Delete(del.k); err != nil {
				return err
			}
		}
		return revokeReplyKey(tx, room, user)
	})
}

// Invite implements workroom.Store.
func (d *DB) Invite(ctx context.Context, inv workroom.Invitation, mail *workroom.Mail) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketRooms).Get(u64(uint64(inv.RoomID))) == nil {
			return notFound("workroom")
		}
		if err := put(tx.Bucket(bucketInvitations), invitationKey(inv.RoomID, inv.Email), inv); err != nil {
			return err
		}
		if err := tx.Bucket(bucketAddressInvitations).Put(addressInvitationKey(inv.Email, inv.RoomID), nil); err != nil {
			return err
		}
		return enqueue(tx, mail)
	})
}

// Invitations implements workroom.Store.
func (d *DB) Invitations(ctx context.Context, room workroom.RoomID) ([]workroom.Invitation, error) {
	var out []workroom.Invitation
	err := d.db.View(func(tx *bolt.Tx) error {
		prefix := u64(uint64(room))
		c := tx.Bucket(bucketInvitations).Cursor()
		for k, v := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var inv workroom.Invitation
			if err := json.Unmarshal(v, &inv); err != nil {
				return err
			}
			out = append(out, inv)
		}
		return nil
	})
	return out, err
}

// CancelInvitation implements workroom.Store.
func (d *DB) CancelInvitation(ctx context.Context, room workroom.RoomID, email string) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		k := invitationKey(room, email)
		if tx.Bucket(bucketInvitations).Get(k) == nil {
			return notFound("invitation")
		}
		if err := tx.Bucket(bucketInvitations).Delete(k); err != nil {
			return err
		}
		return tx.Bucket(bucketAddressInvitations).Delete(addressInvitationKey(email, room))
	})
}

// acceptInvitations turns every pending invitation for the user's address
// into a membership, inside the verification's transaction, and returns
// those rooms as the user now sees them. An invitation to a room the user
// is in already (they joined another way) is simply dropped.
func acceptInvitations(tx *bolt.Tx, u workroom.User, now time.Time) ([]workroom.Membership, error) {
	prefix := claimPrefix(u.Email)
	var keys [][]byte
	c := tx.Bucket(bucketAddressInvitations).Cursor()
	for k, _ := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	var joined []workroom.Membership
	for _, k := range keys {
		room := workroom.RoomID(beUint64(k[len(prefix):]))
		var inv workroom.Invitation
		ik := invitationKey(room, u.Email)
		if err := get(tx.Bucket(bucketInvitations), ik, &inv, "invitation"); err != nil {
			return nil, err
		}
		for _, del := range [][2][]byte{{bucketInvitations, ik}, {bucketAddressInvitations, k}} {
			if err := tx.Bucket(del[0]).Delete(del[1]); err != nil {
				return nil, err
			}
		}
		m := workroom.Member{RoomID: room, UserID: u.ID, Name: u.Name, Role: inv.Role, Joined: now}
		r, err := addMember(tx, m)
		switch {
		case workroom.ErrorRule(err) == workroom.RuleAlreadyMember || workroom.ErrorCode(err) == workroom.ENOTFOUND:
			continue
		case err != nil:
			return nil, err
		}
		joined = append(joined, workroom.Membership{Room: r, Role: inv.Role, Notify: true})
	}
	return joined, nil
}
