package workroom

import (
	"context"
	"fmt"
	"time"
)

// Completion: the client marks the job complete when the work is done.
// A completed workroom stays what it was — every member may still read,
// post, upload and download, exactly as the permission matrix says —
// because follow-up questions and final invoices come after the work. What
// completion changes is the retention clock: once a completed workroom has
// had no activity for IdleCompletedRoomMonths, the sweep deletes its
// files (retention.go). Completion cannot be undone; completing again is
// refused (ECONFLICT, RuleCompleted), saying when it was completed.

// RuleCompleted: the workroom was already marked complete.
const RuleCompleted Rule = "completed"

// Complete marks a workroom's job complete, at the service's clock, and
// posts a system message saying so in the client's name. Only the client
// (EFORBIDDEN, naming the rule, for other members; errNoRoom for anyone
// else); ECONFLICT (RuleCompleted) when it was completed before.
func (s *Service) Complete(ctx context.Context, id RoomID) (*Room, error) {
	u, _, err := s.authorize(ctx, id, ActionComplete)
	if err != nil {
		return nil, err
	}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	now := s.now()
	r, err := s.store.CompleteRoom(ctx, id, now)
	if ErrorRule(err) == RuleCompleted {
		return nil, errCompleted(r)
	} else if err != nil {
		return nil, err
	}
	s.log.Info("workroom completed", "user", u.ID, "room", id)
	body := fmt.Sprintf("%s marked the job complete. The workroom stays open: everyone can still read, post and share files. "+
		"Once it has had no activity for %d months, its files are deleted (the messages stay).", u.Name, IdleCompletedRoomMonths)
	m := &Message{RoomID: id, AuthorID: u.ID, AuthorName: u.Name, Body: body, Source: SourceSystem, Created: now}
	if after, err := s.appendSystem(ctx, r, m); err != nil {
		s.log.Error("completion notice not stored", "room", id, "err", err)
	} else {
		r = after
	}
	return r, nil
}

// errCompleted refuses completing a room a second time; r is the room as
// the store found it (nil when it did not say).
func errCompleted(r *Room) *Error {
	if r == nil || r.Completed.IsZero() {
		return Errorf(ECONFLICT, "this workroom was already marked complete").Because(RuleCompleted)
	}
	return Errorf(ECONFLICT, "this workroom was already marked complete on %s", r.Completed.Format(time.DateOnly)).Because(RuleCompleted)
}

// appendSystem stores a system message in a room, with its notifications,
// and tells the members' sessions; it returns the room as the message
// left it. It checks no actor: the caller decided the message is due.
func (s *Service) appendSystem(ctx context.Context, r *Room, m *Message) (*Room, error) {
	ctx = context.WithoutCancel(ctx)
	mails := s.notifications(ctx, r, m)
	after, members, err := s.store.AppendMessage(ctx, m, mails)
	if err != nil {
		return nil, err
	}
	if len(mails) > 0 {
		s.mailQueued()
	}
	s.publishAppended(m, after, members)
	return after, nil
}
