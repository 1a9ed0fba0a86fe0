package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

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

// keepReplyKeys makes each mail that carries a reply key carry the
// member's key for the room: the one stored, or its own, stored now.
// One round trip for every mail; a member's key a concurrent transaction
// stored after this statement's snapshot is read again after it.
func keepReplyKeys(ctx context.Context, tx pgx.Tx, mails []workroom.Mail) error {
	b := &pgx.Batch{}
	var missing []*workroom.Mail
	for i := range mails {
		m := &mails[i]
		k := m.ReplyKey
		if k == nil {
			continue
		}
		b.Queue(`WITH ins AS (
				INSERT INTO reply_keys (key, room_id, user_id, created) VALUES ($1, $2, $3, $4)
				ON CONFLICT DO NOTHING RETURNING `+replyKeyCols+`)
			SELECT `+replyKeyCols+` FROM ins
			UNION ALL SELECT `+replyKeyCols+` FROM reply_keys WHERE room_id = $2 AND user_id = $3
			LIMIT 1`, k.Key, k.RoomID, k.UserID, k.Created,
		).QueryRow(func(row pgx.Row) error {
			var kept workroom.ReplyKey
			err := scanReplyKey(row, &kept)
			if errors.Is(err, pgx.ErrNoRows) {
				missing = append(missing, m)
				return nil
			}
			m.ReplyKey = &kept
			return err
		})
	}
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	for _, m := range missing {
		var kept workroom.ReplyKey
		err := scanReplyKey(tx.QueryRow(ctx, `SELECT `+replyKeyCols+` FROM reply_keys WHERE room_id = $1 AND user_id = $2`, m.ReplyKey.RoomID, m.ReplyKey.UserID), &kept)
		if err != nil {
			// Neither stored nor found: the key itself is another
			// member's, which 128 random bits make a bug, not luck.
			return fmt.Errorf("postgres: reply key %s…: %w", m.ReplyKey.Key[:min(4, len(m.ReplyKey.Key))], err)
		}
		m.ReplyKey = &kept
	}
	return nil
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
