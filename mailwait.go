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
	s.waiters.hold.RLock()
	err := store()
	var done chan struct{}
	if err == nil {
		done = make(chan struct{})
		s.waiters.mu.Lock()
		if s.waiters.byID == nil {
			s.waiters.byID = make(map[uint64]chan struct{})
		}
		s.waiters.byID[m.ID] = done
		s.waiters.mu.Unlock()
	}
	s.waiters.hold.RUnlock()
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
	s.waiters.mu.Lock()
	delete(s.waiters.byID, m.ID)
	s.waiters.mu.Unlock()
	return nil
}

// mailLeft ends the wait of whoever waits for mail id.
func (s *Service) mailLeft(id uint64) {
	s.waiters.hold.Lock() // registrations in flight finish first
	defer s.waiters.hold.Unlock()
	s.waiters.mu.Lock()
	defer s.waiters.mu.Unlock()
	if done, ok := s.waiters.byID[id]; ok {
		close(done)
		delete(s.waiters.byID, id)
	}
}
