package store

import (
	"context"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// SaveDraft implements workroom.Store.
func (d *DB) SaveDraft(ctx context.Context, room workroom.RoomID, user workroom.UserID, text string) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMembers).Get(key2(uint64(room), uint64(user))) == nil {
			return notFound("member")
		}
		drafts := tx.Bucket(bucketDrafts)
		if text == "" {
			return drafts.Delete(key2(uint64(room), uint64(user)))
		}
		return drafts.Put(key2(uint64(room), uint64(user)), []byte(text))
	})
}

// Draft implements workroom.Store.
func (d *DB) Draft(ctx context.Context, room workroom.RoomID, user workroom.UserID) (string, error) {
	var text string
	err := d.db.View(func(tx *bolt.Tx) error {
		text = string(tx.Bucket(bucketDrafts).Get(key2(uint64(room), uint64(user))))
		return nil
	})
	return text, err
}

// hasDraft reports, inside tx, whether the member keeps a draft.
func hasDraft(tx *bolt.Tx, room workroom.RoomID, user workroom.UserID) bool {
	return tx.Bucket(bucketDrafts).Get(key2(uint64(room), uint64(user))) != nil
}

// clearDraft drops the author's draft of a room they just posted in.
func clearDraft(tx *bolt.Tx, room workroom.RoomID, user workroom.UserID) error {
	return tx.Bucket(bucketDrafts).Delete(key2(uint64(room), uint64(user)))
}
