package workroom

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// Mail is one outbound email waiting in the outbox (outbox.go). The service decides who
// gets what and says it in plain text; the mail package turns it into an
// RFC 5322 message and delivers it (to the relay, or as a .eml file). Mail is
// enqueued in the same store transaction as the change it reports, so a
// crash can neither lose it nor send it for a change that was not saved.
type Mail struct {
	ID        uint64 `json:"id"`
	MessageID string `json:"message_id"` // stable across retries
	From      string `json:"from"`
	To        string `json:"to"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
	// InReplyTo and References thread the mail under another
	// (Message-IDs with their angle brackets); "" for none.
	InReplyTo  string `json:"in_reply_to,omitempty"`
	References string `json:"references,omitempty"`
	// Sender is the envelope sender (MAIL FROM), where bounces go; ""
	// is From's address.
	Sender string `json:"sender,omitempty"`
	// ReplyKey, when set, makes the mail's Reply-To the key's address
	// (reply+KEY@ the domain of From). Enqueuing keeps the member's
	// existing key for the room instead when there is one, so a member
	// has one reply address per room.
	ReplyKey  *ReplyKey `json:"reply_key,omitempty"`
	Created   time.Time `json:"created"`
	Attempts  int       `json:"attempts"`
	NextTry   time.Time `json:"next_try"`
	LastError string    `json:"last_error,omitempty"`
}

// newMail addresses a message from the server to one recipient.
func (s *Service) newMail(to, subject, body string) *Mail {
	var b [12]byte
	_, _ = rand.Read(b[:])
	now := s.now()
	return &Mail{
		MessageID: fmt.Sprintf("<%s@%s>", hex.EncodeToString(b[:]), s.cfg.MailDomain),
		From:      "workroom <noreply@" + s.cfg.MailDomain + ">",
		To:        to,
		Subject:   subject,
		Body:      body,
		Created:   now,
		NextTry:   now,
	}
}

// mailQueued wakes the outbox's sender after a commit that enqueued mail.
func (s *Service) mailQueued() { s.outbox.queued() }
