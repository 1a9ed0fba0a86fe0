package workroom

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Invitation is a place in a workroom kept for an email address that no
// account has verified yet. The client invites a colleague (a team member)
// or an onlooker (a guest) by address; when someone signs up and verifies
// that address, every pending invitation for it becomes a membership, in
// the same transaction as the verification. Until then only the client sees
// it (members, the People pane); the address gets one mail saying how to
// connect and sign up.
type Invitation struct {
	RoomID    RoomID    `json:"room_id"`
	Email     string    `json:"email"`
	Role      Role      `json:"role"`
	InvitedBy UserID    `json:"invited_by"`
	Created   time.Time `json:"created"`
}

// Invited is what an invitation did: Member when an account had verified
// the address (it joined at once), else Pending.
type Invited struct {
	Member  *Member     `json:"member,omitempty"`
	Pending *Invitation `json:"pending,omitempty"`
}

// Rules of inviting and removing people.
const (
	// RuleAlreadyMember: the person invited is a member of the room.
	RuleAlreadyMember Rule = "already_member"
	// RuleCannotRemove: the client and the hired freelancer stay members.
	RuleCannotRemove Rule = "cannot_remove"
	// RuleRoleNotAllowed: the member's role does not allow the action
	// (the permission matrix, permission.go).
	RuleRoleNotAllowed Rule = "role_not_allowed"
	// RuleTooManyPeople: the room holds MaxRoomPeople members and pending
	// invitations.
	RuleTooManyPeople Rule = "too_many_people"
)

// MaxRoomPeople bounds a workroom's members and pending invitations
// together: every list of them (members, the People pane) is shown whole,
// and each member may be mailed for every message. Only the client
// invites, so the check before the write is not raced by anyone else.
const MaxRoomPeople = 50

// Invite brings a person into a room as a team member or a guest, by
// email address. Client only (EFORBIDDEN for other members, errNoRoom for
// anyone else). When an account has verified the address it becomes a
// member at once, is mailed a notice and sees the room in its list live;
// otherwise the invitation is kept and the address is mailed how to join.
// Inviting a pending address again replaces its role and mails it again.
// EINVALID for a role other than team or guest, or a bad address;
// ECONFLICT (RuleAlreadyMember) for a member; ELIMIT past
// Limits.Invitations, or (RuleTooManyPeople) when the room holds
// MaxRoomPeople people already.
func (s *Service) Invite(ctx context.Context, room RoomID, email string, role Role) (*Invited, error) {
	u, _, err := s.authorize(ctx, room, ActionManagePeople)
	if err != nil {
		return nil, err
	}
	if role != RoleTeam && role != RoleGuest {
		return nil, Errorf(EINVALID, "a person is invited as a team member or a guest, not as %q", role)
	}
	if email, err = cleanEmail(email); err != nil {
		return nil, err
	}
	r, err := s.store.Room(ctx, room)
	if err != nil {
		return nil, err
	}
	if err := s.roomForOneMore(ctx, room, email); err != nil {
		return nil, err
	}
	if err := s.limit(ctx, actInvite, s.cfg.Limits.Invitations); err != nil {
		return nil, err
	}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	invitee, err := s.store.UserByEmail(ctx, email)
	switch {
	case err == nil:
		return s.addMember(ctx, u, r, invitee, role)
	case ErrorCode(err) != ENOTFOUND:
		return nil, err
	}
	inv := Invitation{RoomID: room, Email: email, Role: role, InvitedBy: u.ID, Created: s.now()}
	m := s.invitationMail(u, r, inv)
	if err := s.store.Invite(ctx, inv, m); err != nil {
		return nil, err
	}
	s.mailQueued()
	s.log.Info("invitation stored", "user", u.ID, "room", room, "role", role)
	return &Invited{Pending: &inv}, nil
}

// roomForOneMore refuses an invitation that would take the room past
// MaxRoomPeople; inviting a pending address again takes no new place.
func (s *Service) roomForOneMore(ctx context.Context, room RoomID, email string) error {
	members, err := s.store.Members(ctx, room)
	if err != nil {
		return err
	}
	invites, err := s.store.Invitations(ctx, room)
	if err != nil {
		return err
	}
	for _, inv := range invites {
		if inv.Email == email {
			return nil
		}
	}
	if len(members)+len(invites) >= MaxRoomPeople {
		return Errorf(ELIMIT, "this workroom holds %d people already (members and pending invitations), the most it can", MaxRoomPeople).Because(RuleTooManyPeople)
	}
	return nil
}

