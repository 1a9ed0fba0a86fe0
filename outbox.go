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
	retry MailRetry
	// waiters are actions waiting for their mail to leave (mailwait.go).
	waiters mailWaiters
}

// Outbox delivery: how far apart the tries are and when to give up.
const (
	DefaultMailRetryBackoff = 30 * time.Second // doubled each attempt, capped at MaxMailRetryDelay
	MaxMailRetryDelay       = time.Hour
	// DefaultMailGiveUp is how long after it was queued a mail that keeps
	// failing temporarily is dropped: four days, as MTAs commonly do.
	DefaultMailGiveUp = 96 * time.Hour
)

// MailRetry is how the outbox retries a temporary failure (a 4xx from the
// relay, a network error): after Backoff, doubled each attempt up to
// MaxMailRetryDelay, until GiveUp has passed since the mail was queued.
// Zero fields take the defaults.
type MailRetry struct {
	Backoff time.Duration
	GiveUp  time.Duration
}

func (r MailRetry) withDefaults() MailRetry {
	if r.Backoff <= 0 {
		r.Backoff = DefaultMailRetryBackoff
	}
	if r.GiveUp <= 0 {
		r.GiveUp = DefaultMailGiveUp
	}
	return r
}

// NewOutbox returns the outbox kept in store, on the clock now (nil:
// time.Now), logging dropped and deferred mail to log, retrying with the
// default MailRetry until SetRetry says otherwise.
func NewOutbox(store Store, now func() time.Time, log *slog.Logger) *Outbox {
	if now == nil {
		now = time.Now
	}
	return &Outbox{store: store, now: now, log: log, wake: make(chan struct{}, 1), retry: MailRetry{}.withDefaults()}
}

// SetRetry sets how temporary failures are retried. Call it before the
// outbox is used: it is not synchronised with Failed.
func (o *Outbox) SetRetry(r MailRetry) { o.retry = r.withDefaults() }

// Retry is the retry policy in force.
func (o *Outbox) Retry() MailRetry { return o.retry }

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

// Pending returns up to limit mails due for delivery now, oldest first,
// without claiming them: a look at the outbox. The sender uses Claim.
func (o *Outbox) Pending(ctx context.Context, limit int) ([]Mail, error) {
	return o.store.PendingMail(ctx, o.now().UTC(), limit)
}

// Several front ends over one store each run a sender, and each mail must
// go out once: a sender claims what it sends for MailLease (Claim), in
// the transaction that hands the mails out, and records each outcome
// (Delivered, Failed) or gives back what it did not try (Release). A
// sender that dies mid-batch leaves its mails due again once the lease
// ends, on whichever front end looks next.
const (
	// MailLease is how long claimed mail is held by its sender: also how
	// long mail a killed front end was sending waits before another
	// sends it (a store of one process, such as bbolt, may end its
	// leases when that process ends).
	MailLease = 6 * time.Minute
	// MailSendBound is the longest one delivery is taken to last (a
	// dial of 30 s and a relay's submission timeout of 3 min, with room
	// to spare): a sender starts a claimed mail only while this much of
	// its lease is left, so it never sends one whose lease another
	// sender may have taken over. What is left of a batch then is given
	// back and claimed again.
	MailSendBound = 4 * time.Minute
)

// Claim takes up to limit mails due now for this sender, oldest first,
// leased until the time it returns (see MailLease).
func (o *Outbox) Claim(ctx context.Context, limit int) ([]Mail, time.Time, error) {
	now := o.now().UTC()
	until := now.Add(MailLease)
	ms, err := o.store.ClaimMail(ctx, now, until, limit)
	return ms, until, err
}

// Holds reports whether a lease ending at until still covers a delivery
// started now (MailSendBound).
func (o *Outbox) Holds(until time.Time) bool {
	return !o.now().Add(MailSendBound).After(until)
}

// Release gives back a claimed mail that was not tried (the sender is
// stopping, or its lease runs short): it is due again at once, its
// attempts unchanged.
func (o *Outbox) Release(ctx context.Context, m Mail) error {
	return o.store.DeferMail(ctx, m.ID, m.Attempts, o.now().UTC(), m.LastError)
}

// Delivered removes a delivered mail from the outbox.
func (o *Outbox) Delivered(ctx context.Context, id uint64) error {
	defer o.left(id)
	return o.store.DeleteMail(ctx, id)
}

// Failed records a failed delivery. A permanent failure (a 5xx) drops the
// mail at once. A temporary one is retried with a growing delay
// (MailRetry.Backoff, doubled each attempt, at most MaxMailRetryDelay);
// once MailRetry.GiveUp has passed since the mail was queued, the next
// failure drops it. The last try is moved up to that moment, so a mail
// gets a try at its deadline rather than being dropped up to an hour
// early or late. Every drop is logged for the operator.
func (o *Outbox) Failed(ctx context.Context, m Mail, cause error, permanent bool) error {
	defer o.left(m.ID)
	m.Attempts++
	now := o.now().UTC()
	deadline := m.Created.Add(o.retry.GiveUp)
	switch {
	case permanent:
		o.log.Error("mail dropped: the relay refused it for good", "mail", m.ID, "to", m.To, "attempts", m.Attempts, "err", cause)
		return o.store.DeleteMail(ctx, m.ID)
	case !now.Before(deadline):
		o.log.Error("mail given up: still failing after the give-up period", "mail", m.ID, "to", m.To,
			"attempts", m.Attempts, "queued", m.Created, "give_up", o.retry.GiveUp, "err", cause)
		return o.store.DeleteMail(ctx, m.ID)
	}
	next := now.Add(o.retry.delay(m.Attempts))
	if next.After(deadline) {
		next = deadline
	}
	o.log.Warn("mail deferred", "mail", m.ID, "to", m.To, "attempts", m.Attempts, "retry_in", next.Sub(now), "err", cause)
	return o.store.DeferMail(ctx, m.ID, m.Attempts, next, cause.Error())
}

// delay is how long a mail waits after its attempts-th failure.
func (r MailRetry) delay(attempts int) time.Duration {
	delay := r.Backoff
	for i := 1; i < attempts && delay < MaxMailRetryDelay; i++ {
		delay *= 2
	}
	return min(delay, MaxMailRetryDelay)
}
