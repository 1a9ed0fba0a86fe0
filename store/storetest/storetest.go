// Package storetest is the contract every workroom.Store must meet. A
// backend's tests call Run with a function that opens an empty store; the
// suite checks the invariants the service relies on: atomic, gapless
// message sequences under concurrency, newest-first paging, unread counts,
// uniqueness of keys and verified emails, link codes used once, daily
// tallies, award races, the outbox and its claims, and to-do items changed field by
// field.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
)

// Open returns an empty store; the suite closes nothing, so register
// cleanup in Open.
type Open func(t *testing.T) workroom.Store

// Run runs the whole contract against stores from open.
// ctx is the context of every call the suite makes: the contract is about
// what a store keeps, and cancellation is each backend's own test.
var ctx = context.Background()

func Run(t *testing.T, open Open) {
	t.Run("Users", func(t *testing.T) { testUsers(t, open(t)) })
	t.Run("Keys", func(t *testing.T) { testKeys(t, open(t)) })
	t.Run("Disable", func(t *testing.T) { testDisable(t, open(t)) })
	t.Run("Verification", func(t *testing.T) { testVerification(t, open(t)) })
	t.Run("AddressHeldOnlyOnceVerified", func(t *testing.T) { testAddressClaims(t, open(t)) })
	t.Run("SetEmail", func(t *testing.T) { testSetEmail(t, open(t)) })
	t.Run("LinkCodes", func(t *testing.T) { testLinkCodes(t, open(t)) })
	t.Run("LinkKeyRefusals", func(t *testing.T) { testLinkKeyRefusals(t, open(t)) })
	t.Run("Tally", func(t *testing.T) { testTally(t, open(t)) })
	t.Run("Jobs", func(t *testing.T) { testJobs(t, open(t)) })
	t.Run("AwardIsOnce", func(t *testing.T) { testAwardOnce(t, open(t)) })
	t.Run("ConcurrentAppendsAreGapless", func(t *testing.T) { testConcurrentAppends(t, open(t)) })
	t.Run("PagingNewestFirst", func(t *testing.T) { testPaging(t, open(t)) })
	t.Run("ListsComeInPages", func(t *testing.T) { testListsPaged(t, open(t)) })
	t.Run("RoomsByActivity", func(t *testing.T) { testRoomsByActivity(t, open(t)) })
	t.Run("Unread", func(t *testing.T) { testUnread(t, open(t)) })
	t.Run("AppendReturnsRoomAndMembers", func(t *testing.T) { testAppendReturns(t, open(t)) })
	t.Run("MarkReadInOneBatch", func(t *testing.T) { testMarkReadBatch(t, open(t)) })
	t.Run("LastSeen", func(t *testing.T) { testLastSeen(t, open(t)) })
	t.Run("Outbox", func(t *testing.T) { testOutbox(t, open(t)) })
	t.Run("OutboxClaimsAreLeases", func(t *testing.T) { testClaimLeases(t, open(t)) })
	t.Run("OutboxClaimsAreDisjoint", func(t *testing.T) { testClaimRace(t, open(t)) })
	t.Run("FreelancerProposals", func(t *testing.T) { testFreelancerProposals(t, open(t)) })
	t.Run("Drafts", func(t *testing.T) { testDrafts(t, open(t)) })
	t.Run("NotifySetting", func(t *testing.T) { testNotifySetting(t, open(t)) })
	t.Run("AccountSettings", func(t *testing.T) { testAccountSettings(t, open(t)) })
	t.Run("Todos", func(t *testing.T) { testTodos(t, open(t)) })
	t.Run("TodoChangesRace", func(t *testing.T) { testTodoChangesRace(t, open(t)) })
	t.Run("FileVersions", func(t *testing.T) { testFileVersions(t, open(t)) })
	t.Run("DeleteLetsGoOfBlobs", func(t *testing.T) { testDeleteAndBlobs(t, open(t)) })
	t.Run("RenameAndFolders", func(t *testing.T) { testRenameAndFolders(t, open(t)) })
	t.Run("SetModTime", func(t *testing.T) { testSetModTime(t, open(t)) })
	t.Run("QuotaRace", func(t *testing.T) { testQuotaRace(t, open(t)) })
	t.Run("AttachmentsAtAward", func(t *testing.T) { testAttachmentsAtAward(t, open(t)) })
	t.Run("AddAndRemoveMember", func(t *testing.T) { testAddAndRemoveMember(t, open(t)) })
	t.Run("InvitationsBecomeMemberships", func(t *testing.T) { testInvitationsBecomeMemberships(t, open(t)) })
	t.Run("Meetings", func(t *testing.T) { testMeetings(t, open(t)) })
	t.Run("ReplyKeys", func(t *testing.T) { testReplyKeys(t, open(t)) })
	t.Run("Undeliverable", func(t *testing.T) { testUndeliverable(t, open(t)) })
	t.Run("PostMailIsAllOrNothing", func(t *testing.T) { testPostMail(t, open(t)) })
}

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// all is a page size larger than any list the suite makes.
const all = 1000

