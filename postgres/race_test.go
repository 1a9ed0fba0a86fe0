package postgres_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
)

// The contract (store/storetest) races appends and awards; these race
// the other writes whose rule spans a check and a write, which the
// PostgreSQL store keeps with row locks or serializable transactions
// where bbolt has its one writer.

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// user signs up name with a key named after them.
func user(t *testing.T, s workroom.Store, name, email string) *workroom.User {
	t.Helper()
	u := &workroom.User{Name: name, Email: email, Created: t0}
	if err := s.CreateUser(ctx, u, workroom.Key{Fingerprint: "SHA256:" + name, Added: t0}, workroom.Verification{}, nil); err != nil {
		t.Fatal(err)
	}
	return u
}

// room awards a job of client's to freelancer.
func room(t *testing.T, s workroom.Store, client, freelancer *workroom.User) *workroom.Room {
	t.Helper()
	j := &workroom.Job{ClientID: client.ID, Title: "job", Status: workroom.JobOpen, Created: t0}
	must(t, s.CreateJob(ctx, j))
	p := &workroom.Proposal{JobID: j.ID, FreelancerID: freelancer.ID, Text: "me", Created: t0}
	must(t, s.CreateProposal(ctx, p))
	r := &workroom.Room{JobID: j.ID, Title: "job", Created: t0, LastActivity: t0}
	must(t, s.Award(ctx, j.ID, p.ID, r, []workroom.Member{
		{UserID: client.ID, Role: workroom.RoleClient, Joined: t0},
		{UserID: freelancer.ID, Role: workroom.RoleFreelancer, Joined: t0},
	}))
	return r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// race runs fn n times at once and returns the errors.
func race(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	wg.Wait()
	return errs
}

// wantUnreadExact checks a member's stored unread count against the
// messages by others after their read mark.
func wantUnreadExact(t *testing.T, s workroom.Store, r *workroom.Room, u *workroom.User) {
	t.Helper()
	m, err := s.Member(ctx, r.ID, u.ID)
	must(t, err)
	msgs, err := s.Page(ctx, r.ID, 0, 100000)
	must(t, err)
	want := 0
	for _, msg := range msgs {
		if msg.ID > m.LastRead && msg.AuthorID != u.ID {
			want++
		}
	}
	if m.Unread != want {
		t.Fatalf("%s has %d unread after reading up to %d; %d messages by others follow", u.Name, m.Unread, m.LastRead, want)
	}
}

// TestAddMember_WhileOthersPostCountsEveryLaterMessage: someone added
// while messages go in has every message after their mark counted.
func TestAddMember_WhileOthersPostCountsEveryLaterMessage(t *testing.T) {
	s := open(t)
	ada, bob := user(t, s, "ada", "ada@example.com"), user(t, s, "bob", "bob@example.com")
	r := room(t, s, ada, bob)
	var team []*workroom.User
	for i := range 10 {
		team = append(team, user(t, s, fmt.Sprint("team", i), fmt.Sprint("team", i, "@example.com")))
	}
	errs := race(len(team)+4, func(i int) error {
		if i < len(team) {
			_, err := s.AddMember(ctx, workroom.Member{RoomID: r.ID, UserID: team[i].ID, Role: workroom.RoleTeam, Joined: t0}, nil)
			return err
		}
		for range 20 {
			if _, _, err := s.AppendMessage(ctx, &workroom.Message{RoomID: r.ID, AuthorID: ada.ID, Body: "x", Created: t0}, nil); err != nil {
				return err
			}
		}
		return nil
	})
	for _, err := range errs {
		must(t, err)
	}
	for _, u := range team {
		wantUnreadExact(t, s, r, u)
	}
}

// TestTally_CountsNoMoreThanMaxUnderRace: of many events at once, max
// are counted and the rest refused.
func TestTally_CountsNoMoreThanMaxUnderRace(t *testing.T) {
	s := open(t)
	const max = 5
	counts := make([]int, 20)
	for _, err := range race(len(counts), func(i int) error {
		var err error
		counts[i], _, err = s.Tally(ctx, "signups", t0, time.Hour, max)
		return err
	}) {
		must(t, err)
	}
	counted := 0
	for _, n := range counts {
		if n <= max {
			counted++
		} else if n != max+1 {
			t.Fatalf("a refused event returned %d, want %d", n, max+1)
		}
	}
	if counted != max {
		t.Fatalf("%d events counted, want %d: %v", counted, max, counts)
	}
}

// TestLinkKey_CodeIsUsedOnceUnderRace: of keys racing to use one code,
// exactly one is linked.
func TestLinkKey_CodeIsUsedOnceUnderRace(t *testing.T) {
	s := open(t)
	ada := user(t, s, "ada", "ada@example.com")
	must(t, s.CreateLinkCode(ctx, workroom.LinkCode{Hash: "h", UserID: ada.ID, Created: t0, Expires: t0.Add(time.Hour)}, 5, nil))
	linked := 0
	for _, err := range race(8, func(i int) error {
		_, err := s.LinkKey(ctx, "h", workroom.Key{Fingerprint: fmt.Sprint("SHA256:new", i), Added: t0}, t0, 100)
		return err
	}) {
		switch {
		case err == nil:
			linked++
		case workroom.ErrorCode(err) != workroom.ENOTFOUND:
			t.Fatalf("a losing LinkKey: %v, want ENOTFOUND", err)
		}
	}
	if keys, _ := s.Keys(ctx, ada.ID); linked != 1 || len(keys) != 2 {
		t.Fatalf("%d links succeeded and ada has %d keys; want 1 and 2", linked, len(keys))
	}
}

// TestMarkVerified_OneAccountTakesAnAddressUnderRace: accounts that
// signed up with one address and verify it at once: one holds it, the
// others lost it.
func TestMarkVerified_OneAccountTakesAnAddressUnderRace(t *testing.T) {
	s := open(t)
	var us []*workroom.User
	for i := range 6 {
		us = append(us, user(t, s, fmt.Sprint("u", i), "shared@example.com"))
	}
	won := 0
	for _, err := range race(len(us), func(i int) error {
		_, err := s.MarkVerified(ctx, us[i].ID, t0)
		return err
	}) {
		switch {
		case err == nil:
			won++
		case workroom.ErrorRule(err) != workroom.RuleAddressTaken:
			t.Fatalf("a losing MarkVerified: %v, want RuleAddressTaken", err)
		}
	}
	owner, err := s.UserByEmail(ctx, "shared@example.com")
	must(t, err)
	verified := 0
	for _, u := range us {
		got, _ := s.User(ctx, u.ID)
		if got.EmailVerified {
			verified++
		} else if !got.EmailLost {
			t.Errorf("%s neither holds nor lost the address", got.Name)
		}
	}
	if won != 1 || verified != 1 || !func() bool { got, _ := s.User(ctx, owner.ID); return got.EmailVerified }() {
		t.Fatalf("%d verifications won, %d accounts verified; want 1 and 1", won, verified)
	}
}

// TestCreateUser_OneKeyOneAccountUnderRace: sign-ups racing with one key
// make one account.
func TestCreateUser_OneKeyOneAccountUnderRace(t *testing.T) {
	s := open(t)
	made := 0
	for _, err := range race(8, func(i int) error {
		u := &workroom.User{Name: fmt.Sprint("u", i), Email: fmt.Sprint("u", i, "@example.com"), Created: t0}
		return s.CreateUser(ctx, u, workroom.Key{Fingerprint: "SHA256:same", Added: t0}, workroom.Verification{}, nil)
	}) {
		switch {
		case err == nil:
			made++
		case workroom.ErrorRule(err) != workroom.RuleKeyRegistered:
			t.Fatalf("a losing sign-up: %v, want RuleKeyRegistered", err)
		}
	}
	if users, _ := s.Users(ctx, 0, 100); made != 1 || len(users) != 1 {
		t.Fatalf("%d sign-ups succeeded, %d accounts exist; want 1 and 1", made, len(users))
	}
}
