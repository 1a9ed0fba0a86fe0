package postgres

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// AppendMessage implements workroom.Store: one batch, run in
// PostgreSQL's implicit transaction (all of it or none), so one round
// trip, and the room's row is held only while the server runs it.
func (db *DB) AppendMessage(ctx context.Context, m *workroom.Message, mails []workroom.Mail) (*workroom.Room, []workroom.Member, error) {
	a, err := newAppend(m, mails)
	if err != nil {
		return nil, nil, err
	}
	if err := db.pool.SendBatch(ctx, &a.batch).Close(); err != nil {
		return nil, nil, unavailable(err)
	}
	return a.done()
}

// appendTx is AppendMessage inside tx, for writes that append a message
// among others (PostMail).
func (db *DB) appendTx(ctx context.Context, tx pgx.Tx, m *workroom.Message, mails []workroom.Mail) (*workroom.Room, []workroom.Member, error) {
	a, err := newAppend(m, mails)
	if err != nil {
		return nil, nil, err
	}
	if err := tx.SendBatch(ctx, &a.batch).Close(); err != nil {
		return nil, nil, err
	}
	return a.done()
}

// appending is one append's batch and what it reads back.
type appending struct {
	batch pgx.Batch
	m     *workroom.Message
	room  workroom.Room
	ms    []workroom.Member
}

// newAppend queues an append of m and its mails. The first statement
// takes the room's next sequence and, with it, the room's row lock: concurrent appends to
// a room queue there and get gapless ids, while appends to different
// rooms do not wait for each other. The statements after it are
// statements of their own so that their snapshots are taken once the
// lock is held, and see every member a transaction that held it before
// added. Each does nothing when there was no room to update, so a batch
// for a room that does not exist commits nothing even in the implicit
// transaction (a refusal read from the first result does not stop the
// rest from running). A statement the server refuses undoes the whole
// batch.
func newAppend(m *workroom.Message, mails []workroom.Mail) (*appending, error) {
	attached, err := jsonOrNull(m.Attachments, len(m.Attachments) == 0)
	if err != nil {
		return nil, err
	}
	a := &appending{m: m}
	b := &a.batch
	b.Queue(`UPDATE rooms SET last_seq = last_seq + 1, last_activity = $2, activity = nextval('room_activity')
		WHERE id = $1 RETURNING `+roomCols, m.RoomID, m.Created,
	).QueryRow(func(row pgx.Row) error { return notFound(scanRoom(row, &a.room)) })
	b.Queue(`INSERT INTO messages (`+messageCols+`)
		SELECT id, last_seq, $2, $3, $4, $5, $6, $7, $8 FROM rooms WHERE id = $1`,
		m.RoomID, m.AuthorID, m.AuthorName, m.Body, m.Source, m.Created, attached, m.Unverified)
	// Every other member has one more unread; the author's own message
	// never counts, and a caught-up author stays caught up.
	b.Queue(`UPDATE members SET
			unread = unread + CASE WHEN user_id <> $2 THEN 1 ELSE 0 END,
			last_read = CASE WHEN user_id = $2 AND unread = 0 THEN (SELECT last_seq FROM rooms WHERE id = $1) ELSE last_read END
		WHERE room_id = $1 RETURNING `+memberCols, m.RoomID, m.AuthorID,
	).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var mb workroom.Member
			if err := scanMember(rows, &mb); err != nil {
				return err
			}
			a.ms = append(a.ms, mb)
		}
		return rows.Err()
	})
	b.Queue(`DELETE FROM drafts WHERE room_id = $1 AND user_id = $2`, m.RoomID, m.AuthorID)
	for i := range mails {
		queueMail(b, &mails[i], m.RoomID)
	}
	return a, nil
}

// done gives m its id and returns the room and members as the batch
// left them.
func (a *appending) done() (*workroom.Room, []workroom.Member, error) {
	a.m.ID = a.room.LastSeq
	sortMembers(a.ms)
	return &a.room, a.ms, nil
}

// sortMembers orders members as they joined (then by id, as bbolt's
// stable sort of its id-ordered keys does).
func sortMembers(ms []workroom.Member) {
	slices.SortFunc(ms, func(a, b workroom.Member) int {
		if c := a.Joined.Compare(b.Joined); c != 0 {
			return c
		}
		return cmp.Compare(a.UserID, b.UserID)
	})
}

// Page implements workroom.Store: a backwards range scan of the
// primary key (room_id, id).
func (db *DB) Page(ctx context.Context, room workroom.RoomID, before uint64, limit int) ([]workroom.Message, error) {
	out, err := collect(ctx, db.pool, scanMessage,
		`SELECT `+messageCols+` FROM messages WHERE room_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`,
		room, below(before), limit)
	if out == nil && err == nil {
		out = []workroom.Message{}
	}
	return out, err
}

// MarkRead implements workroom.Store: every mark in one batch, which
// PostgreSQL runs as one transaction, in one round trip. Each mark first takes its room's row in share mode, so
// no append to that room runs between the recount and the write (an
// append holds the row exclusively from its sequence to its commit),
// while marks of many readers of one room do not wait for each other.
// The recount is a statement of its own, so that its snapshot is taken
// after the lock is held. Marks go in room order, so two batches never
// wait for each other's rooms in a cycle.
func (db *DB) MarkRead(ctx context.Context, marks []workroom.ReadMark) error {
	if len(marks) == 0 {
		return nil
	}
	marks = slices.Clone(marks)
	slices.SortFunc(marks, func(a, b workroom.ReadMark) int {
		if c := cmp.Compare(a.RoomID, b.RoomID); c != 0 {
			return c
		}
		return cmp.Compare(a.UserID, b.UserID)
	})
	b := &pgx.Batch{}
	for _, rm := range marks {
		b.Queue(`SELECT 1 FROM rooms WHERE id = $1 FOR SHARE`, rm.RoomID)
		b.Queue(`UPDATE members m SET last_read = u.upto,
					unread = (SELECT count(*) FROM messages WHERE room_id = $1 AND id > u.upto AND author_id <> $2)
				FROM (SELECT least($3::bigint, last_seq) AS upto FROM rooms WHERE id = $1) u
				WHERE m.room_id = $1 AND m.user_id = $2 AND u.upto > m.last_read`,
			rm.RoomID, rm.UserID, int64(min(rm.Upto, math.MaxInt64)))
	}
	return unavailable(db.pool.SendBatch(ctx, b).Close())
}
