// Package meetingtest is the contract every workroom.MeetingBook must
// meet. A book's tests call Run with a function that makes front ends
// over one empty state; the suite checks what the service relies on: a
// change kept is seen by every front end, a refused change keeps nothing,
// request IDs are unique, changes of a room never interleave and are
// announced in order — and, through two services over one store and one
// hub, that meeting mode works across front ends: a request made on one
// is answered on the other, two accepts at once make one meeting, and a
// front end that dies leaves no one in a meeting for ever.
package meetingtest

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
)

// Open makes a new, empty shared state and returns how to open a front
// end's book on it: each call is another front end over the same state.
// A book of one process returns the same book each time; a shared one
// opens another (another connection pool, as another process would).
// Register cleanup in Open: the suite closes nothing.
type Open func(t *testing.T) (frontEnd func() workroom.MeetingBook)

// Run runs the whole contract against books from open.
func Run(t *testing.T, open Open) {
	t.Run("EmptyRoom", func(t *testing.T) { testEmptyRoom(t, open(t)) })
	t.Run("KeptForEveryFrontEnd", func(t *testing.T) { testKept(t, open(t)) })
	t.Run("RefusedChangeKeepsNothing", func(t *testing.T) { testRefused(t, open(t)) })
	t.Run("StateIsACopy", func(t *testing.T) { testStateIsACopy(t, open(t)) })
	t.Run("RequestIDsUniqueAcrossFrontEnds", func(t *testing.T) { testRequestIDs(t, open(t)) })
	t.Run("ChangesOfARoomNeverInterleave", func(t *testing.T) { testSerialised(t, open(t)) })
	t.Run("RoomsWithState", func(t *testing.T) { testRooms(t, open(t)) })
	t.Run("MeetingAcrossFrontEnds", func(t *testing.T) { testMeetingAcross(t, open(t)) })
	t.Run("DisconnectOnTheOtherFrontEndEndsIt", func(t *testing.T) { testDisconnectAcross(t, open(t)) })
	t.Run("TwoAcceptsAtOnceMakeOneMeeting", func(t *testing.T) { testAcceptRace(t, open(t)) })
	t.Run("DeadFrontEndLeavesNobodyInAMeeting", func(t *testing.T) { testDeadFrontEnd(t, open(t)) })
}

var ctx = context.Background()

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// sample is a state with a request and a running meeting.
func sample(room workroom.RoomID) *workroom.MeetingState {
	ada, bob := workroom.Attendee{UserID: 1, Name: "Ada"}, workroom.Attendee{UserID: 2, Name: "Bob"}
	return &workroom.MeetingState{
		Requests: []workroom.MeetingRequest{{RoomID: room, From: 1, FromName: "Ada", Expires: t0.Add(time.Minute)}},
		Running: &workroom.RunningMeeting{
			Record: workroom.Meeting{ID: 7, RoomID: room, Started: t0, Attendees: []workroom.Attendee{ada, bob}, From: 12},
			In:     []workroom.Attendee{bob, ada},
			Lines:  3, Last: 14,
		},
	}
}

// keep makes the room's state want, returning it as kept.
func keep(t *testing.T, b workroom.MeetingBook, room workroom.RoomID, want *workroom.MeetingState) *workroom.MeetingState {
	t.Helper()
	var kept *workroom.MeetingState
	err := b.Update(ctx, room, func(st *workroom.MeetingState) error {
		*st = *want.Clone()
		return nil
	}, func(st *workroom.MeetingState) { kept = st.Clone() })
	must(t, err)
	if kept == nil {
		t.Fatal("then did not run")
	}
	return kept
}

func state(t *testing.T, b workroom.MeetingBook, room workroom.RoomID) *workroom.MeetingState {
	t.Helper()
	st, err := b.State(ctx, room)
	must(t, err)
	if st == nil {
		t.Fatal("State returned nil")
	}
	return st
}

