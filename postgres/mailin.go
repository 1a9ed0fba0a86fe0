package postgres

import (
	"context"
	"crypto/sha256"
	"slices"

	"github.com/jackc/pgx/v5"

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

// PostMail implements workroom.Store: the files (each as CommitVersion
// records it, the quota checked over them all), the message (as
// AppendMessage appends it), the Message-ID and the mails in one
// transaction. Its locks come in the order the others take them: the
// room's usage row, then the room's row.
func (db *DB) PostMail(ctx context.Context, p *workroom.MailPosting) (*workroom.Room, []workroom.Member, error) {
	var r *workroom.Room
	var after []workroom.Member
	m := p.Message
	given := m.Attachments
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if p.MessageID != "" {
			var posted bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM mail_ids WHERE room_id = $1 AND id_sha256 = $2)`,
				m.RoomID, mailIDKey(p.MessageID)).Scan(&posted); err != nil {
				return err
			}
			if posted {
				return workroom.Refusal(workroom.ECONFLICT, workroom.RuleDuplicateMail)
			}
		}
		attached := slices.Clone(given)
		for _, c := range p.Files {
			f, _, err := commitVersion(ctx, tx, c)
			if err != nil {
				return err
			}
			attached = append(attached, workroom.Attachment{Path: f.Path, Version: f.Latest()})
		}
		m.Attachments = attached
		var err error
		if r, after, err = db.appendTx(ctx, tx, m, p.Mails); err != nil {
			return err
		}
		if p.MessageID == "" {
			return nil
		}
		// A redelivery racing this one waits here for it to commit,
		// then is refused by the key.
		_, err = tx.Exec(ctx, `INSERT INTO mail_ids (room_id, id_sha256, message_id) VALUES ($1, $2, $3)`,
			m.RoomID, mailIDKey(p.MessageID), m.ID)
		if uniqueViolation(err, "mail_ids_pkey") {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleDuplicateMail)
		}
		return err
	})
	if err != nil {
		m.Attachments = given
		return nil, nil, err
	}
	return r, after, nil
}
