package workroom

import (
	"context"
	"fmt"
	"time"
)

// RoomID identifies a workroom.
type RoomID uint64

// Room is the workroom of one awarded job: the one place where the client,
// the freelancer and the people the client invites talk, share files and
// track work. Nobody outside it can learn that it exists.
type Room struct {
	ID           RoomID    `json:"id"`
	JobID        JobID     `json:"job_id"`
	Title        string    `json:"title"`
	Created      time.Time `json:"created"`
	LastActivity time.Time `json:"last_activity"`
	LastSeq      uint64    `json:"last_message_id"` // the newest message's ID; 0 when empty
	// Activity is where the room stands in the order of last activity:
	// each activity gives it a number above every room's before. It is
	// the cursor of the room list (rooms --before).
	Activity uint64 `json:"activity"`
	// Completed is when the client marked the job complete (complete.go);
	// zero while the work goes on.
	Completed time.Time `json:"completed,omitzero"`
}

// Member is a person's place in a room: their role, and how far they have
// read. Unread counts messages by others after LastRead.
type Member struct {
	RoomID   RoomID    `json:"room_id"`
	UserID   UserID    `json:"user_id"`
	Name     string    `json:"name"`
	Role     Role      `json:"role"`
	Joined   time.Time `json:"joined"`
	LastRead uint64    `json:"last_read"`
	Unread   int       `json:"unread"`
	// NotifyOff is whether the member turned mail notifications for the
	// room off (notify.go); the zero value, on, is the default.
	NotifyOff bool `json:"notify_off,omitempty"`
}

// Membership is a room as one member sees it in their list.
type Membership struct {
	Room
	Role   Role   `json:"role"`
	Unread int    `json:"unread"`
	Email  string `json:"email"`
	// Draft is whether the member keeps unsent text for the room
	// (draft.go).
	Draft bool `json:"draft"`
	// Notify is whether the member gets a mail for each new message
	// (notify.go).
	Notify bool `json:"notify"`
}

// Rooms returns a page of the actor's workrooms, most recently active
// first: from the most recent when before is 0, else those whose Activity
// is below before.
func (s *Service) Rooms(ctx context.Context, before uint64, limit int) (*RoomPage, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if limit, err = pageLimit(limit, "workrooms"); err != nil {
		return nil, err
	}
	ms, next, err := fetchPage(limit, func(n int) ([]Membership, error) {
		return s.store.RoomsOf(ctx, u.ID, before, n)
	}, func(m Membership) uint64 { return m.Activity })
	if err != nil {
		return nil, err
	}
	for i := range ms {
		ms[i].Email = s.roomEmail(ms[i].ID)
		ms[i].Unread = s.reads.unread(ms[i].ID, u.ID, ms[i].Unread)
	}
	return &RoomPage{Rooms: ms, Before: next}, nil
}

// Room returns one of the actor's workrooms. ENOTFOUND, worded the same
// whether or not it exists, for anyone who is not a member.
func (s *Service) Room(ctx context.Context, id RoomID) (*Membership, error) {
	u, m, err := s.authorize(ctx, id, ActionRead)
	if err != nil {
		return nil, err
	}
	r, err := s.store.Room(ctx, id)
	if err != nil {
		return nil, err
	}
	draft, err := s.store.Draft(ctx, id, m.UserID)
	if err != nil {
		return nil, err
	}
	return &Membership{Room: *r, Role: m.Role, Unread: s.reads.unread(id, u.ID, m.Unread), Email: s.roomEmail(id), Draft: draft != "", Notify: !m.NotifyOff}, nil
}

// Members returns the members of one of the actor's workrooms.
func (s *Service) Members(ctx context.Context, id RoomID) ([]Member, error) {
	if _, _, err := s.authorize(ctx, id, ActionRead); err != nil {
		return nil, err
	}
	ms, err := s.store.Members(ctx, id)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		ms[i].LastRead = s.reads.lastRead(&ms[i])
		ms[i].Unread = s.reads.unread(id, ms[i].UserID, ms[i].Unread)
	}
	return ms, nil
}

// roomEmail is the address that posts into a room by mail.
func (s *Service) roomEmail(id RoomID) string {
	return fmt.Sprintf("room-%d@%s", id, s.cfg.MailDomain)
}

// authorize is the one permission check: it returns the actor and their
// membership when their role allows the action in the room. A non-member
// gets errNoRoom, exactly as for a room that does not exist; a member
// whose role does not allow the action gets EFORBIDDEN saying why.
func (s *Service) authorize(ctx context.Context, id RoomID, a Action) (*User, *Member, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.store.Member(ctx, id, u.ID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, errNoRoom(id)
	} else if err != nil {
		return nil, nil, err
	}
	if !m.Role.Can(a) {
		return nil, nil, Errorf(EFORBIDDEN, "a %s of this workroom cannot %s", m.Role.Noun(), a).Because(RuleRoleNotAllowed)
	}
	return u, m, nil
}
