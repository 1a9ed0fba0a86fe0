package postgres

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// Invite implements workroom.Store: one invitation per room and address
// (case-insensitive), the newest replacing the one before.
func (db *DB) Invite(ctx context.Context, inv workroom.Invitation, mail *workroom.Mail) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		ct, err := tx.Exec(ctx, `INSERT INTO invitations (email_key, `+invitationCols+`)
			SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM rooms WHERE id = $2)
			ON CONFLICT (room_id, email_key) DO UPDATE SET
				email = EXCLUDED.email, role = EXCLUDED.role, invited_by = EXCLUDED.invited_by, created = EXCLUDED.created`,
			strings.ToLower(inv.Email), inv.RoomID, inv.Email, inv.Role, inv.InvitedBy, inv.Created)
		if err != nil {
			return err
		}
		if ct.RowsAffected() == 0 {
			return workroom.Refusal(workroom.ENOTFOUND, "")
		}
		return db.enqueueOne(ctx, tx, mail)
	})
}

// Invitations implements workroom.Store.
func (db *DB) Invitations(ctx context.Context, room workroom.RoomID) ([]workroom.Invitation, error) {
	return collect(ctx, db.pool, scanInvitation,
		`SELECT `+invitationCols+` FROM invitations WHERE room_id = $1 ORDER BY email_key`, room)
}

// CancelInvitation implements workroom.Store.
func (db *DB) CancelInvitation(ctx context.Context, room workroom.RoomID, email string) error {
	ct, err := db.pool.Exec(ctx, `DELETE FROM invitations WHERE room_id = $1 AND email_key = $2`, room, strings.ToLower(email))
	if err == nil && ct.RowsAffected() == 0 {
		return workroom.Refusal(workroom.ENOTFOUND, "")
	}
	return err
}

// acceptInvitations turns every pending invitation for the user's
// address into a membership, inside the verification's transaction, and
// returns those rooms as the user now sees them. An invitation to a room
// the user is in already is simply dropped.
func acceptInvitations(ctx context.Context, tx pgx.Tx, u *workroom.User, now time.Time) ([]workroom.Membership, error) {
	invs, err := collect(ctx, tx, scanInvitation,
		`DELETE FROM invitations WHERE email_key = $1 RETURNING `+invitationCols, strings.ToLower(u.Email))
	if err != nil {
		return nil, err
	}
	// Rooms in id order, as bbolt walks them; and locked in that order.
	slices.SortFunc(invs, func(a, b workroom.Invitation) int { return cmp.Compare(a.RoomID, b.RoomID) })
	var joined []workroom.Membership
	for _, inv := range invs {
		m := workroom.Member{RoomID: inv.RoomID, UserID: u.ID, Name: u.Name, Role: inv.Role, Joined: now}
		r, err := addMember(ctx, tx, m)
		switch {
		case workroom.ErrorRule(err) == workroom.RuleAlreadyMember || workroom.ErrorCode(err) == workroom.ENOTFOUND:
			continue
		case err != nil:
			return nil, err
		}
		joined = append(joined, workroom.Membership{Room: *r, Role: inv.Role, Notify: true})
	}
	return joined, nil
}
