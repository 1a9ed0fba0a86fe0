package workroom

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// Mail is one outbound email waiting in the outbox. The service decides who
// gets what and says it in plain text; the mail package turns it into an
// RFC 5322 message and delivers it (to the relay, or as a .eml file). Mail is
// enqueued in the same store transaction as the change it reports, so a
// crash can neither lose it nor send it for a change that was not saved.
type Mail struct {
	ID        uint64    `json:"id"`
	MessageID string    `json:"message_id"` // stable across retries
	From      string    `json:"from"`
	To        string    `json:"to"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Created   time.Time `json:"created"`
	Attempts  int       `json:"attempts"`
	NextTry   time.Time `json:"next_try"`
	LastError string    `json:"last_error,omitempty"`
}

// Outbox delivery: how many times and how far apart.
const (
	MaxMailAttempts   = 12
	MailRetryBackoff  = 30 * time.Second // doubled each attempt, capped at MaxMailRetryDelay
	MaxMailRetryDelay = time.Hour
)

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

// mailQueued wakes the outbox sender. It never blocks.
func (s *Service) mailQueued() {
	select {
	case s.mailWake <- struct{}{}:
	default:
	}
}

// MailQueued returns a channel that receives when new mail was enqueued, so
// the sender need not poll quickly.
func (s *Service) MailQueued() <-chan struct{} { return s.mailWake }

// PendingMail returns up to limit mails due for delivery now, oldest first.
// It is for the outbox sender, not for people.
func (s *Service) PendingMail(ctx context.Context, limit int) ([]Mail, error) {
	return s.store.PendingMail(ctx, s.now(), limit)
}

// MailDelivered removes a delivered mail from the outbox.
func (s *Service) MailDelivered(ctx context.Context, id uint64) error {
	err := s.store.DeleteMail(ctx, id)
	s.mailLeft(id)
	return err
}

// MailFailed records a failed delivery. A temporary failure is retried with
// a growing delay, up to MaxMailAttempts; a permanent one, or the last
// attempt, drops the mail and logs it for the operator.
func (s *Service) MailFailed(ctx context.Context, m Mail, cause error, permanent bool) error {
	defer s.mailLeft(m.ID) // nobody waits for a retry
	m.Attempts++
	if permanent || m.Attempts >= MaxMailAttempts {
		s.log.Error("mail dropped", "mail", m.ID, "to", m.To, "attempts", m.Attempts, "err", cause)
		return s.store.DeleteMail(ctx, m.ID)
	}
	delay := MailRetryBackoff << (m.Attempts - 1)
	if delay > MaxMailRetryDelay || delay <= 0 {
		delay = MaxMailRetryDelay
	}
	s.log.Warn("mail deferred", "mail", m.ID, "to", m.To, "attempts", m.Attempts, "retry_in", delay, "err", cause)
	return s.store.DeferMail(ctx, m.ID, m.Attempts, s.now().Add(delay), cause.Error())
}
