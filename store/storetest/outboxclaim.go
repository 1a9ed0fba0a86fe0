package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
)

// lease is how long the claims of these tests hold.
const lease = 15 * time.Minute

// enqueue posts a message in r that enqueues n mails due at t0.
func enqueue(t *testing.T, s workroom.Store, r *workroom.Room, author *workroom.User, n int) {
	t.Helper()
	mails := make([]workroom.Mail, n)
	for i := range mails {
		mails[i] = workroom.Mail{To: fmt.Sprintf("m%d@example.com", i), Subject: "s", Created: t0, NextTry: t0}
	}
	_, _, err := s.AppendMessage(ctx, &workroom.Message{RoomID: r.ID, AuthorID: author.ID, Body: "hi", Created: t0}, mails)
	must(t, err)
}

// testClaimLeases: a claimed mail is held until its lease ends — another
// claim does not get it, a look (PendingMail) does not see it due — and
// is due again when the lease ends, as when its sender died mid-send.
func testClaimLeases(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	enqueue(t, s, r, ada, 2)
	until := t0.Add(lease)
	first, err := s.ClaimMail(ctx, t0, until, 1)
	must(t, err)
	if len(first) != 1 || first[0].To != "m0@example.com" || !first[0].NextTry.Equal(until) {
		t.Fatalf("first claim = %+v; want the oldest mail, NextTry at the lease's end", first)
	}
	second, err := s.ClaimMail(ctx, t0.Add(time.Minute), until, 10)
	must(t, err)
	if len(second) != 1 || second[0].To != "m1@example.com" {
		t.Fatalf("second claim = %+v; want the other mail only", second)
	}
	if again, _ := s.ClaimMail(ctx, until.Add(-time.Nanosecond), until.Add(lease), 10); len(again) != 0 {
		t.Fatalf("claimed again before the lease ended: %+v", again)
	}
	if due, _ := s.PendingMail(ctx, until.Add(-time.Nanosecond), 10); len(due) != 0 {
		t.Fatalf("claimed mail due before its lease ended: %+v", due)
	}
	// The outcome replaces the lease: a deferred mail is due at its retry.
	must(t, s.DeferMail(ctx, second[0].ID, 1, t0.Add(time.Minute), "451 later"))
	if due, _ := s.PendingMail(ctx, t0.Add(time.Minute), 10); len(due) != 1 || due[0].ID != second[0].ID {
		t.Fatalf("due after the deferral = %+v; want the deferred mail", due)
	}
	// The sender of the first mail died: it is due again once the lease ends.
	expired, err := s.ClaimMail(ctx, until, until.Add(lease), 10)
	must(t, err)
	if len(expired) != 2 || expired[0].ID != first[0].ID || expired[1].Attempts != 1 {
		t.Fatalf("claim at the lease's end = %+v; want both mails again", expired)
	}
}

// testClaimRace: senders claiming at once get disjoint mails, and every
// mail is claimed by one of them.
func testClaimRace(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	const mails, senders, batch = 60, 4, 3
	enqueue(t, s, r, ada, mails)
	var mu sync.Mutex
	claimedBy := make(map[uint64]int)
	var wg sync.WaitGroup
	for sender := range senders {
		wg.Go(func() {
			for {
				ms, err := s.ClaimMail(ctx, t0, t0.Add(lease), batch)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ms) == 0 {
					return
				}
				mu.Lock()
				for _, m := range ms {
					if other, ok := claimedBy[m.ID]; ok {
						t.Errorf("mail %d claimed by sender %d and sender %d", m.ID, other, sender)
					}
					claimedBy[m.ID] = sender
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(claimedBy) != mails {
		t.Fatalf("%d mails claimed, want all %d", len(claimedBy), mails)
	}
}
