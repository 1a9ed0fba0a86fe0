package workroom

import (
	"context"
	"sync"
	"time"
)

// A person told "a code is on its way" looks for it at once, so an action
// that mails a code waits, briefly, until the outbox sender has handed the
// mail over (written the .eml file, or passed it to the relay). The wait is
// bounded by Config.MailWait: a relay that is down delays the answer by at
// most that long, and the mail stays queued and is retried as usual.

// DefaultMailWait is how long the server waits for a code's mail to leave
// the outbox before answering; cmd/workroom sets Config.MailWait to it.
const DefaultMailWait = 5 * time.Second

// mailWaiters are the actions waiting for their mail to leave the outbox.
// hold is read-held from before a mail is stored until its waiter is
// registered, so a delivery that comes in between (the sender also runs on
// a timer) waits for the registration instead of passing it unseen.
type mailWaiters struct {
	hold sync.RWMutex
	mu   sync.Mutex
	byID map[uint64]chan struct{}
}

// enqueueAndWait runs store, which enqueues m and assigns its ID, wakes the
// sender and waits up to Config.MailWait for m to be delivered or to fail.
// With MailWait 0 (no sender in this process, as in tests) it only wakes.
func (s *Service) enqueueAndWait(ctx context.Context, m *Mail, store func() error) error {
	if s.cfg.MailWait <= 0 {
		if err := store(); err != nil {
			return err
		}
		s.mailQueued()
		return nil
	}
	w := &s.outbox.waiters
	w.hold.RLock()
	err := store()
	var done chan struct{}
	if err == nil {
		done = make(chan struct{})
		w.mu.Lock()
		if w.byID == nil {
			w.byID = make(map[uint64]chan struct{})
		}
		w.byID[m.ID] = done
		w.mu.Unlock()
	}
	w.hold.RUnlock()
	if err != nil {
		return err
	}
	s.mailQueued()
	t := time.NewTimer(s.cfg.MailWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		s.log.Warn("mail not handed over in time; it stays queued", "mail", m.ID, "waited", s.cfg.MailWait)
	case <-ctx.Done():
	}
	w.mu.Lock()
	delete(w.byID, m.ID)
	w.mu.Unlock()
	return nil
}

// left ends the wait of whoever waits for mail id: it was delivered, or
// failed (a retry is nobody's to wait for).
func (o *Outbox) left(id uint64) {
	w := &o.waiters
	w.hold.Lock() // registrations in flight finish first
	defer w.hold.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	if done, ok := w.byID[id]; ok {
		close(done)
		delete(w.byID, id)
	}
}