// addMember makes an account with a verified address a member at once,
// mails it, and shows it the room live.
func (s *Service) addMember(ctx context.Context, by *User, r *Room, u *User, role Role) (*Invited, error) {
	m := Member{RoomID: r.ID, UserID: u.ID, Name: u.Name, Role: role, Joined: s.now()}
	mail := s.newMail(u.Email, fmt.Sprintf("You were added to workroom %d: %s", r.ID, r.Title), fmt.Sprintf(
		"Hello %s,\n\n%s added you to the workroom %q as %s.\n\nOpen it in your terminal:\n  %s open %d\n\n%s\n",
		u.Name, by.Name, r.Title, roleNoun(role), strings.Replace(s.connectHint(), "ssh ", "ssh -t ", 1), r.ID, roleSummary(role)))
	after, err := s.store.AddMember(ctx, m, mail)
	if ErrorRule(err) == RuleAlreadyMember {
		return nil, Errorf(ECONFLICT, "%s is already a member of this workroom", u.Name).Because(RuleAlreadyMember)
	} else if err != nil {
		return nil, err
	}
	s.mailQueued()
	s.log.Info("member added", "user", by.ID, "room", r.ID, "member", u.ID, "role", role)
	row := &Membership{Room: *after, Role: role, Email: s.roomEmail(r.ID), Notify: true}
	s.hub.Publish(Event{Kind: EventRoom, RoomID: r.ID, Row: row}, []UserID{u.ID})
	s.publishMembers(ctx, r.ID)
	return &Invited{Member: &m}, nil
}

// invitationMail tells an address with no account how to join.
func (s *Service) invitationMail(by *User, r *Room, inv Invitation) *Mail {
	return s.newMail(inv.Email, fmt.Sprintf("%s invites you to the workroom %q", by.Name, r.Title), fmt.Sprintf(
		"Hello,\n\n%s invites you to the workroom %q as %s.\n\n"+
			"To join, connect with an SSH key:\n\n    %s\n\n"+
			"and sign up with this address (%s). Once you enter the verification code mailed to it,\n"+
			"the workroom is in your list. You can also sign up with the command\n\n    %s signup --name \"Your Name\" --email %s\n\n"+
			"If you signed up with this address already, verify it: `verify CODE` with the code mailed to it,\n"+
			"or `verify --resend` for a new one.\n\n"+
			"%s\nIf you did not expect this, ignore this mail.\n",
		by.Name, r.Title, roleNoun(inv.Role), s.connectHint(), inv.Email, s.connectHint(), inv.Email, roleSummary(inv.Role)))
}

// roleNoun names a role in a sentence: "a team member".
func roleNoun(r Role) string {
	switch r {
	case RoleTeam:
		return "a team member"
	case RoleGuest:
		return "a guest"
	case RoleFreelancer:
		return "the freelancer"
	default:
		return "the client"
	}
}

// roleSummary says what the role may do, for the invitation mails.
func roleSummary(r Role) string {
	if r == RoleGuest {
		return "As a guest you can read messages, download files, post messages and join meetings."
	}
	return "As a team member you can read and post messages, join meetings, upload files and edit the to-do list."
}

// Invitations returns a room's pending invitations. Client only, like
// inviting: other members see who is in the room, not who was asked.
func (s *Service) Invitations(ctx context.Context, room RoomID) ([]Invitation, error) {
	if _, _, err := s.authorize(ctx, room, ActionManagePeople); err != nil {
		return nil, err
	}
	return s.store.Invitations(ctx, room)
}

// publishMembers tells the sessions looking at a room that its people
// changed, so a People pane reloads.
func (s *Service) publishMembers(_ context.Context, room RoomID) {
	s.hub.PublishRoom(Event{Kind: EventMembers, RoomID: room}, room)
}

// joinedByInvitation tells each account that became a member by verifying
// its address that the rooms are in its list now.
func (s *Service) joinedByInvitation(ctx context.Context, u *User, joined []Membership) {
	for i := range joined {
		j := joined[i]
		j.Email = s.roomEmail(j.ID)
		s.log.Info("invitation accepted", "user", u.ID, "room", j.ID, "role", j.Role)
		s.hub.Publish(Event{Kind: EventRoom, RoomID: j.ID, Row: &j}, []UserID{u.ID})
		s.publishMembers(ctx, j.ID)
	}
}
