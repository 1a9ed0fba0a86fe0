package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/workroom/workroom"
)

// pageSize is the page the list tests walk with; each list holds three
// pages' worth, plus one.
const pageSize = 4

// walk reads a list page by page, each page from the cursor the last item
// of the one before gives, until a page comes back short. It returns the
// ids in the order read, and fails when a page holds more than asked.
func walk[T any](t *testing.T, read func(before uint64, limit int) ([]T, error), id, cursor func(T) uint64) []uint64 {
	t.Helper()
	var ids []uint64
	before := uint64(0)
	for range 100 {
		page, err := read(before, pageSize)
		must(t, err)
		if len(page) > pageSize {
			t.Fatalf("a page of %d holds %d items", pageSize, len(page))
		}
		for _, x := range page {
			ids = append(ids, id(x))
		}
		if len(page) < pageSize {
			return ids
		}
		before = cursor(page[len(page)-1])
	}
	t.Fatal("paging never ended")
	return nil
}

// descending is ids high to low.
func descending(ids []uint64) []uint64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

func testListsPaged(t *testing.T, s workroom.Store) {
	ada, bob, cy := newUser(t, s, "ada"), newUser(t, s, "bob"), newUser(t, s, "cy")
	const n = 3*pageSize + 1
	var adaJobs, bobJobs []uint64
	for i := range n {
		for _, u := range []*workroom.User{ada, bob} {
			j := &workroom.Job{ClientID: u.ID, Title: fmt.Sprint("job ", i), Status: workroom.JobOpen, Created: t0}
			must(t, s.CreateJob(ctx, j))
			if u == ada {
				adaJobs = append(adaJobs, uint64(j.ID))
			} else {
				bobJobs = append(bobJobs, uint64(j.ID))
			}
		}
	}
	jobID := func(j workroom.Job) uint64 { return uint64(j.ID) }

	mine := walk(t, func(before uint64, limit int) ([]workroom.Job, error) {
		return s.JobsByClient(ctx, ada.ID, workroom.JobID(before), limit)
	}, jobID, jobID)
	if fmt.Sprint(mine) != fmt.Sprint(descending(adaJobs)) {
		t.Errorf("JobsByClient paged %v, want ada's jobs newest first %v", mine, descending(adaJobs))
	}
	// Open jobs for ada: bob's only, though hers are interleaved.
	open := walk(t, func(before uint64, limit int) ([]workroom.Job, error) {
		return s.OpenJobs(ctx, ada.ID, workroom.JobID(before), limit)
	}, jobID, jobID)
	if fmt.Sprint(open) != fmt.Sprint(descending(bobJobs)) {
		t.Errorf("OpenJobs except ada paged %v, want bob's jobs newest first %v", open, descending(bobJobs))
	}

	var props []uint64
	job := workroom.JobID(bobJobs[0])
	for i := range n {
		u := newUser(t, s, fmt.Sprint("free", i))
		p := &workroom.Proposal{JobID: job, FreelancerID: u.ID, Text: "me", Created: t0}
		must(t, s.CreateProposal(ctx, p))
		props = append(props, uint64(p.ID))
	}
	must(t, s.CreateProposal(ctx, &workroom.Proposal{JobID: workroom.JobID(bobJobs[1]), FreelancerID: cy.ID, Text: "other job"}))
	propID := func(p workroom.Proposal) uint64 { return uint64(p.ID) }
	got := walk(t, func(before uint64, limit int) ([]workroom.Proposal, error) {
		return s.Proposals(ctx, job, workroom.ProposalID(before), limit)
	}, propID, propID)
	if fmt.Sprint(got) != fmt.Sprint(descending(props)) {
		t.Errorf("Proposals paged %v, want the job's proposals newest first %v", got, descending(props))
	}
}

func testRoomsByActivity(t *testing.T, s workroom.Store) {
	ada, bob, cy := newUser(t, s, "ada"), newUser(t, s, "bob"), newUser(t, s, "cy")
	var rooms []*workroom.Room
	for range 3*pageSize + 1 {
		rooms = append(rooms, newRoom(t, s, ada, bob))
	}
	newRoom(t, s, cy, bob) // not ada's
	// Activity in an old room moves it to the top; the clock may stand
	// still (every room here has the same times), the order may not.
	post(t, s, rooms[2], bob, "news")
	post(t, s, rooms[0], ada, "more news")

	var want []uint64
	want = append(want, uint64(rooms[0].ID), uint64(rooms[2].ID))
	for i := len(rooms) - 1; i >= 0; i-- {
		if i != 0 && i != 2 {
			want = append(want, uint64(rooms[i].ID))
		}
	}
	roomID := func(m workroom.Membership) uint64 { return uint64(m.ID) }
	got := walk(t, func(before uint64, limit int) ([]workroom.Membership, error) {
		return s.RoomsOf(ctx, ada.ID, before, limit)
	}, roomID, func(m workroom.Membership) uint64 { return m.Activity })
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("RoomsOf paged %v, want most recently active first %v", got, want)
	}
	first, err := s.RoomsOf(ctx, ada.ID, 0, 1)
	must(t, err)
	if len(first) != 1 || first[0].Role != workroom.RoleClient || first[0].Unread != 0 || first[0].LastSeq != 1 {
		t.Errorf("RoomsOf top = %+v, want room %d with her role, unread and last message", first, rooms[0].ID)
	}
}
