package workroom

import (
	"context"
	"strconv"
	"strings"
)

// Removing people: the client takes a team member or a guest out of a
// room, or cancels an invitation not yet accepted. The client and the
// hired freelancer stay: the room exists for their job.

// Remove takes a person out of a room, or cancels a pending invitation.
// who is a member's user id, their name as the room shows it
// (case-insensitive), or an email address: a pending invitation's, else
// the verified address of a member. Client only. The client and the hired
// freelancer cannot be removed (EFORBIDDEN, RuleCannotRemove). Removal
// takes effect at once: the person's sessions are told (the room leaves
// their list, a terminal showing it leaves it), and every later request of
// theirs — an SFTP read, an upload's commit, a mail — gets errNoRoom.
// ENOTFOUND when who names nobody in the room; EINVALID when a name fits
// several members.
func (s *Service) Remove(ctx context.Context, room RoomID, who string) (*Removed, error) {
	u, _, err := s.authorize(ctx, room, ActionManagePeople)
	if err != nil {
		return nil, err
	}
	who = strings.TrimSpace(who)
	if who == "" {
		return nil, Errorf(EINVALID, "say whom to remove: a user id, a name or an email address")
	}
	m, err := s.findMember(ctx, room, who)
	if ErrorCode(err) == ENOTFOUND && strings.Contains(who, "@") {
		return s.cancelInvitation(ctx, u, room, who)
	} else if err != nil {
		return nil, err
	}
	if m.Role == RoleClient || m.Role == RoleFreelancer {
		return nil, Errorf(EFORBIDDEN, "%s is %s of this job, and the workroom is theirs as long as it exists; only team members and guests can be removed", m.Name, roleNoun(m.Role)).Because(RuleCannotRemove)
	}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	if err := s.store.RemoveMember(ctx, room, m.UserID); err != nil {
		return nil, err
	}
	s.log.Info("member removed", "user", u.ID, "room", room, "member", m.UserID)
	s.leaveMeeting(ctx, room, m.UserID)
	s.hub.Publish(Event{Kind: EventRemoved, RoomID: room}, []UserID{m.UserID})
	s.publishMembers(ctx, room)
	return &Removed{Member: m}, nil
}

// Removed is what Remove did: a member removed, or an invitation
// cancelled.
type Removed struct {
	Member     *Member     `json:"member,omitempty"`
	Invitation *Invitation `json:"invitation,omitempty"`
}

// findMember finds a member of a room by user id, name or verified email.
func (s *Service) findMember(ctx context.Context, room RoomID, who string) (*Member, error) {
	ms, err := s.store.Members(ctx, room)
	if err != nil {
		return nil, err
	}
	if id, err := strconv.ParseUint(who, 10, 64); err == nil {
		for i := range ms {
			if uint64(ms[i].UserID) == id {
				return &ms[i], nil
			}
		}
	}
	if strings.Contains(who, "@") {
		if u, err := s.store.UserByEmail(ctx, who); err == nil {
			for i := range ms {
				if ms[i].UserID == u.ID {
					return &ms[i], nil
				}
			}
		}
		return nil, Errorf(ENOTFOUND, "nobody in this workroom has the address %s, and it has no pending invitation", who)
	}
	var found []*Member
	for i := range ms {
		if strings.EqualFold(ms[i].Name, who) {
			found = append(found, &ms[i])
		}
	}
	switch len(found) {
	case 0:
		return nil, Errorf(ENOTFOUND, "nobody called %q is in this workroom; give a user id or name from the members list", who)
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, m := range found {
		ids[i] = strconv.FormatUint(uint64(m.UserID), 10)
	}
	return nil, Errorf(EINVALID, "%d members are called %q; give one's user id instead (%s)", len(found), who, strings.Join(ids, ", "))
}

// cancelInvitation drops a pending invitation.
func (s *Service) cancelInvitation(ctx context.Context, u *User, room RoomID, email string) (*Removed, error) {
	invs, err := s.store.Invitations(ctx, room)
	if err != nil {
		return nil, err
	}
	for _, inv := range invs {
		if strings.EqualFold(inv.Email, email) {
			if err := s.store.CancelInvitation(ctx, room, inv.Email); err != nil {
				return nil, err
			}
			s.log.Info("invitation cancelled", "user", u.ID, "room", room)
			s.publishMembers(ctx, room)
			return &Removed{Invitation: &inv}, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "nobody in this workroom has the address %s, and it has no pending invitation", email)
}
