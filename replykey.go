package workroom

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// ReplyKey lets one member reply to a room's notifications by mail: each
// notification to them carries Reply-To reply+KEY@<mail domain>, and a
// mail to that address from their verified address posts as them. There
// is one key per member and room, made with the first notification; it
// is 128 random bits in lowercase hex (an MTA may lowercase the local
// part), so it cannot be guessed. Turning the room's notifications off
// (`notify ROOM off`) revokes it: old notifications stop taking replies,
// and the next notification after `notify ROOM on` carries a new key.
type ReplyKey struct {
	Key     string    `json:"key"`
	RoomID  RoomID    `json:"room_id"`
	UserID  UserID    `json:"user_id"`
	Created time.Time `json:"created"`
}

// replyKeyBytes is the size of a reply key's random part: 128 bits.
const replyKeyBytes = 16

// Local parts of the server's own mail addresses.
const (
	replyLocalPrefix = "reply+"
	roomLocalPrefix  = "room-"
	// BouncesLocal receives delivery status notifications: the envelope
	// sender of every notification is bounces@<mail domain>.
	BouncesLocal = "bounces"
)

// newReplyKey makes a fresh key for a member of a room.
func newReplyKey(room RoomID, user UserID, now time.Time) *ReplyKey {
	var b [replyKeyBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return &ReplyKey{Key: hex.EncodeToString(b[:]), RoomID: room, UserID: user, Created: now}
}

// isReplyKey reports whether s has the form of a key: lowercase hex of
// the right length. Anything else is refused without a store read.
func isReplyKey(s string) bool {
	if len(s) != 2*replyKeyBytes {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// ReplyAddress is the address a reply key receives mail at.
func ReplyAddress(key, domain string) string {
	return replyLocalPrefix + key + "@" + domain
}

// bouncesAddress is the envelope sender of notifications.
func (s *Service) bouncesAddress() string {
	return BouncesLocal + "@" + s.cfg.MailDomain
}

// revokeReplyKey drops the member's reply key for a room.
func (s *Service) revokeReplyKey(ctx context.Context, room RoomID, user UserID) error {
	return s.store.RevokeReplyKey(ctx, room, user)
}
