package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// Room implements workroom.Store.
func (db *DB) Room(ctx context.Context, id workroom.RoomID) (*workroom.Room, error) {
	var r workroom.Room
	if err := scanRoom(db.pool.QueryRow(ctx, `SELECT `+roomCols+` FROM rooms WHERE id = $1`, id), &r); err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// RoomsOf implements workroom.Store.
func (db *DB) RoomsOf(ctx context.Context, id workroom.UserID, before uint64, limit int) ([]workroom.Membership, error) {
	out, err := collect(ctx, db.pool, func(row scanner, ms *workroom.Membership) error {
		var off bool
		err := scanRoomAnd(row, &ms.Room, &ms.Role, &ms.Unread, &off, &ms.Draft)
		ms.Notify = !off
		return err
	}, `SELECT `+roomColsOf+`, m.role, m.unread, m.notify_off,
			EXISTS (SELECT 1 FROM drafts d WHERE d.room_id = m.room_id AND d.user_id = m.user_id)
		FROM members m JOIN rooms r ON r.id = m.room_id
		WHERE m.user_id = $1 AND r.activity < $2
		ORDER BY r.activity DESC LIMIT $3`, id, below(before), limit)
	if out == nil && err == nil {
		out = []workroom.Membership{}
	}
	return out, err
}

// scanRoomAnd scans a room's columns followed by more.
func scanRoomAnd(row scanner, r *workroom.Room, more ...any) error {
	return scanRoom(rowWithMore{row, more}, r)
}

// rowWithMore hands a scanner's trailing columns to more.
type rowWithMore struct {
	row  scanner
	more []any
}

func (r rowWithMore) Scan(dest ...any) error { return r.row.Scan(append(dest, r.more...)...) }

// Member implements workroom.Store.
func (db *DB) Member(ctx context.Context, room workroom.RoomID, user workroom.UserID) (*workroom.Member, error) {
	var m workroom.Member
	err := scanMember(db.pool.QueryRow(ctx, `SELECT `+memberCols+` FROM members WHERE room_id = $1 AND user_id = $2`, room, user), &m)
	if err != nil {
		return nil, notFound(err)
	}
	return &m, nil
}

// SetNotify implements workroom.Store.
func (db *DB) SetNotify(ctx context.Context, room workroom.RoomID, user workroom.UserID, on bool) error {
	ct, err := db.pool.Exec(ctx, `UPDATE members SET notify_off = $3 WHERE room_id = $1 AND user_id = $2`, room, user, !on)
	if err == nil && ct.RowsAffected() == 0 {
		return workroom.Refusal(workroom.ENOTFOUND, "")
	}
	return err
}

// Members implements workroom.Store.
func (db *DB) Members(ctx context.Context, room workroom.RoomID) ([]workroom.Member, error) {
	return members(ctx, db.pool, room)
}

// members reads a room's members, in the order they joined.
func members(ctx context.Context, q querier, room workroom.RoomID) ([]workroom.Member, error) {
	return collect(ctx, q, scanMember, `SELECT `+memberCols+` FROM members WHERE room_id = $1 ORDER BY joined, user_id`, room)
}

// AddMember implements workroom.Store.
func (db *DB) AddMember(ctx context.Context, m workroom.Member, mail *workroom.Mail) (*workroom.Room, error) {
	var r *workroom.Room
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if r, err = addMember(ctx, tx, m); err != nil {
			return err
		}
		return db.enqueueOne(ctx, tx, mail)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// addMember adds m to its room inside tx, as activity of the room, and
// returns the room. The room's row is locked first (as an append locks
// it), so the newcomer's read mark is the room's newest message and no
// message slips in uncounted between the two.
func addMember(ctx context.Context, tx pgx.Tx, m workroom.Member) (*workroom.Room, error) {
	var member bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM members WHERE room_id = $1 AND user_id = $2)`, m.RoomID, m.UserID).Scan(&member); err != nil {
		return nil, err
	}
	if member {
		return nil, workroom.Refusal(workroom.ECONFLICT, workroom.RuleAlreadyMember)
	}
	var r workroom.Room
	err := scanRoom(tx.QueryRow(ctx, `UPDATE rooms SET activity = nextval('room_activity') WHERE id = $1 RETURNING `+roomCols, m.RoomID), &r)
	if err != nil {
		return nil, notFound(err)
	}
	// Everything up to now counts as read: a newcomer's list does not
	// light up with the room's whole history.
	ct, err := tx.Exec(ctx, `INSERT INTO members (`+memberCols+`) VALUES ($1, $2, $3, $4, $5, $6, 0, $7)
		ON CONFLICT DO NOTHING`, m.RoomID, m.UserID, m.Name, m.Role, m.Joined, r.LastSeq, m.NotifyOff)
	if err != nil {
		return nil, err
	}
	if ct.RowsAffected() == 0 { // joined by a concurrent transaction
		return nil, workroom.Refusal(workroom.ECONFLICT, workroom.RuleAlreadyMember)
	}
	return &r, nil
}

// RemoveMember implements workroom.Store. The member's draft goes with
// the membership (drafts references members ON DELETE CASCADE).
func (db *DB) RemoveMember(ctx context.Context, room workroom.RoomID, user workroom.UserID) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		ct, err := tx.Exec(ctx, `DELETE FROM members WHERE room_id = $1 AND user_id = $2`, room, user)
		if err != nil {
			return err
		}
		if ct.RowsAffected() == 0 {
			return workroom.Refusal(workroom.ENOTFOUND, "")
		}
		return revokeReplyKey(ctx, tx, room, user)
	})
}
