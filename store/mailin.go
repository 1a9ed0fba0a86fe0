package store

import (
	"context"
	"crypto/sha256"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// Mail in: reply keys, the Message-IDs of mails posted (so a redelivery
// is not posted twice), and messages posted by mail with their files.

var (
	bucketReplyKeys       = []byte("reply_keys")        // key → ReplyKey
	bucketMemberReplyKeys = []byte("member_reply_keys") // room id ‖ user id → key
	bucketMailIDs         = []byte("mail_ids")          // room id ‖ Message-ID → message id
)

func init() {
	allBuckets = append(allBuckets, bucketReplyKeys, bucketMemberReplyKeys, bucketMailIDs)
}

// ReplyKey implements workroom.Store.
func (d *DB) ReplyKey(ctx context.Context, key string) (*workroom.ReplyKey, error) {
	var k workroom.ReplyKey
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketReplyKeys), []byte(key), &k, "reply key")
	})
	if err != nil {
		return nil, err
	}
	return &k, nil
}

// RevokeReplyKey implements workroom.Store.
func (d *DB) RevokeReplyKey(ctx context.Context, room workroom.RoomID, user workroom.UserID) error {
	return d.update(ctx, func(tx *bolt.Tx) error { return revokeReplyKey(tx, room, user) })
}

// revokeReplyKey drops the member's reply key for the room inside tx.
func revokeReplyKey(tx *bolt.Tx, room workroom.RoomID, user workroom.UserID) error {
	byMember := tx.Bucket(bucketMemberReplyKeys)
	mk := key2(uint64(room), uint64(user))
	key := byMember.Get(mk)
	if key == nil {
		return nil
	}
	if err := tx.Bucket(bucketReplyKeys).Delete(key); err != nil {
		return err
	}
	return byMember.Delete(mk)
}

// keepReplyKey makes m carry the member's reply key for the room: the one
// stored, or m's own, stored now.
func keepReplyKey(tx *bolt.Tx, m *workroom.Mail) error {
	k := m.ReplyKey
	if k == nil {
		return nil
	}
	byMember := tx.Bucket(bucketMemberReplyKeys)
	mk := key2(uint64(k.RoomID), uint64(k.UserID))
	if have := byMember.Get(mk); have != nil {
		var kept workroom.ReplyKey
		if err := get(tx.Bucket(bucketReplyKeys), have, &kept, "reply key"); err != nil {
			return err
		}
		m.ReplyKey = &kept
		return nil
	}
	if err := put(tx.Bucket(bucketReplyKeys), []byte(k.Key), k); err != nil {
		return err
	}
	return byMember.Put(mk, []byte(k.Key))
}

// MarkUndeliverable implements workroom.Store.
func (d *DB) MarkUndeliverable(ctx context.Context, address string) (*workroom.User, error) {
	var u workroom.User
	err := d.update(ctx, func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketEmails).Get([]byte(strings.ToLower(address)))
		if id == nil {
			return notFound("verified address")
		}
		users := tx.Bucket(bucketUsers)
		if err := get(users, id, &u, "user"); err != nil {
			return err
		}
		u.EmailUndeliverable = true
		return put(users, id, u)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// mailIDKey is room id ‖ SHA-256 of the Message-ID: a sender chooses the
// Message-ID, and a bbolt key may not be longer than 32 KiB.
func mailIDKey(room workroom.RoomID, messageID string) []byte {
	sum := sha256.Sum256([]byte(messageID))
	return append(u64(uint64(room)), sum[:]...)
}

// MailPosted implements workroom.Store.
func (d *DB) MailPosted(ctx context.Context, room workroom.RoomID, messageID string) (uint64, error) {
	var id uint64
	err := d.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMailIDs).Get(mailIDKey(room, messageID))
		if v == nil {
			return notFound("mail")
		}
		id = beUint64(v)
		return nil
	})
	return id, err
}

// PostMail implements workroom.Store: the files, the message, the
// Message-ID and the mails in one transaction.
func (d *DB) PostMail(ctx context.Context, p *workroom.MailPosting) (*workroom.Room, []workroom.Member, error) {
	var r workroom.Room
	var after []workroom.Member
	m := p.Message
	err := d.update(ctx, func(tx *bolt.Tx) error {
		ids := tx.Bucket(bucketMailIDs)
		if p.MessageID != "" && ids.Get(mailIDKey(m.RoomID, p.MessageID)) != nil {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleDuplicateMail)
		}
		attached := m.Attachments
		for _, c := range p.Files {
			var f workroom.File
			if _, err := commitVersion(tx, c, &f); err != nil {
				return err
			}
			attached = append(attached, workroom.Attachment{Path: f.Path, Version: f.Latest()})
		}
		m.Attachments = attached
		var err error
		if after, err = appendMessage(tx, m, p.Mails, &r); err != nil {
			return err
		}
		if p.MessageID == "" {
			return nil
		}
		return ids.Put(mailIDKey(m.RoomID, p.MessageID), u64(m.ID))
	})
	if err != nil {
		return nil, nil, err
	}
	return &r, after, nil
}
