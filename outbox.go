package workroom

import (
	"context"
	"log/slog"
	"time"
)

// Outbox is the mail the service enqueued and nobody has delivered yet,
// seen by the one party that delivers it: the mail sender. It hands out
// what is due, records deliveries and failures, and decides retries. It
// checks no actor — it is plumbing, not something a person asks for — so
// cmd/workroom makes one, gives it to the service (which wakes it) and to
// the mail sender, and to nothing else: no transport holds one.
//
// The service enqueues each mail in the same store transaction as the
// change it reports (Store.CreateUser, AppendMessage…), so a crash can
// neither lose a mail nor send one for a change that was not saved; the
// outbox only reads and retires what is already there.
type Outbox struct {
	store Store
	now   func() time.Time
	log   *slog.Logger
	wake  chan struct{}
	// waiters are actions waiting for their mail to leave (mailwait.go).
	waiters mailWaiters
}

// Outbox delivery: how many times and how far apart.
const (
	MaxMailAttempts   = 12
	MailRetryBackoff  = 30 * time.Second // doubled each attempt, capped at MaxMailRetryDelay
	MaxMailRetryDelay = time.Hour
)

// NewOutbox returns the outbox kept in store, on the clock now (nil:
// time.Now), logging dropped and deferred mail to log.
func NewOutbox(store Store, now func() time.Time, log *slog.Logger) *Outbox {
	if now == nil {
		now = time.Now
	}
	return &Outbox{store: store, now: now, log: log, wake: make(chan struct{}, 1)}
}

// queued wakes the sender after mail was enqueued. It never blocks: one
// pending wake covers any number of mails.
func (o *Outbox) queued() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Queued returns a channel that receives when new mail was enqueued, so
// the sender need not poll quickly.
func (o *Outbox) Queued() <-chan struct{} { return o.wake }

// Pending returns up to limit mails due for delivery now, oldest first.
func (o *Outbox) Pending(ctx context.Context, limit int) ([]Mail, error) {
	return o.store.PendingMail(ctx, o.now().UTC(), limit)
}

// Delivered removes a delivered mail from the outbox.
func (o *Outbox) Delivered(ctx context.Context, id uint64) error {
	defer o.left(id)
	return o.store.DeleteMail(ctx, id)
}

// Failed records a failed delivery. A temporary failure is retried with a
// growing delay (MailRetryBackoff, doubled each attempt, at most
// MaxMailRetryDelay), up to MaxMailAttempts; a permanent one, or the last
// attempt, drops the mail and logs it for the operator.
func (o *Outbox) Failed(ctx context.Context, m Mail, cause error, permanent bool) error {
	defer o.left(m.ID)
	m.Attempts++
	if permanent || m.Attempts >= MaxMailAttempts {
		o.log.Error("mail dropped", "mail", m.ID, "to", m.To, "attempts", m.Attempts, "err", cause)
		return o.store.DeleteMail(ctx, m.ID)
	}
	delay := retryDelay(m.Attempts)
	o.log.Warn("mail deferred", "mail", m.ID, "to", m.To, "attempts", m.Attempts, "retry_in", delay, "err", cause)
	return o.store.DeferMail(ctx, m.ID, m.Attempts, o.now().UTC().Add(delay), cause.Error())
}

// retryDelay is how long a mail waits after its attempts-th failure.
func retryDelay(attempts int) time.Duration {
	delay := MailRetryBackoff << (attempts - 1)
	if delay > MaxMailRetryDelay || delay <= 0 {
		delay = MaxMailRetryDelay
	}
	return delay
}
