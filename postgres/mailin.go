package postgres

import (
	"context"
	"crypto/sha256"

	"github.com/workroom/workroom"
)

// Mail in: the Message-IDs of mails posted, so that a redelivery is not
// posted twice, and messages posted by mail with their files. (Reply
// keys and bounces are with the accounts and the outbox.)

// mailIDKey is the SHA-256 of a Message-ID: a sender chooses it, of any
// length and any bytes.
func mailIDKey(messageID string) []byte {
	sum := sha256.Sum256([]byte(messageID))
	return sum[:]
}

// MailPosted implements workroom.Store.
func (db *DB) MailPosted(ctx context.Context, room workroom.RoomID, messageID string) (uint64, error) {
	var id uint64
	err := db.pool.QueryRow(ctx, `SELECT message_id FROM mail_ids WHERE room_id = $1 AND id_sha256 = $2`,
		room, mailIDKey(messageID)).Scan(&id)
	return id, notFound(err)
}
