package postgres

import (
	"context"
	"strings"

	"github.com/workroom/workroom"
)

// ReplyKey implements workroom.Store.
func (db *DB) ReplyKey(ctx context.Context, key string) (*workroom.ReplyKey, error) {
	var k workroom.ReplyKey
	err := scanReplyKey(db.pool.QueryRow(ctx, `SELECT `+replyKeyCols+` FROM reply_keys WHERE key = $1`, key), &k)
	if err != nil {
		return nil, notFound(err)
	}
	return &k, nil
}

// RevokeReplyKey implements workroom.Store.
func (db *DB) RevokeReplyKey(ctx context.Context, room workroom.RoomID, user workroom.UserID) error {
	return revokeReplyKey(ctx, db.pool, room, user)
}

func revokeReplyKey(ctx context.Context, q querier, room workroom.RoomID, user workroom.UserID) error {
	_, err := q.Exec(ctx, `DELETE FROM reply_keys WHERE room_id = $1 AND user_id = $2`, room, user)
	return err
}

// MarkUndeliverable implements workroom.Store.
func (db *DB) MarkUndeliverable(ctx context.Context, address string) (*workroom.User, error) {
	var u workroom.User
	err := scanUser(db.pool.QueryRow(ctx, `UPDATE users SET email_undeliverable = true
		WHERE email_key = $1 AND email_verified RETURNING `+userCols, strings.ToLower(address)), &u)
	if err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}
