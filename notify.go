package workroom

import (
	"context"
	"fmt"
	"strings"
)

// Notifications: every new message mails each other member who has a
// verified address, has not turned the room's notifications off and is not
// looking at the room at that moment. The mails are enqueued in the same
// store transaction as the message (Store.AppendMessage), so a crash can
// neither lose one nor send one for a message that was not saved.
//
// One room is one thread in the recipient's mail client: every
// notification of a room to a person has the same subject and refers to
// the same root Message-ID (notifyRoot), which no mail carries itself —
// clients thread on References alone.

// SetNotify turns the actor's mail notifications for a room on or off;
// off also revokes their reply address for the room. errNoRoom for a room the actor is not in.
func (s *Service) SetNotify(ctx context.Context, id RoomID, on bool) error {
	u, _, err := s.authorize(ctx, id, ActionRead)
	if err != nil {
		return err
	}
	if err := s.store.SetNotify(ctx, id, u.ID, on); err != nil || on {
		return err
	}
	// Off also revokes the member's reply address for the room
	// (replykey.go): replies to old notifications are refused from now.
	return s.revokeReplyKey(ctx, id, u.ID)
}

// notifications returns the mails that tell the room's other members about
// m, one per member who should get one. A member whose account cannot be
// read is skipped and logged: a message is never refused for its mail.
func (s *Service) notifications(ctx context.Context, r *Room, m *Message) []Mail {
	members, err := s.store.Members(ctx, r.ID)
	if err != nil {
		s.log.Error("notifications skipped", "room", r.ID, "err", err)
		return nil
	}
	here := make(map[UserID]bool)
	for _, h := range s.hub.Present(r.ID) {
		here[h.UserID] = true
	}
	var mails []Mail
	for _, mb := range members {
		if mb.UserID == m.AuthorID || mb.NotifyOff || here[mb.UserID] {
			continue
		}
		u, err := s.store.User(ctx, mb.UserID)
		if err != nil {
			s.log.Error("notification skipped", "room", r.ID, "user", mb.UserID, "err", err)
			continue
		}
		if !u.EmailVerified || u.EmailLost || u.EmailUndeliverable || u.Disabled || u.Email == "" {
			continue
		}
		mails = append(mails, *s.notifyMail(r, m, u))
	}
	return mails
}

// notifyMail is the notification of m to u.
func (s *Service) notifyMail(r *Room, m *Message, u *User) *Mail {
	ml := s.newMail(u.Email, notifySubject(r), s.notifyBody(r, m))
	root := s.notifyRoot(r.ID, u.ID)
	ml.InReplyTo, ml.References = root, root
	// Bounces come back to bounces@ (bounce.go); replies go to the
	// member's reply address, whose key the store keeps or makes in the
	// message's transaction (Mail.ReplyKey).
	ml.Sender = s.bouncesAddress()
	ml.ReplyKey = newReplyKey(r.ID, u.ID, s.now())
	return ml
}

// notifySubject is the same for every notification of a room, so mail
// clients that thread by subject keep the room together too.
func notifySubject(r *Room) string {
	return "[workroom] " + r.Title
}

// notifyRoot is the Message-ID every notification of a room to a person
// refers to: deterministic, so it survives restarts without being stored.
func (s *Service) notifyRoot(room RoomID, user UserID) string {
	return fmt.Sprintf("<room-%d.%d@%s>", room, user, s.cfg.MailDomain)
}

// connectHint is the command that reaches the server's terminal.
func (s *Service) connectHint() string {
	if s.cfg.ConnectHint != "" {
		return s.cfg.ConnectHint
	}
	return "ssh " + s.cfg.MailDomain
}

// notifyBody says who wrote what where, how to open the room, and how to
// stop these mails.
func (s *Service) notifyBody(r *Room, m *Message) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s wrote in workroom #%d, “%s”:\n\n", m.AuthorName, r.ID, r.Title)
	b.WriteString(m.Body)
	b.WriteString("\n")
	if n := len(m.Attachments); n > 0 {
		b.WriteString("\nAttached:\n")
		for _, a := range m.Attachments {
			fmt.Fprintf(&b, "  %s\n", a.Path)
		}
	}
	b.WriteString("\nReply to this mail to post your answer in the workroom (keep the subject; files you attach go to its files).\n")
	hint := s.connectHint()
	// open draws the terminal UI, so it needs ssh -t.
	fmt.Fprintf(&b, "\nOpen the workroom in your terminal:\n  %s open %d\n", strings.Replace(hint, "ssh ", "ssh -t ", 1), r.ID)
	fmt.Fprintf(&b, "\nStop these mails for this workroom:\n  %s notify %d off\n", hint, r.ID)
	return b.String()
}
