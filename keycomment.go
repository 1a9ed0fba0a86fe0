package workroom

import (
	"context"
	"strings"
	"unicode/utf8"
)

// MaxKeyCommentLength bounds a key's comment: a word or two, like the
// comment at the end of an authorized_keys line.
const MaxKeyCommentLength = 100

// SetKeyComment sets the comment of one of the actor's keys, so `keys`
// tells them apart; an empty comment clears it. ENOTFOUND when the actor
// has no such key, EINVALID for a comment that is not one line of
// visible text.
func (s *Service) SetKeyComment(ctx context.Context, fingerprint, comment string) error {
	u, err := s.actor(ctx)
	if err != nil {
		return err
	}
	comment = strings.TrimSpace(comment)
	switch {
	case !utf8.ValidString(comment) || strings.ContainsFunc(comment, isControl):
		return Errorf(EINVALID, "the comment must be one line of text, e.g. laptop")
	case utf8.RuneCountInString(comment) > MaxKeyCommentLength:
		return Errorf(EINVALID, "the comment is longer than %d characters; use a shorter one", MaxKeyCommentLength)
	case comment != "" && !HasVisibleText(comment):
		return Errorf(EINVALID, "the comment has no visible text; give one such as laptop")
	}
	if err := stillWanted(ctx); err != nil {
		return err
	}
	err = s.store.SetKeyComment(ctx, u.ID, fingerprint, comment)
	if ErrorCode(err) == ENOTFOUND {
		return Errorf(ENOTFOUND, "no key %s on your account", fingerprint).Because(RuleUnknownKey)
	}
	return err
}
