package workroom_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// meetingScene is Ada and Bob, each with a live session in their room.
type meetingScene struct {
	w              *workroomtest.World
	room           workroom.RoomID
	ada, bob       *workroom.Identity
	adaSub, bobSub *workroom.Session
	adaIn, bobIn   *workroom.Visit
}

func newMeetingScene(t *testing.T) *meetingScene {
	t.Helper()
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	sc := &meetingScene{w: w, ada: ada, bob: bob, room: w.Room(t, ada, bob, "Logo design").ID}
	sc.adaSub, sc.bobSub = subscribe(t, w, ada), subscribe(t, w, bob)
	sc.adaIn = enter(t, w, ada, sc.adaSub, sc.room)
	sc.bobIn = enter(t, w, bob, sc.bobSub, sc.room)
	return sc
}

// nextMeeting is the session's next meeting event that says what.
func nextMeeting(t *testing.T, sub *workroom.Session, what workroom.MeetingWhat) *workroom.MeetingChange {
	t.Helper()
	for {
		ev := next(t, sub, workroom.EventMeeting)
		if ev.Meeting.What == what {
			return ev.Meeting
		}
	}
}

// start has Ada ask and Bob accept.
func (sc *meetingScene) start(t *testing.T) *workroom.Meeting {
	t.Helper()
	req, err := sc.w.Svc.RequestMeeting(workroomtest.As(sc.ada), sc.adaIn)
	if err != nil {
		t.Fatal(err)
	}
	mt, err := sc.w.Svc.AnswerMeeting(workroomtest.As(sc.bob), sc.bobIn, req.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	return mt
}

// stored is the room's meeting records.
func (sc *meetingScene) stored(t *testing.T) []workroom.Meeting {
	t.Helper()
	ms, err := sc.w.DB.Meetings(context.Background(), sc.room, 0, 1<<62)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestRequestMeeting_RefusedWhenNobodyElseIsHere(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo design").ID
	subscribe(t, w, bob) // online, but not in the room
	v := enter(t, w, ada, subscribe(t, w, ada), room)
	_, err := w.Svc.RequestMeeting(workroomtest.As(ada), v)
	wantCode(t, err, workroom.ECONFLICT)
	if got := workroom.ErrorMessage(err); got != "nobody else is in workroom #1 now: a meeting needs another member here; post a message instead, or ask when someone is here" {
		t.Errorf("refusal says %q", got)
	}
}

func TestRequestMeeting_OthersPresentSeeItAndAcceptStartsTheMeeting(t *testing.T) {
	sc := newMeetingScene(t)
	req, err := sc.w.Svc.RequestMeeting(workroomtest.As(sc.ada), sc.adaIn)
	if err != nil {
		t.Fatal(err)
	}
	got := nextMeeting(t, sc.bobSub, workroom.MeetingRequested)
	if got.Request.ID != req.ID || got.Request.FromName != "Ada" || !got.Request.Expires.Equal(sc.w.Now().Add(workroom.MeetingRequestTTL)) {
		t.Fatalf("Bob saw %+v", got.Request)
	}
	_, err = sc.w.Svc.RequestMeeting(workroomtest.As(sc.ada), sc.adaIn)
	wantCode(t, err, workroom.ECONFLICT) // one waiting request per person
	_, err = sc.w.Svc.AnswerMeeting(workroomtest.As(sc.ada), sc.adaIn, req.ID, true)
	wantCode(t, err, workroom.EINVALID) // not one's own

	mt, err := sc.w.Svc.AnswerMeeting(workroomtest.As(sc.bob), sc.bobIn, req.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if mt.Names() != "Ada, Bob" || !mt.Ended.IsZero() {
		t.Fatalf("meeting %+v", mt)
	}
	for _, sub := range []*workroom.Session{sc.adaSub, sc.bobSub} {
		if c := nextMeeting(t, sub, workroom.MeetingStarted); c.Meeting.ID != mt.ID {
			t.Fatalf("started %+v, want meeting %d", c.Meeting, mt.ID)
		}
	}
	ms := sc.stored(t)
	if len(ms) != 1 || ms[0].Names() != "Ada, Bob" || !ms[0].Started.Equal(sc.w.Now()) || !ms[0].Ended.IsZero() {
		t.Fatalf("records %+v", ms)
	}
}

func TestAnswerMeeting_DeclineTellsTheAskerAndStartsNothing(t *testing.T) {
	sc := newMeetingScene(t)
	req, err := sc.w.Svc.RequestMeeting(workroomtest.As(sc.ada), sc.adaIn)
	if err != nil {
		t.Fatal(err)
	}
	mt, err := sc.w.Svc.AnswerMeeting(workroomtest.As(sc.bob), sc.bobIn, req.ID, false)
	if err != nil || mt != nil {
		t.Fatalf("decline: %v, %v", mt, err)
	}
	if c := nextMeeting(t, sc.adaSub, workroom.MeetingDeclined); c.Name != "Bob" || c.Request.ID != req.ID {
		t.Fatalf("Ada saw %+v", c)
	}
	_, err = sc.w.Svc.MeetingLine(workroomtest.As(sc.ada), sc.adaIn, "hello?")
	wantCode(t, err, workroom.ECONFLICT)
	if ms := sc.stored(t); len(ms) != 0 {
		t.Fatalf("a declined request left %+v", ms)
	}
}

func TestAnswerMeeting_RequestExpiresAfterAMinute(t *testing.T) {
	for _, c := range []struct {
		wait time.Duration
		code string
	}{
		{workroom.MeetingRequestTTL - time.Second, ""},
		{workroom.MeetingRequestTTL, workroom.ENOTFOUND},
	} {
		sc := newMeetingScene(t)
		req, err := sc.w.Svc.RequestMeeting(workroomtest.As(sc.ada), sc.adaIn)
		if err != nil {
			t.Fatal(err)
		}
		sc.w.Advance(c.wait)
		_, err = sc.w.Svc.AnswerMeeting(workroomtest.As(sc.bob), sc.bobIn, req.ID, true)
		if workroom.ErrorCode(err) != c.code {
			t.Fatalf("accepted %v after the request: %v, want code %q", c.wait, err, c.code)
		}
		if c.code != "" {
			if got := workroom.ErrorMessage(err); got != "that meeting request is no longer open: requests expire after a minute, or the asker left; ask for a new one" {
				t.Errorf("refusal says %q", got)
			}
			// Once expired, the asker may ask again.
			if _, err := sc.w.Svc.RequestMeeting(workroomtest.As(sc.ada), sc.adaIn); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestMeetingLine_SavedWithSourceMeetingAndReachesTheOthers(t *testing.T) {
	sc := newMeetingScene(t)
	sc.w.Post(t, sc.ada, sc.room, "before the meeting")
	sc.start(t)
	line, err := sc.w.Svc.MeetingLine(workroomtest.As(sc.ada), sc.adaIn, "shall we start?")
	if err != nil {
		t.Fatal(err)
	}
	for {
		ev := next(t, sc.bobSub, workroom.EventMessage)
		if ev.Message.ID == line.ID {
			if ev.Message.Source != workroom.SourceMeeting || ev.Message.Body != "shall we start?" {
				t.Fatalf("Bob got %+v", ev.Message)
			}
			break
		}
	}
	if _, err := sc.w.Svc.MeetingLine(workroomtest.As(sc.bob), sc.bobIn, "yes"); err != nil {
		t.Fatal(err)
	}
	page, err := sc.w.Svc.Messages(workroomtest.As(sc.bob), sc.room, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var sources []workroom.Source
	for _, m := range page.Messages {
		sources = append(sources, m.Source)
	}
	if want := []workroom.Source{workroom.SourceMeeting, workroom.SourceMeeting, workroom.SourceCommand}; !slices.Equal(sources[:3], want) {
		t.Fatalf("sources newest first %v, want %v", sources, want)
	}
	if len(page.Meetings) != 1 || page.Meetings[0].Lines != 2 {
		t.Fatalf("the page's meetings: %+v", page.Meetings)
	}
	mt := page.Meetings[0]
	if !mt.Holds(&page.Messages[0]) || !mt.Holds(&page.Messages[1]) || mt.Holds(&page.Messages[2]) {
		t.Fatalf("meeting %+v holds the wrong messages", mt)
	}
}

func TestMeetingLine_RefusedToThoseNotInTheMeeting(t *testing.T) {
	sc := newMeetingScene(t)
	_, err := sc.w.Svc.MeetingLine(workroomtest.As(sc.ada), sc.adaIn, "anyone?")
	wantCode(t, err, workroom.ECONFLICT)
	sc.start(t)
	sc.adaIn.Leave()
	_, err = sc.w.Svc.MeetingLine(workroomtest.As(sc.ada), sc.adaIn, "still here?")
	wantCode(t, err, workroom.ECONFLICT) // the visit has ended
}

func TestMeeting_EndsWhenAnAttendeeLeavesTheRoom(t *testing.T) {
	sc := newMeetingScene(t)
	sc.start(t)
	if _, err := sc.w.Svc.MeetingLine(workroomtest.As(sc.bob), sc.bobIn, "one line"); err != nil {
		t.Fatal(err)
	}
	sc.w.Advance(31 * time.Minute)
	sc.adaIn.Leave()
	c := nextMeeting(t, sc.bobSub, workroom.MeetingEnded)
	if c.Name != "Ada" || c.Meeting.Lines != 1 {
		t.Fatalf("Bob saw %+v", c)
	}
	ms := sc.stored(t)
	if len(ms) != 1 || !ms[0].Ended.Equal(sc.w.Now()) || ms[0].Lines != 1 || ms[0].Upto == 0 || ms[0].Names() != "Ada, Bob" {
		t.Fatalf("record %+v", ms)
	}
	if mt, err := sc.w.Svc.RunningMeeting(workroomtest.As(sc.bob), sc.room); err != nil || mt != nil {
		t.Fatalf("still running: %+v, %v", mt, err)
	}
}

func TestMeeting_EndsWhenTheLastOtherAttendeeDisconnects(t *testing.T) {
	sc := newMeetingScene(t)
	sc.start(t)
	sc.bobSub.Close() // the connection dropped
	nextMeeting(t, sc.adaSub, workroom.MeetingEnded)
	if ms := sc.stored(t); len(ms) != 1 || ms[0].Ended.IsZero() {
		t.Fatalf("record %+v", ms)
	}
	_, err := sc.w.Svc.MeetingLine(workroomtest.As(sc.ada), sc.adaIn, "Bob?")
	wantCode(t, err, workroom.ECONFLICT)
}

func TestMeeting_LeaveMeetingKeepsTheRoomAndEndsIt(t *testing.T) {
	sc := newMeetingScene(t)
	sc.start(t)
	if err := sc.w.Svc.LeaveMeeting(workroomtest.As(sc.bob), sc.bobIn); err != nil {
		t.Fatal(err)
	}
	nextMeeting(t, sc.adaSub, workroom.MeetingEnded)
	wantCode(t, sc.w.Svc.LeaveMeeting(workroomtest.As(sc.bob), sc.bobIn), workroom.ENOTFOUND)
	// Both still here: a new request is fine.
	sc.start(t)
	if ms := sc.stored(t); len(ms) != 2 {
		t.Fatalf("records %+v, want two meetings", ms)
	}
}

// roomOfThree is a room of Ada (client), Bob (freelancer) and Cy (team),
// made in the store directly: the service has no invitations yet.
func roomOfThree(t *testing.T, w *workroomtest.World) (ada, bob, cy *workroom.Identity, room workroom.RoomID) {
	t.Helper()
	ada, bob, cy = w.SignUp(t, "Ada"), w.SignUp(t, "Bob"), w.SignUp(t, "Cy")
	return ada, bob, cy, roomOf(t, w, ada, bob, cy)
}

// roomOf makes the room of a client, a freelancer and a team member.
func roomOf(t *testing.T, w *workroomtest.World, ada, bob, cy *workroom.Identity) workroom.RoomID {
	t.Helper()
	j, err := w.Svc.PostJob(workroomtest.As(ada), "Logo design", "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.Svc.Propose(workroomtest.As(bob), j.ID, "me")
	if err != nil {
		t.Fatal(err)
	}
	r := &workroom.Room{JobID: j.ID, Title: j.Title, Created: w.Now(), LastActivity: w.Now()}
	err = w.DB.Award(context.Background(), j.ID, p.ID, r, []workroom.Member{
		{UserID: ada.User.ID, Role: workroom.RoleClient, Joined: w.Now()},
		{UserID: bob.User.ID, Role: workroom.RoleFreelancer, Joined: w.Now()},
		{UserID: cy.User.ID, Role: workroom.RoleTeam, Joined: w.Now()},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func TestMeeting_ALaterAcceptJoinsAndOneLeavingKeepsItForTheOthers(t *testing.T) {
	w := newWorld(t)
	ada, bob, cy, room := roomOfThree(t, w)
	adaSub, bobSub, cySub := subscribe(t, w, ada), subscribe(t, w, bob), subscribe(t, w, cy)
	adaIn, bobIn, cyIn := enter(t, w, ada, adaSub, room), enter(t, w, bob, bobSub, room), enter(t, w, cy, cySub, room)
	req, err := w.Svc.RequestMeeting(workroomtest.As(ada), adaIn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Svc.AnswerMeeting(workroomtest.As(bob), bobIn, req.ID, true); err != nil {
		t.Fatal(err)
	}
	mt, err := w.Svc.AnswerMeeting(workroomtest.As(cy), cyIn, req.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if mt.Names() != "Ada, Bob, Cy" {
		t.Fatalf("attendees %q", mt.Names())
	}
	if c := nextMeeting(t, adaSub, workroom.MeetingJoined); c.Name != "Cy" {
		t.Fatalf("Ada saw %+v", c)
	}
	adaIn.Leave()
	if c := nextMeeting(t, bobSub, workroom.MeetingLeft); c.Meeting.Names() != "Bob, Cy" {
		t.Fatalf("Bob saw %+v", c)
	}
	if _, err := w.Svc.MeetingLine(workroomtest.As(cy), cyIn, "we go on"); err != nil {
		t.Fatal(err)
	}
	cySub.Close()
	nextMeeting(t, bobSub, workroom.MeetingEnded)
	ms, err := w.DB.Meetings(context.Background(), room, 0, 1<<62)
	if err != nil || len(ms) != 1 || ms[0].Names() != "Ada, Bob, Cy" || ms[0].Lines != 1 {
		t.Fatalf("record %+v, %v: every attendee is kept", ms, err)
	}
}

func TestRequestMeeting_RefusedWhileAMeetingRunsWithoutTheAsker(t *testing.T) {
	w := newWorld(t)
	ada, bob, cy, room := roomOfThree(t, w)
	adaIn := enter(t, w, ada, subscribe(t, w, ada), room)
	bobIn := enter(t, w, bob, subscribe(t, w, bob), room)
	cyIn := enter(t, w, cy, subscribe(t, w, cy), room)
	req, err := w.Svc.RequestMeeting(workroomtest.As(ada), adaIn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Svc.AnswerMeeting(workroomtest.As(bob), bobIn, req.ID, true); err != nil {
		t.Fatal(err)
	}
	_, err = w.Svc.RequestMeeting(workroomtest.As(cy), cyIn)
	wantCode(t, err, workroom.ECONFLICT)
	if got := workroom.ErrorMessage(err); got != "a meeting is running in workroom #1 (Ada, Bob); ask one of them to invite you" {
		t.Errorf("refusal says %q", got)
	}
}

func TestTyping_ThrottledAndClearedOnLeave(t *testing.T) {
	sc := newMeetingScene(t)
	asAda := workroomtest.As(sc.ada)
	for range 3 {
		if err := sc.w.Svc.Typing(asAda, sc.adaIn, true); err != nil {
			t.Fatal(err)
		}
	}
	if ev := next(t, sc.bobSub, workroom.EventTyping); !ev.Typing.Active || ev.Typing.Name != "Ada" {
		t.Fatalf("Bob saw %+v", ev.Typing)
	}
	quiet(t, sc.bobSub, workroom.EventTyping) // the other two were within TypingInterval
	sc.w.Advance(workroom.TypingInterval)
	if err := sc.w.Svc.Typing(asAda, sc.adaIn, true); err != nil {
		t.Fatal(err)
	}
	next(t, sc.bobSub, workroom.EventTyping)
	sc.adaIn.Leave()
	if ev := next(t, sc.bobSub, workroom.EventTyping); ev.Typing.Active || ev.Typing.UserID != sc.ada.User.ID {
		t.Fatalf("after Ada left Bob saw %+v", ev.Typing)
	}
}

// A message posted tells the others its author stopped typing: no
// "stopped" event is needed, and the author's next "typing" goes out at
// once, not after TypingInterval.
func TestTyping_APostEndsTypingAndTheNextTypingGoesOutAtOnce(t *testing.T) {
	sc := newMeetingScene(t)
	asAda := workroomtest.As(sc.ada)
	if err := sc.w.Svc.Typing(asAda, sc.adaIn, true); err != nil {
		t.Fatal(err)
	}
	next(t, sc.bobSub, workroom.EventTyping)
	if _, err := sc.w.Svc.Post(asAda, sc.room, "done typing", workroom.SourceTerminal); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, sc.bobSub, workroom.EventMessage); ev.Message.AuthorID != sc.ada.User.ID {
		t.Fatalf("Bob saw %+v", ev.Message)
	}
	if err := sc.w.Svc.Typing(asAda, sc.adaIn, true); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, sc.bobSub, workroom.EventTyping); !ev.Typing.Active {
		t.Fatalf("Ada typing again after her post: Bob saw %+v", ev.Typing)
	}
}

func TestMeetingLine_NotifiesMembersNotPresentAsAnyMessage(t *testing.T) {
	w := newWorld(t)
	ada, bob, cy := verified(t, w, "Ada"), verified(t, w, "Bob"), verified(t, w, "Cy")
	room := roomOf(t, w, ada, bob, cy)
	adaIn := enter(t, w, ada, subscribe(t, w, ada), room)
	bobIn := enter(t, w, bob, subscribe(t, w, bob), room)
	req, err := w.Svc.RequestMeeting(workroomtest.As(ada), adaIn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Svc.AnswerMeeting(workroomtest.As(bob), bobIn, req.ID, true); err != nil {
		t.Fatal(err)
	}
	cyBefore, bobBefore := len(notificationsTo(t, w, workroomtest.Email("Cy"))), len(notificationsTo(t, w, workroomtest.Email("Bob")))
	if _, err := w.Svc.MeetingLine(workroomtest.As(ada), adaIn, "the plan for today"); err != nil {
		t.Fatal(err)
	}
	got := notificationsTo(t, w, workroomtest.Email("Cy"))
	if len(got) != cyBefore+1 || !strings.Contains(got[len(got)-1].Body, "the plan for today") {
		t.Fatalf("Cy, away, has %d notifications (was %d): %+v", len(got), cyBefore, got)
	}
	if n := len(notificationsTo(t, w, workroomtest.Email("Bob"))); n != bobBefore {
		t.Fatalf("Bob, in the meeting, was mailed (%d → %d)", bobBefore, n)
	}
	rows, err := w.Svc.Rooms(workroomtest.As(cy), 0, 0)
	if err != nil || rows.Rooms[0].Unread == 0 {
		t.Fatalf("Cy's row %+v, %v: the line counts as unread", rows, err)
	}
}
