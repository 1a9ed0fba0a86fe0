package meetingtest

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// frontEnd is one front end: a service over the World's store and hub
// (the hub of several front ends shows every front end's sessions), with
// a book of its own on the shared state. Sessions are made through a hub
// that can drop them all, as if the front end died.
type frontEnd struct {
	svc *workroom.Service
	hub *mortalHub
}

// twoFrontEnds is A and B over one World, and Ada, Bob and Cy, members
// of one room.
type twoFrontEnds struct {
	w            *workroomtest.World
	a, b         *frontEnd
	room         workroom.RoomID
	ada, bob, cy *workroom.Identity
}

func newTwoFrontEnds(t *testing.T, books func() workroom.MeetingBook) *twoFrontEnds {
	t.Helper()
	w := workroomtest.New(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	w.Verify(t, ada)
	room := w.Room(t, ada, bob, "Logo design").ID
	cy := w.Member(t, ada, room, "Cy", workroom.RoleTeam)
	return &twoFrontEnds{w: w, a: newFrontEnd(t, w, books()), b: newFrontEnd(t, w, books()), room: room, ada: ada, bob: bob, cy: cy}
}

func newFrontEnd(t *testing.T, w *workroomtest.World, book workroom.MeetingBook) *frontEnd {
	hub := &mortalHub{Hub: w.Hub}
	svc := workroom.NewService(w.DB, hub, workroom.Config{MailDomain: workroomtest.MailDomain, Now: w.Now, Limits: workroom.NoLimits,
		Outbox: w.Outbox, Meetings: book}, slog.New(slog.DiscardHandler))
	t.Cleanup(func() { _ = svc.Close(context.Background()) }) // before the World's store closes
	return &frontEnd{svc: svc, hub: hub}
}

// mortalHub is a front end's view of the shared hub.
type mortalHub struct {
	workroom.Hub
	mu   sync.Mutex
	subs []workroom.Subscription
}

func (h *mortalHub) Subscribe(u workroom.UserID) workroom.Subscription {
	s := h.Hub.Subscribe(u)
	h.mu.Lock()
	h.subs = append(h.subs, s)
	h.mu.Unlock()
	return s
}

// die takes every session of the front end out of the hub, as the
// presence of a dead front end expires, while its service is told
// nothing: no visit ends.
func (h *mortalHub) die() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.subs {
		s.Close()
	}
}

// in is id's session on the front end, in the room.
type in struct {
	id    *workroom.Identity
	fe    *frontEnd
	sess  *workroom.Session
	visit *workroom.Visit
}

func (sc *twoFrontEnds) enter(t *testing.T, id *workroom.Identity, fe *frontEnd) *in {
	t.Helper()
	sess, err := fe.svc.Subscribe(workroomtest.As(id))
	must(t, err)
	t.Cleanup(sess.Close)
	v, err := fe.svc.Enter(workroomtest.As(id), sess, sc.room)
	must(t, err)
	return &in{id: id, fe: fe, sess: sess, visit: v}
}

func (p *in) ask(t *testing.T) *workroom.MeetingRequest {
	t.Helper()
	req, err := p.fe.svc.RequestMeeting(workroomtest.As(p.id), p.visit)
	must(t, err)
	return req
}

func (p *in) accept(req *workroom.MeetingRequest) (*workroom.Meeting, error) {
	return p.fe.svc.AnswerMeeting(workroomtest.As(p.id), p.visit, req.ID, true)
}

func (p *in) line(text string) (*workroom.Message, error) {
	return p.fe.svc.MeetingLine(workroomtest.As(p.id), p.visit, text)
}

func (p *in) running(t *testing.T) *workroom.Meeting {
	t.Helper()
	mt, err := p.fe.svc.RunningMeeting(workroomtest.As(p.id), p.visit.Room())
	must(t, err)
	return mt
}

// next is the session's next meeting event that says what.
func (p *in) next(t *testing.T, what workroom.MeetingWhat) *workroom.MeetingChange {
	t.Helper()
	deadline := time.After(workroomtest.WaitLimit)
	for {
		select {
		case ev, ok := <-p.sess.Events():
			if !ok {
				t.Fatalf("%s's session ended waiting for %q", p.id.User.Name, what)
			}
			if ev.Kind == workroom.EventMeeting && ev.Meeting.What == what {
				return ev.Meeting
			}
		case <-deadline:
			t.Fatalf("%s saw no meeting %q", p.id.User.Name, what)
		}
	}
}

func wantRule(t *testing.T, err error, code string, rule workroom.Rule) {
	t.Helper()
	if workroom.ErrorCode(err) != code || workroom.ErrorRule(err) != rule {
		t.Fatalf("error %v: want %s (%s)", err, code, rule)
	}
}

// records are the room's meeting records in the store.
func (sc *twoFrontEnds) records(t *testing.T) []workroom.Meeting {
	t.Helper()
	ms, err := sc.w.DB.Meetings(ctx, sc.room, 0, 1<<62)
	must(t, err)
	return ms
}

