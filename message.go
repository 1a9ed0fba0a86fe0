package workroom

import (
	"context"
	"time"
)

// Message is one entry in a workroom's history. It has a source because a
// room hears from several places — the terminal, email, a live meeting, a
// broadcast to many rooms, an SSH command, the system itself — and people
// want to know how something was said. A message's ID is its sequence in
// the room (1, 2, 3, …), so newest-first paging is a walk backwards.
type Message struct {
	RoomID     RoomID    `json:"room_id"`
	ID         uint64    `json:"id"`
	AuthorID   UserID    `json:"author_id"`
	AuthorName string    `json:"author"`
	Body       string    `json:"body"`
	Source     Source    `json:"source"`
	Created    time.Time `json:"created"`
	// Attachments are files of the room the message carries, each at
	// the version that was latest when it was posted (attach.go).
	Attachments []Attachment `json:"attachments,omitempty"`
	// Unverified marks a message that came by mail whose sender the
	// server could not authenticate (no DMARC policy and no aligned
	// DKIM or SPF pass): its author is who the From header claims.
	Unverified bool `json:"unverified,omitempty"`
}

// Source says how a message reached the room.
type Source string

const (
	SourceTerminal  Source = "terminal"
	SourceEmail     Source = "email"
	SourceMeeting   Source = "meeting"
	SourceBroadcast Source = "broadcast"
	SourceCommand   Source = "command"
	SourceSystem    Source = "system"
)

// Message limits.
const (
	MaxBodyLength   = 20000 // characters, not bytes
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Page is a slice of a room's history, newest first. Before is the cursor
// for the next, older page; 0 when this page reaches the first message.
type Page struct {
	Messages []Message `json:"messages"`
	Before   uint64    `json:"before,omitempty"`
	// Meetings are the records of the meetings whose lines are among
	// Messages (Meeting.Holds), oldest first; a meeting may reach into
	// the next page too.
	Meetings []Meeting `json:"meetings,omitempty"`
}

// Post appends a message by the actor to a room and tells every live
// session of the room's members. EINVALID for an empty, whitespace-only or
// overlong body; errNoRoom for a room the actor is not in.
func (s *Service) Post(ctx context.Context, id RoomID, body string, src Source) (*Message, error) {
	return s.PostAttached(ctx, id, body, src, nil)
}

// PostAttached is Post with files of the room attached, by path: up to
// MaxAttachments (ELIMIT, RuleTooManyAttachments); ENOTFOUND for a path
// that holds no file.
func (s *Service) PostAttached(ctx context.Context, id RoomID, body string, src Source, paths []string) (*Message, error) {
	u, _, err := s.authorize(ctx, id, ActionPost)
	if err != nil {
		return nil, err
	}
	return s.post(ctx, u, id, body, src, paths)
}

// post is PostAttached by u, whom the caller has authorized to post in
// the room.
func (s *Service) post(ctx context.Context, u *User, id RoomID, body string, src Source, paths []string) (*Message, error) {
	body, err := checkText("message", body, MaxBodyLength, true)
	if err != nil {
		return nil, err
	}
	if err := s.limit(ctx, actPostMessage, s.cfg.Limits.Messages); err != nil {
		return nil, err
	}
	files, err := s.attachFiles(ctx, id, paths)
	if err != nil {
		return nil, err
	}
	m := &Message{RoomID: id, AuthorID: u.ID, AuthorName: u.Name, Body: body, Source: src, Created: s.now()}
	if len(files) > 0 {
		m.Attachments = files
	}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	room, err := s.store.Room(ctx, id)
	if err != nil {
		return nil, err
	}
	mails := s.notifications(ctx, room, m)
	r, members, err := s.store.AppendMessage(ctx, m, mails)
	if err != nil {
		return nil, err
	}
	if len(mails) > 0 {
		s.mailQueued()
	}
	s.typists.posted(id, u.ID)
	s.publishAppended(m, r, members)
	return m, nil
}

// Messages returns a page of a room's messages, newest first: the newest
// when before is 0, else those with IDs below before. Reading the newest
// page marks the room read for the actor.
func (s *Service) Messages(ctx context.Context, id RoomID, before uint64, limit int) (*Page, error) {
	u, member, err := s.authorize(ctx, id, ActionRead)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = DefaultPageSize
	}
	if limit > MaxPageSize {
		return nil, Errorf(EINVALID, "a page holds at most %d messages", MaxPageSize).Because(RulePageTooLarge)
	}
	msgs, err := s.store.Page(ctx, id, before, limit)
	if err != nil {
		return nil, err
	}
	p := &Page{Messages: msgs}
	if n := len(msgs); n == limit && msgs[n-1].ID > 1 {
		p.Before = msgs[n-1].ID
	}
	if p.Meetings, err = s.meetingsOf(ctx, id, msgs); err != nil {
		return nil, err
	}
	if before == 0 && len(msgs) > 0 {
		if err := s.markRead(ctx, u, member, msgs[0].ID); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// MarkRead records that the actor has read a room up to the message upto.
func (s *Service) MarkRead(ctx context.Context, id RoomID, upto uint64) error {
	u, member, err := s.authorize(ctx, id, ActionRead)
	if err != nil {
		return err
	}
	return s.markRead(ctx, u, member, upto)
}

// markRead moves the member's mark forward in memory (readmark.go) and
// tells the user's sessions the room's new row. Reading to the newest
// message — the usual case — needs no count: nothing is unread after it.
func (s *Service) markRead(ctx context.Context, u *User, member *Member, upto uint64) error {
	if upto <= s.reads.lastRead(member) {
		return nil // a read that changes nothing costs nothing
	}
	r, err := s.store.Room(ctx, member.RoomID)
	if err != nil {
		return err
	}
	upto = min(upto, r.LastSeq)
	if upto <= s.reads.lastRead(member) {
		return nil
	}
	unread, err := s.unreadAfter(ctx, member, upto, r.LastSeq)
	if err != nil {
		return err
	}
	if !s.reads.mark(ReadMark{RoomID: r.ID, UserID: u.ID, Upto: upto}, unread, r.LastSeq) {
		return nil
	}
	row := &Membership{Room: *r, Role: member.Role, Unread: unread, Email: s.roomEmail(r.ID), Notify: !member.NotifyOff}
	s.hub.Publish(Event{Kind: EventRoom, RoomID: r.ID, Row: row}, []UserID{u.ID})
	return nil
}

// unreadAfter counts the messages by others after upto, up to newest.
// A reader far behind is counted from at most a page of the newest
// messages; beyond that the count is the number of messages, and the
// store recounts exactly when the mark is written.
func (s *Service) unreadAfter(ctx context.Context, member *Member, upto, newest uint64) (int, error) {
	if upto >= newest {
		return 0, nil
	}
	n := newest - upto
	msgs, err := s.store.Page(ctx, member.RoomID, 0, int(min(n, MaxPageSize)))
	if err != nil {
		return 0, err
	}
	unread := int(n) - len(msgs)
	for _, m := range msgs {
		if m.ID > upto && m.AuthorID != member.UserID {
			unread++
		}
	}
	return unread, nil
}
