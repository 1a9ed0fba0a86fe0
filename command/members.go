package command

import (
	"context"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// membersJSON is what `members --json` prints: one object, as every
// command's JSON is.
type membersJSON struct {
	RoomID  workroom.RoomID `json:"room_id"`
	Members []memberJSON    `json:"members"`
	// Invited are the addresses invited that no account has verified
	// yet; listed for the client only (others get none).
	Invited []invitedJSON `json:"invited,omitempty"`
}

// invitedJSON is one pending invitation.
type invitedJSON struct {
	Email   string        `json:"email"`
	Role    workroom.Role `json:"role"`
	Created time.Time     `json:"invited"`
}

// memberJSON is one member as `members --json` gives it. Its field names
// are stable; it leaves out what is each member's own business (their
// read marks and notification setting).
type memberJSON struct {
	UserID   workroom.UserID        `json:"user_id"`
	Name     string                 `json:"name"`
	Role     workroom.Role          `json:"role"`
	State    workroom.PresenceState `json:"state"`    // here, online or away
	Sessions int                    `json:"sessions"` // looking at the room (here) or connected (online); 0 when away
	// LastSeen is when an away member's last session ended; null when
	// not known (not seen since the server's data began to record it).
	LastSeen *time.Time `json:"last_seen"`
}

// membersCmd lists a room's members with their role and where they are.
func (s *session) membersCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "members ROOM",
		Short: "the members of a workroom: role, and whether each is here, online elsewhere or away",
		Long: "Lists the members of a workroom with their role and presence: \"here\" (in this workroom in the\n" +
			"terminal UI now), \"online\" (connected, elsewhere) or \"away\", with when an away member was last\n" +
			"seen, in your time zone. The client also sees the addresses invited that have not joined yet.",
		Args: exactArgs("ROOM"),
		RunE: func(c *cobra.Command, args []string) error {
			room, err := ParseID("ROOM", args[0])
			if err != nil {
				return err
			}
			ps, err := s.svc.Presence(c.Context(), workroom.RoomID(room))
			if err != nil {
				return err
			}
			out := make([]memberJSON, len(ps))
			for i, p := range ps {
				out[i] = memberJSON{UserID: p.UserID, Name: p.Name, Role: p.Role, State: p.State, Sessions: p.Sessions}
				if !p.LastSeen.IsZero() {
					out[i].LastSeen = &ps[i].LastSeen
				}
			}
			invited, err := s.pendingInvitations(c.Context(), workroom.RoomID(room))
			if err != nil {
				return err
			}
			return s.emit(membersJSON{RoomID: workroom.RoomID(room), Members: out, Invited: invited}, func(w io.Writer) error { return s.printMembers(w, out, invited) })
		},
	}
}

func (s *session) printMembers(w io.Writer, ms []memberJSON, invited []invitedJSON) error {
	t := newTable(w, "NAME", "ROLE", "PRESENCE", "LAST SEEN")
	for _, m := range ms {
		t.row(m.Name, m.Role, m.State, s.lastSeen(m))
	}
	for _, inv := range invited {
		t.row(inv.Email, inv.Role, "invited", "not signed up yet")
	}
	return t.flush()
}

// pendingInvitations are the room's invitations for the client; none for
// anyone else, who may see the members but not whom the client asked.
func (s *session) pendingInvitations(ctx context.Context, room workroom.RoomID) ([]invitedJSON, error) {
	invs, err := s.svc.Invitations(ctx, room)
	if workroom.ErrorCode(err) == workroom.EFORBIDDEN {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	out := make([]invitedJSON, len(invs))
	for i, inv := range invs {
		out[i] = invitedJSON{Email: inv.Email, Role: inv.Role, Created: inv.Created}
	}
	return out, nil
}

// lastSeen words when a member was last seen: now while connected.
func (s *session) lastSeen(m memberJSON) string {
	switch {
	case m.State != workroom.PresenceAway:
		return "now"
	case m.LastSeen == nil:
		return "not yet seen"
	}
	return s.when(*m.LastSeen)
}