func testMeetingAcross(t *testing.T, books func() workroom.MeetingBook) {
	sc := newTwoFrontEnds(t, books)
	ada, cy := sc.enter(t, sc.ada, sc.a), sc.enter(t, sc.cy, sc.a)
	bob := sc.enter(t, sc.bob, sc.b)
	req := ada.ask(t)
	if got := bob.next(t, workroom.MeetingRequested); got.Request.ID != req.ID {
		t.Fatalf("Bob, on B, saw request %+v, want %d", got.Request, req.ID)
	}
	mt, err := bob.accept(req) // on B, a request made on A
	must(t, err)
	if mt.Names() != "Ada, Bob" {
		t.Fatalf("meeting of %q", mt.Names())
	}
	if got := ada.next(t, workroom.MeetingStarted); got.Meeting.ID != mt.ID {
		t.Fatalf("Ada saw %+v", got.Meeting)
	}
	// A knows the meeting B started: Cy, on A and not in it, is told.
	_, err = cy.fe.svc.RequestMeeting(workroomtest.As(sc.cy), cy.visit)
	wantRule(t, err, workroom.ECONFLICT, workroom.RuleMeetingRunning)
	_, err = cy.line("may I?")
	wantRule(t, err, workroom.ECONFLICT, workroom.RuleNotInMeeting)
	// Lines from both front ends, counted in one meeting.
	if _, err := ada.line("from A"); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.line("from B"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*in{ada, bob} {
		if got := p.running(t); got == nil || got.ID != mt.ID || got.Lines != 2 || got.Names() != "Ada, Bob" {
			t.Fatalf("%s's front end says the meeting is %+v", p.id.User.Name, got)
		}
	}
	// Leaving on B ends it on A.
	must(t, bob.fe.svc.LeaveMeeting(workroomtest.As(sc.bob), bob.visit))
	if got := ada.next(t, workroom.MeetingEnded); got.Name != "Bob" || got.Meeting.Lines != 2 {
		t.Fatalf("Ada saw %+v", got)
	}
	if got := ada.running(t); got != nil {
		t.Fatalf("A still runs %+v", got)
	}
	_, err = ada.line("Bob?")
	wantRule(t, err, workroom.ECONFLICT, workroom.RuleNotInMeeting)
	if ms := sc.records(t); len(ms) != 1 || ms[0].Ended.IsZero() || ms[0].Lines != 2 || ms[0].Upto == 0 {
		t.Fatalf("records %+v", ms)
	}
}

func testDisconnectAcross(t *testing.T, books func() workroom.MeetingBook) {
	sc := newTwoFrontEnds(t, books)
	ada, bob := sc.enter(t, sc.ada, sc.a), sc.enter(t, sc.bob, sc.b)
	req := bob.ask(t) // on B, accepted on A
	if _, err := ada.accept(req); err != nil {
		t.Fatal(err)
	}
	bob.sess.Close() // Bob's connection to B dropped
	if got := ada.next(t, workroom.MeetingEnded); got.Name != "Bob" {
		t.Fatalf("Ada saw %+v", got)
	}
	if got := ada.running(t); got != nil {
		t.Fatalf("A still runs %+v", got)
	}
}

func testAcceptRace(t *testing.T, books func() workroom.MeetingBook) {
	const rounds = 8
	sc := newTwoFrontEnds(t, books)
	ada := sc.enter(t, sc.ada, sc.a)
	bob, cy := sc.enter(t, sc.bob, sc.a), sc.enter(t, sc.cy, sc.b)
	for round := range rounds {
		req := ada.ask(t)
		var wg sync.WaitGroup
		got := make([]*workroom.Meeting, 2)
		for i, p := range []*in{bob, cy} {
			wg.Go(func() {
				mt, err := p.accept(req)
				if err != nil {
					t.Errorf("round %d: %s accepting: %v", round, p.id.User.Name, err)
				}
				got[i] = mt
			})
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		now := ada.running(t)
		if now == nil || len(now.Attendees) != 3 || now.Attendees[0].Name != "Ada" || got[0].ID != now.ID || got[1].ID != now.ID {
			t.Fatalf("round %d: the meeting is %+v; the accepts returned %+v and %+v", round, now, got[0], got[1])
		}
		must(t, bob.fe.svc.LeaveMeeting(workroomtest.As(sc.bob), bob.visit))
		must(t, cy.fe.svc.LeaveMeeting(workroomtest.As(sc.cy), cy.visit))
		if ms := sc.records(t); len(ms) != round+1 || ms[round].Ended.IsZero() || len(ms[round].Attendees) != 3 {
			t.Fatalf("round %d: records %+v: want one more meeting, of three, ended", round, ms)
		}
	}
}

func testDeadFrontEnd(t *testing.T, books func() workroom.MeetingBook) {
	sc := newTwoFrontEnds(t, books)
	ada, bob := sc.enter(t, sc.ada, sc.a), sc.enter(t, sc.bob, sc.b)
	req := ada.ask(t)
	if _, err := bob.accept(req); err != nil {
		t.Fatal(err)
	}
	// Sweeps take out nobody present.
	for range 3 {
		must(t, sc.a.svc.SweepMeetings(ctx))
	}
	if got := ada.running(t); got == nil || len(got.Attendees) != 2 {
		t.Fatalf("sweeps changed a meeting of people present: %+v", got)
	}
	sc.b.hub.die()
	// The first sweep after may meet presence not caught up yet.
	must(t, sc.a.svc.SweepMeetings(ctx))
	if got := ada.running(t); got == nil {
		t.Fatal("one sweep ended the meeting")
	}
	must(t, sc.a.svc.SweepMeetings(ctx))
	if got := ada.next(t, workroom.MeetingEnded); got.Name != "Bob" {
		t.Fatalf("Ada saw %+v", got)
	}
	if ms := sc.records(t); len(ms) != 1 || ms[0].Ended.IsZero() {
		t.Fatalf("records %+v: the meeting's record has its end", ms)
	}
	rooms, err := books().Rooms(ctx)
	must(t, err)
	if len(rooms) != 0 {
		t.Fatalf("the book still keeps rooms %v", rooms)
	}
}