// same compares states by what they say.
func same(t *testing.T, what string, got, want *workroom.MeetingState) {
	t.Helper()
	g, err := json.Marshal(got)
	must(t, err)
	w, err := json.Marshal(want)
	must(t, err)
	if string(g) != string(w) {
		t.Fatalf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testEmptyRoom(t *testing.T, frontEnd func() workroom.MeetingBook) {
	b := frontEnd()
	if st := state(t, b, 5); !st.Empty() {
		t.Fatalf("a room never changed has %+v", st)
	}
	rooms, err := b.Rooms(ctx)
	must(t, err)
	if len(rooms) != 0 {
		t.Fatalf("Rooms = %v on an empty book", rooms)
	}
	// Update sees the empty state too.
	err = b.Update(ctx, 5, func(st *workroom.MeetingState) error {
		if !st.Empty() {
			t.Errorf("Update of a new room got %+v", st)
		}
		return nil
	}, nil)
	must(t, err)
}

func testKept(t *testing.T, frontEnd func() workroom.MeetingBook) {
	a, b := frontEnd(), frontEnd()
	kept := keep(t, a, 3, sample(3))
	if kept.Requests[0].ID == 0 {
		t.Fatal("the new request has no ID when then runs")
	}
	want := sample(3)
	want.Requests[0].ID = kept.Requests[0].ID
	same(t, "then got", kept, want)
	same(t, "the other front end reads", state(t, b, 3), want)
	same(t, "the same front end reads", state(t, a, 3), want)
	// The other front end's change starts from it.
	err := b.Update(ctx, 3, func(st *workroom.MeetingState) error {
		same(t, "the other front end's Update got", st, want)
		st.Running.Lines++
		return nil
	}, nil)
	must(t, err)
	if run := state(t, a, 3).Running; run == nil || run.Lines != 4 {
		t.Fatalf("after the other front end's change the meeting is %+v, want Lines 4", run)
	}
}

func testRefused(t *testing.T, frontEnd func() workroom.MeetingBook) {
	a, b := frontEnd(), frontEnd()
	kept := keep(t, a, 3, sample(3))
	refusal := workroom.Errorf(workroom.ECONFLICT, "no")
	err := b.Update(ctx, 3, func(st *workroom.MeetingState) error {
		st.Running = nil
		st.Requests = append(st.Requests, workroom.MeetingRequest{RoomID: 3, From: 2, Expires: t0})
		return refusal
	}, func(*workroom.MeetingState) { t.Error("then ran after a refused change") })
	if !errors.Is(err, refusal) {
		t.Fatalf("Update returned %v, want the change's own error", err)
	}
	same(t, "after a refused change", state(t, a, 3), kept)
	// A refused change of a new room leaves no state behind either.
	_ = b.Update(ctx, 4, func(st *workroom.MeetingState) error {
		st.Running = sample(4).Running
		return refusal
	}, nil)
	if rooms, err := a.Rooms(ctx); err != nil || len(rooms) != 1 || rooms[0] != 3 {
		t.Fatalf("Rooms = %v, %v, want [3]", rooms, err)
	}
}

func testStateIsACopy(t *testing.T, frontEnd func() workroom.MeetingBook) {
	b := frontEnd()
	kept := keep(t, b, 3, sample(3))
	st := state(t, b, 3)
	st.Requests[0].From = 99
	st.Running.In[0].Name = "Eve"
	st.Running.Record.Attendees[0].Name = "Eve"
	st.Running.Lines = 99
	same(t, "after changing what State returned", state(t, b, 3), kept)
}

func testRequestIDs(t *testing.T, frontEnd func() workroom.MeetingBook) {
	const perFrontEnd, rooms = 12, 3
	books := []workroom.MeetingBook{frontEnd(), frontEnd()}
	var mu sync.Mutex
	seen := make(map[uint64]bool)
	var wg sync.WaitGroup
	for i, b := range books {
		for n := range perFrontEnd {
			room := workroom.RoomID(1 + n%rooms)
			wg.Go(func() {
				err := b.Update(ctx, room, func(st *workroom.MeetingState) error {
					st.Requests = append(st.Requests, workroom.MeetingRequest{RoomID: room, From: workroom.UserID(100*i + n), Expires: t0})
					return nil
				}, func(st *workroom.MeetingState) {
					id := st.Requests[len(st.Requests)-1].ID
					mu.Lock()
					defer mu.Unlock()
					if id == 0 || seen[id] {
						t.Errorf("request ID %d given twice (or not at all)", id)
					}
					seen[id] = true
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	total := 0
	for room := range workroom.RoomID(rooms) {
		st := state(t, books[0], room+1)
		total += len(st.Requests)
		for _, r := range st.Requests {
			if !seen[r.ID] {
				t.Errorf("kept request %+v has an ID then never saw", r)
			}
		}
	}
	if total != len(books)*perFrontEnd {
		t.Fatalf("%d requests kept, want %d: a change was lost", total, len(books)*perFrontEnd)
	}
}

func testSerialised(t *testing.T, frontEnd func() workroom.MeetingBook) {
	const each = 20
	books := []workroom.MeetingBook{frontEnd(), frontEnd()}
	keep(t, books[0], 3, &workroom.MeetingState{Running: sample(3).Running})
	start := state(t, books[0], 3).Running.Lines
	var mu sync.Mutex
	var announced []int
	var wg sync.WaitGroup
	for _, b := range books {
		for range each {
			wg.Go(func() {
				err := b.Update(ctx, 3, func(st *workroom.MeetingState) error {
					if st.Running == nil {
						return errors.New("the running meeting kept is gone")
					}
					st.Running.Lines++
					return nil
				}, func(st *workroom.MeetingState) {
					mu.Lock()
					announced = append(announced, st.Running.Lines)
					mu.Unlock()
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if run := state(t, books[1], 3).Running; run == nil || run.Lines != start+2*each {
		t.Fatalf("%+v after %d increments of Lines from %d: changes interleaved", run, 2*each, start)
	}
	for i, n := range announced {
		if n != start+i+1 {
			t.Fatalf("announced %v: then of a later change ran before an earlier one's", announced)
		}
	}
}

func testRooms(t *testing.T, frontEnd func() workroom.MeetingBook) {
	a, b := frontEnd(), frontEnd()
	keep(t, a, 30, sample(30))
	keep(t, b, 10, &workroom.MeetingState{Requests: sample(10).Requests})
	keep(t, a, 20, sample(20))
	keep(t, b, 20, &workroom.MeetingState{}) // emptied
	rooms, err := a.Rooms(ctx)
	must(t, err)
	if len(rooms) != 2 || rooms[0] != 10 || rooms[1] != 30 {
		t.Fatalf("Rooms = %v, want [10 30]", rooms)
	}
	if st := state(t, a, 20); !st.Empty() {
		t.Fatalf("an emptied room has %+v", st)
	}
}
