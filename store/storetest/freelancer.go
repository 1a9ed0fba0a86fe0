package storetest

import (
	"fmt"
	"testing"

	"github.com/workroom/workroom"
)

// testFreelancerProposals: a freelancer's proposals come newest first a
// page at a time, and ProposalOn finds their one proposal on a job.
func testFreelancerProposals(t *testing.T, s workroom.Store) {
	ada, bob, cy := newUser(t, s, "ada"), newUser(t, s, "bob"), newUser(t, s, "cy")
	var mine []uint64
	for i := range 3*pageSize + 1 {
		j := &workroom.Job{ClientID: ada.ID, Title: fmt.Sprint("job ", i), Status: workroom.JobOpen, Created: t0}
		must(t, s.CreateJob(ctx, j))
		p := &workroom.Proposal{JobID: j.ID, FreelancerID: bob.ID, Text: "me", Created: t0}
		must(t, s.CreateProposal(ctx, p))
		mine = append(mine, uint64(p.ID))
		must(t, s.CreateProposal(ctx, &workroom.Proposal{JobID: j.ID, FreelancerID: cy.ID, Text: "me too", Created: t0}))
	}
	propID := func(p workroom.Proposal) uint64 { return uint64(p.ID) }
	got := walk(t, func(before uint64, limit int) ([]workroom.Proposal, error) {
		return s.ProposalsBy(ctx, bob.ID, workroom.ProposalID(before), limit)
	}, propID, propID)
	if fmt.Sprint(got) != fmt.Sprint(descending(mine)) {
		t.Errorf("ProposalsBy paged %v, want bob's proposals newest first %v", got, descending(mine))
	}
	p, err := s.ProposalOn(ctx, 1, bob.ID)
	if err != nil || uint64(p.ID) != mine[0] || p.FreelancerID != bob.ID {
		t.Errorf("ProposalOn(job 1, bob) = %+v, %v; want proposal %d", p, err, mine[0])
	}
	_, err = s.ProposalOn(ctx, 1, ada.ID)
	wantCode(t, err, workroom.ENOTFOUND)
	wantCode(t, s.CreateProposal(ctx, &workroom.Proposal{JobID: 1, FreelancerID: bob.ID, Text: "again"}), workroom.ECONFLICT)
}

// testDrafts: one draft per member per room, listed with the room,
// dropped by "" and by the author's next message.
func testDrafts(t *testing.T, s workroom.Store) {
	ada, bob, cy := newUser(t, s, "ada"), newUser(t, s, "bob"), newUser(t, s, "cy")
	r := newRoom(t, s, ada, bob)
	must(t, s.SaveDraft(ctx, r.ID, ada.ID, "first"))
	must(t, s.SaveDraft(ctx, r.ID, ada.ID, "second"))
	if d, err := s.Draft(ctx, r.ID, ada.ID); err != nil || d != "second" {
		t.Fatalf("Draft = %q, %v; want the latest", d, err)
	}
	if d, _ := s.Draft(ctx, r.ID, bob.ID); d != "" {
		t.Fatalf("bob's draft = %q, want none", d)
	}
	wantCode(t, s.SaveDraft(ctx, r.ID, cy.ID, "not a member"), workroom.ENOTFOUND)
	rooms, err := s.RoomsOf(ctx, ada.ID, 0, all)
	must(t, err)
	if !rooms[0].Draft {
		t.Error("RoomsOf does not say ada keeps a draft")
	}
	if theirs, _ := s.RoomsOf(ctx, bob.ID, 0, all); theirs[0].Draft {
		t.Error("RoomsOf says bob keeps a draft")
	}
	post(t, s, r, bob, "from bob")
	if d, _ := s.Draft(ctx, r.ID, ada.ID); d != "second" {
		t.Fatalf("bob's message dropped ada's draft: %q", d)
	}
	post(t, s, r, ada, "sent")
	if d, _ := s.Draft(ctx, r.ID, ada.ID); d != "" {
		t.Fatalf("ada's message left her draft %q", d)
	}
	must(t, s.SaveDraft(ctx, r.ID, ada.ID, "again"))
	must(t, s.SaveDraft(ctx, r.ID, ada.ID, ""))
	if d, _ := s.Draft(ctx, r.ID, ada.ID); d != "" {
		t.Fatalf("an empty draft left %q", d)
	}
}

// testAccountSettings: the time zone and key comments are stored.
func testAccountSettings(t *testing.T, s workroom.Store) {
	ada := newUser(t, s, "ada")
	must(t, s.SetTimeZone(ctx, ada.ID, "Europe/Berlin"))
	if u, _ := s.User(ctx, ada.ID); u.TZ != "Europe/Berlin" || u.Name != "ada" {
		t.Fatalf("after SetTimeZone User = %+v", u)
	}
	wantCode(t, s.SetTimeZone(ctx, 999, "UTC"), workroom.ENOTFOUND)
	must(t, s.SetKeyComment(ctx, ada.ID, "SHA256:ada", "laptop"))
	if keys, _ := s.Keys(ctx, ada.ID); len(keys) != 1 || keys[0].Comment != "laptop" {
		t.Fatalf("after SetKeyComment Keys = %+v", keys)
	}
	bob := newUser(t, s, "bob")
	wantCode(t, s.SetKeyComment(ctx, bob.ID, "SHA256:ada", "mine now"), workroom.ENOTFOUND)
}