// wantCode checks err's code, and that the store said no words of its
// own: a store refuses with workroom.Refusal, and the service words it.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := workroom.ErrorCode(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
	var e *workroom.Error
	if errors.As(err, &e) && e.Message != "" {
		t.Fatalf("the store worded its refusal %q; it must return a code and a rule only", e.Message)
	}
}

// wantRefusal checks err is a wordless refusal with code and rule, the
// rule the service tells this refusal apart by.
func wantRefusal(t *testing.T, err error, code string, rule workroom.Rule) {
	t.Helper()
	wantCode(t, err, code)
	if got := workroom.ErrorRule(err); got != rule {
		t.Fatalf("error %v has rule %q, want %q", err, got, rule)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// newUser creates a user with one key named after them.
func newUser(t *testing.T, s workroom.Store, name string) *workroom.User {
	t.Helper()
	u := &workroom.User{Name: name, Email: name + "@example.com", Created: t0}
	must(t, s.CreateUser(ctx, u, workroom.Key{Fingerprint: "SHA256:" + name, Authorized: "ssh-ed25519 " + name, Added: t0}, workroom.Verification{CodeHash: "h", Sent: t0, Expires: t0.Add(time.Hour)}, nil))
	return u
}

// newRoom posts a job by client, a proposal by freelancer, and awards it.
func newRoom(t *testing.T, s workroom.Store, client, freelancer *workroom.User) *workroom.Room {
	t.Helper()
	j := &workroom.Job{ClientID: client.ID, Title: "job", Status: workroom.JobOpen, Created: t0}
	must(t, s.CreateJob(ctx, j))
	p := &workroom.Proposal{JobID: j.ID, FreelancerID: freelancer.ID, Text: "me", Created: t0}
	must(t, s.CreateProposal(ctx, p))
	r := &workroom.Room{JobID: j.ID, Title: j.Title, Created: t0, LastActivity: t0}
	must(t, s.Award(ctx, j.ID, p.ID, r, []workroom.Member{
		{UserID: client.ID, Role: workroom.RoleClient, Joined: t0},
		{UserID: freelancer.ID, Role: workroom.RoleFreelancer, Joined: t0.Add(time.Second)},
	}))
	return r
}

func post(t *testing.T, s workroom.Store, r *workroom.Room, author *workroom.User, body string) *workroom.Message {
	t.Helper()
	m := &workroom.Message{RoomID: r.ID, AuthorID: author.ID, Body: body, Source: workroom.SourceCommand, Created: t0}
	_, _, err := s.AppendMessage(ctx, m, nil)
	must(t, err)
	return m
}

func testDisable(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	must(t, s.SetDisabled(ctx, ada.ID, true))
	if u, err := s.User(ctx, ada.ID); err != nil || !u.Disabled || u.Name != "ada" {
		t.Fatalf("after SetDisabled(true) User = %+v, %v; want disabled, the rest kept", u, err)
	}
	if u, _ := s.User(ctx, bob.ID); u.Disabled {
		t.Fatal("disabling ada disabled bob")
	}
	must(t, s.SetDisabled(ctx, ada.ID, false))
	if u, _ := s.User(ctx, ada.ID); u.Disabled {
		t.Fatal("SetDisabled(false) left the account disabled")
	}
	wantCode(t, s.SetDisabled(ctx, 999, true), workroom.ENOTFOUND)
}

func testJobs(t *testing.T, s workroom.Store) {
	ada, bob, cy := newUser(t, s, "ada"), newUser(t, s, "bob"), newUser(t, s, "cy")
	j1 := &workroom.Job{ClientID: ada.ID, Title: "one", Status: workroom.JobOpen, Created: t0}
	j2 := &workroom.Job{ClientID: ada.ID, Title: "two", Status: workroom.JobOpen, Created: t0}
	must(t, s.CreateJob(ctx, j1))
	must(t, s.CreateJob(ctx, j2))
	mine, err := s.JobsByClient(ctx, ada.ID, 0, all)
	must(t, err)
	if len(mine) != 2 || mine[0].ID != j2.ID {
		t.Fatalf("JobsByClient = %+v, want newest first", mine)
	}
	p := &workroom.Proposal{JobID: j1.ID, FreelancerID: bob.ID, Text: "hire me"}
	must(t, s.CreateProposal(ctx, p))
	wantRefusal(t, s.CreateProposal(ctx, &workroom.Proposal{JobID: j1.ID, FreelancerID: bob.ID, Text: "again"}), workroom.ECONFLICT, workroom.RuleAlreadyProposed)
	must(t, s.CreateProposal(ctx, &workroom.Proposal{JobID: j1.ID, FreelancerID: cy.ID, Text: "me too"}))
	props, err := s.Proposals(ctx, j1.ID, 0, all)
	must(t, err)
	if len(props) != 2 || props[1].ID != p.ID {
		t.Fatalf("Proposals = %+v", props)
	}
	if j, _ := s.Job(ctx, j1.ID); j.Proposals != 2 {
		t.Fatalf("job counts %d proposals, want 2", j.Proposals)
	}
	r := &workroom.Room{JobID: j1.ID, Title: "one", Created: t0, LastActivity: t0}
	must(t, s.Award(ctx, j1.ID, p.ID, r, []workroom.Member{
		{UserID: ada.ID, Role: workroom.RoleClient, Joined: t0},
		{UserID: bob.ID, Role: workroom.RoleFreelancer, Joined: t0.Add(time.Second)},
	}))
	if r.ID == 0 {
		t.Fatal("Award did not assign a room id")
	}
	j, _ := s.Job(ctx, j1.ID)
	if j.Status != workroom.JobAwarded || j.RoomID != r.ID || j.ProposalID != p.ID {
		t.Fatalf("awarded job = %+v", j)
	}
	open, _ := s.OpenJobs(ctx, bob.ID, 0, all)
	if len(open) != 1 || open[0].ID != j2.ID {
		t.Fatalf("OpenJobs = %+v, want only job %d", open, j2.ID)
	}
	if open, _ := s.OpenJobs(ctx, ada.ID, 0, all); len(open) != 0 {
		t.Fatalf("OpenJobs except ada = %+v, want none of her jobs", open)
	}
	wantRefusal(t, s.CreateProposal(ctx, &workroom.Proposal{JobID: j1.ID, FreelancerID: newUser(t, s, "dee").ID, Text: "late"}), workroom.ECONFLICT, workroom.RuleJobClosed)
	ms, err := s.Members(ctx, r.ID)
	must(t, err)
	if len(ms) != 2 || ms[0].Role != workroom.RoleClient || ms[1].UserID != bob.ID {
		t.Fatalf("Members = %+v", ms)
	}
	_, err = s.Member(ctx, r.ID, cy.ID)
	wantCode(t, err, workroom.ENOTFOUND)
	rooms, _ := s.RoomsOf(ctx, bob.ID, 0, all)
	if len(rooms) != 1 || rooms[0].ID != r.ID || rooms[0].Role != workroom.RoleFreelancer {
		t.Fatalf("RoomsOf = %+v", rooms)
	}
	if rooms, _ := s.RoomsOf(ctx, cy.ID, 0, all); len(rooms) != 0 {
		t.Fatalf("non-member sees rooms %+v", rooms)
	}
}

// testAwardOnce races many awards of one job: exactly one wins.
func testAwardOnce(t *testing.T, s workroom.Store) {
	ada := newUser(t, s, "ada")
	j := &workroom.Job{ClientID: ada.ID, Title: "t", Status: workroom.JobOpen, Created: t0}
	must(t, s.CreateJob(ctx, j))
	var ps []*workroom.Proposal
	for i := range 8 {
		p := &workroom.Proposal{JobID: j.ID, FreelancerID: newUser(t, s, fmt.Sprint("f", i)).ID, Text: "p"}
		must(t, s.CreateProposal(ctx, p))
		ps = append(ps, p)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(ps))
	for _, p := range ps {
		wg.Go(func() {
			errs <- s.Award(ctx, j.ID, p.ID, &workroom.Room{JobID: j.ID}, []workroom.Member{{UserID: ada.ID, Role: workroom.RoleClient}, {UserID: p.FreelancerID, Role: workroom.RoleFreelancer}})
		})
	}
	wg.Wait()
	close(errs)
	wins := 0
	for err := range errs {
		if err == nil {
			wins++
		} else {
			wantRefusal(t, err, workroom.ECONFLICT, workroom.RuleJobClosed)
		}
	}
	if wins != 1 {
		t.Fatalf("%d awards succeeded, want exactly 1", wins)
	}
	if rooms, _ := s.RoomsOf(ctx, ada.ID, 0, all); len(rooms) != 1 {
		t.Fatalf("client has %d rooms, want 1", len(rooms))
	}
}

func testConcurrentAppends(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	const writers, each = 8, 40
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			author := ada
			if w%2 == 1 {
				author = bob
			}
			for i := range each {
				m := &workroom.Message{RoomID: r.ID, AuthorID: author.ID, Body: fmt.Sprint(w, "-", i), Created: t0}
				if _, _, err := s.AppendMessage(ctx, m, nil); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	msgs, err := s.Page(ctx, r.ID, 0, writers*each+10)
	must(t, err)
	if len(msgs) != writers*each {
		t.Fatalf("got %d messages, want %d", len(msgs), writers*each)
	}
	for i, m := range msgs {
		if want := uint64(writers*each - i); m.ID != want {
			t.Fatalf("message %d has ID %d, want %d (gapless, newest first)", i, m.ID, want)
		}
	}
	room, _ := s.Room(ctx, r.ID)
	if room.LastSeq != writers*each {
		t.Fatalf("room LastSeq = %d, want %d", room.LastSeq, writers*each)
	}
}

func testPaging(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r1, r2 := newRoom(t, s, ada, bob), newRoom(t, s, ada, bob)
	for i := 1; i <= 25; i++ {
		post(t, s, r1, ada, fmt.Sprint("r1-", i))
		post(t, s, r2, bob, fmt.Sprint("r2-", i))
	}
	var seen []uint64
	before := uint64(0)
	for {
		page, err := s.Page(ctx, r1.ID, before, 10)
		must(t, err)
		if len(page) == 0 {
			break
		}
		for _, m := range page {
			if m.RoomID != r1.ID {
				t.Fatalf("page of room %d holds a message of room %d", r1.ID, m.RoomID)
			}
			seen = append(seen, m.ID)
		}
		before = page[len(page)-1].ID
	}
	if len(seen) != 25 {
		t.Fatalf("paged %d messages, want 25: %v", len(seen), seen)
	}
	for i, id := range seen {
		if id != uint64(25-i) {
			t.Fatalf("paging order %v, want 25..1", seen)
		}
	}
	empty := newRoom(t, s, ada, bob)
	if page, _ := s.Page(ctx, empty.ID, 0, 10); len(page) != 0 {
		t.Fatalf("empty room paged %d messages", len(page))
	}
}

func testUnread(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	unread := func(u *workroom.User) int {
		t.Helper()
		m, err := s.Member(ctx, r.ID, u.ID)
		must(t, err)
		return m.Unread
	}
	post(t, s, r, ada, "1")
	post(t, s, r, ada, "2")
	if unread(bob) != 2 || unread(ada) != 0 {
		t.Fatalf("unread bob=%d ada=%d, want 2 and 0", unread(bob), unread(ada))
	}
	m3 := post(t, s, r, bob, "3") // bob's own message does not count for him
	if unread(bob) != 2 || unread(ada) != 1 {
		t.Fatalf("unread bob=%d ada=%d, want 2 and 1", unread(bob), unread(ada))
	}
	mark := func(marks ...workroom.ReadMark) {
		t.Helper()
		must(t, s.MarkRead(ctx, marks))
	}
	mark(workroom.ReadMark{RoomID: r.ID, UserID: bob.ID, Upto: 1})
	if unread(bob) != 1 {
		t.Fatalf("after reading up to 1: unread=%d, want 1", unread(bob))
	}
	mark(workroom.ReadMark{RoomID: r.ID, UserID: bob.ID, Upto: 0}) // never back
	if m, _ := s.Member(ctx, r.ID, bob.ID); m.LastRead != 1 || m.Unread != 1 {
		t.Fatalf("a mark moved back: LastRead=%d unread=%d, want 1 and 1", m.LastRead, m.Unread)
	}
	mark(workroom.ReadMark{RoomID: r.ID, UserID: bob.ID, Upto: m3.ID + 100})
	if m, _ := s.Member(ctx, r.ID, bob.ID); m.Unread != 0 || m.LastRead != m3.ID {
		t.Fatalf("after reading all: unread=%d LastRead=%d, want 0 and %d (never past the newest)", m.Unread, m.LastRead, m3.ID)
	}
	rooms, _ := s.RoomsOf(ctx, ada.ID, 0, all)
	if rooms[0].Unread != 1 {
		t.Fatalf("RoomsOf unread = %d, want 1", rooms[0].Unread)
	}
}

func testOutbox(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	m := &workroom.Message{RoomID: r.ID, AuthorID: ada.ID, Body: "hi", Created: t0}
	mails := []workroom.Mail{{To: "bob@example.com", Subject: "a", NextTry: t0}, {To: "cy@example.com", Subject: "b", NextTry: t0.Add(time.Hour)}}
	_, _, err := s.AppendMessage(ctx, m, mails)
	must(t, err)
	due, err := s.PendingMail(ctx, t0, 10)
	must(t, err)
	if len(due) != 1 || due[0].To != "bob@example.com" || due[0].ID == 0 {
		t.Fatalf("due now = %+v, want bob's mail only", due)
	}
	must(t, s.DeferMail(ctx, due[0].ID, 1, t0.Add(2*time.Hour), "relay down"))
	if due, _ := s.PendingMail(ctx, t0.Add(90*time.Minute), 10); len(due) != 1 || due[0].To != "cy@example.com" {
		t.Fatalf("due at +90m = %+v, want cy's mail only", due)
	}
	later, _ := s.PendingMail(ctx, t0.Add(3*time.Hour), 10)
	if len(later) != 2 || later[0].Attempts != 1 || later[0].LastError != "relay down" {
		t.Fatalf("due at +3h = %+v", later)
	}
	must(t, s.DeleteMail(ctx, later[0].ID))
	if left, _ := s.PendingMail(ctx, t0.Add(3*time.Hour), 10); len(left) != 1 {
		t.Fatalf("after delete %d mails left, want 1", len(left))
	}
	// A refused append enqueues nothing.
	_, _, err = s.AppendMessage(ctx, &workroom.Message{RoomID: r.ID + 99, AuthorID: ada.ID, Body: "x"}, []workroom.Mail{{To: "z", NextTry: t0}})
	wantCode(t, err, workroom.ENOTFOUND)
	if left, _ := s.PendingMail(ctx, t0.Add(3*time.Hour), 10); len(left) != 1 {
		t.Fatalf("a refused append enqueued mail: %d pending", len(left))
	}
}

func testAppendReturns(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	post(t, s, r, ada, "1")
	m := &workroom.Message{RoomID: r.ID, AuthorID: ada.ID, Body: "2", Created: t0}
	room, members, err := s.AppendMessage(ctx, m, nil)
	must(t, err)
	stored, _ := s.Room(ctx, r.ID)
	if room.ID != r.ID || room.LastSeq != m.ID || room.Activity != stored.Activity {
		t.Fatalf("returned room %+v, stored %+v", room, stored)
	}
	if len(members) != 2 {
		t.Fatalf("returned %d members, want 2", len(members))
	}
	for _, mb := range members {
		want, _ := s.Member(ctx, r.ID, mb.UserID)
		if mb != *want {
			t.Fatalf("returned member %+v, stored %+v", mb, *want)
		}
	}
	if members[1].UserID != bob.ID || members[1].Unread != 2 || members[0].Unread != 0 {
		t.Fatalf("returned members %+v, want bob with 2 unread and ada with none", members)
	}
}

func testMarkReadBatch(t *testing.T, s workroom.Store) {
	ada, bob, cy := newUser(t, s, "ada"), newUser(t, s, "bob"), newUser(t, s, "cy")
	r1, r2 := newRoom(t, s, ada, bob), newRoom(t, s, cy, bob)
	for range 3 {
		post(t, s, r1, ada, "r1")
		post(t, s, r2, cy, "r2")
	}
	must(t, s.MarkRead(ctx, []workroom.ReadMark{
		{RoomID: r1.ID, UserID: bob.ID, Upto: 3},
		{RoomID: r2.ID, UserID: bob.ID, Upto: 2},
		{RoomID: r2.ID, UserID: ada.ID, Upto: 3},       // not a member: skipped
		{RoomID: r2.ID + 100, UserID: bob.ID, Upto: 3}, // no such room: skipped
	}))
	rooms, err := s.RoomsOf(ctx, bob.ID, 0, all)
	must(t, err)
	got := map[workroom.RoomID]int{}
	for _, m := range rooms {
		got[m.ID] = m.Unread
	}
	if got[r1.ID] != 0 || got[r2.ID] != 1 {
		t.Fatalf("unread after one batch: %v, want r1 0 and r2 1", got)
	}
	must(t, s.MarkRead(ctx, nil))
}

func testNotifySetting(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	if m, _ := s.Member(ctx, r.ID, bob.ID); m.NotifyOff {
		t.Fatal("a new member starts with notifications off, want on")
	}
	must(t, s.SetNotify(ctx, r.ID, bob.ID, false))
	// The setting survives the writes that rewrite the member.
	_, _, err := s.AppendMessage(ctx, &workroom.Message{RoomID: r.ID, AuthorID: ada.ID, Body: "hi", Created: t0}, nil)
	must(t, err)
	must(t, s.MarkRead(ctx, []workroom.ReadMark{{RoomID: r.ID, UserID: bob.ID, Upto: 1}}))
	if m, _ := s.Member(ctx, r.ID, bob.ID); !m.NotifyOff {
		t.Fatal("after SetNotify off, a message and a read: notifications on, want off")
	}
	if rooms, _ := s.RoomsOf(ctx, bob.ID, 0, all); len(rooms) != 1 || rooms[0].Notify {
		t.Fatalf("RoomsOf = %+v, want the room with notify off", rooms)
	}
	if rooms, _ := s.RoomsOf(ctx, ada.ID, 0, all); len(rooms) != 1 || !rooms[0].Notify {
		t.Fatalf("ada's RoomsOf = %+v, want notify on (bob's setting is his only)", rooms)
	}
	must(t, s.SetNotify(ctx, r.ID, bob.ID, true))
	if m, _ := s.Member(ctx, r.ID, bob.ID); m.NotifyOff {
		t.Fatal("after SetNotify on: off")
	}
	wantCode(t, s.SetNotify(ctx, r.ID, newUser(t, s, "eve").ID, false), workroom.ENOTFOUND)
}

func testLastSeen(t *testing.T, s workroom.Store) {
	ada, bob, cy := newUser(t, s, "ada"), newUser(t, s, "bob"), newUser(t, s, "cy")
	must(t, s.SetLastSeen(ctx, []workroom.LastSeen{{UserID: ada.ID, At: t0}, {UserID: bob.ID, At: t0.Add(time.Hour)}}))
	must(t, s.SetLastSeen(ctx, []workroom.LastSeen{
		{UserID: ada.ID, At: t0.Add(2 * time.Hour)}, // later: replaces
		{UserID: bob.ID, At: t0},                    // earlier: skipped
	}))
	must(t, s.SetLastSeen(ctx, nil))
	got, err := s.LastSeen(ctx, []workroom.UserID{ada.ID, bob.ID, cy.ID})
	must(t, err)
	if !got[ada.ID].Equal(t0.Add(2*time.Hour)) || !got[bob.ID].Equal(t0.Add(time.Hour)) {
		t.Fatalf("last seen %v, want ada at t0+2h and bob at t0+1h", got)
	}
	if _, ok := got[cy.ID]; ok {
		t.Fatalf("cy was never seen, got %v", got[cy.ID])
	}
}
