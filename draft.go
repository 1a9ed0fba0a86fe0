package workroom

import (
	"context"
	"strings"
	"unicode/utf8"
)

// A draft is what a member typed in a room and has not sent. It is kept
// per member per room for the life of the account — stored, so leaving
// the room, quitting or a server restart keeps it — and dropped when they
// post in the room. Only its author ever sees it; the room list says
// which rooms hold one (Membership.Draft).

// SaveDraft keeps text as the actor's draft of a room, replacing the one
// before; text that is empty or only spaces drops it. errNoRoom for a room
// the actor is not in, EFORBIDDEN for a member who may not post, EINVALID
// for text longer than a message may be.
func (s *Service) SaveDraft(ctx context.Context, id RoomID, text string) error {
	u, _, err := s.authorize(ctx, id, ActionPost)
	if err != nil {
		return err
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	switch {
	case !utf8.ValidString(text):
		return Errorf(EINVALID, "the draft is not valid UTF-8 text")
	case strings.ContainsRune(text, 0):
		return errNUL("draft")
	case utf8.RuneCountInString(text) > MaxBodyLength:
		return Errorf(EINVALID, "the draft is %d characters long; a message holds at most %d, so shorten it or split it", utf8.RuneCountInString(text), MaxBodyLength)
	case strings.TrimSpace(text) == "":
		text = ""
	}
	return s.store.SaveDraft(ctx, id, u.ID, text)
}

// Draft returns the actor's draft of a room; "" when there is none.
func (s *Service) Draft(ctx context.Context, id RoomID) (string, error) {
	u, _, err := s.authorize(ctx, id, ActionRead)
	if err != nil {
		return "", err
	}
	return s.store.Draft(ctx, id, u.ID)
}
