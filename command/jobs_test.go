package command

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
)

func TestJobPost_PrintsTheID(t *testing.T) {
	w := newWorld(t)
	client := w.signUp("Carla")

	first := w.okID(client, "job", "post", "--title", "Logo design", "--description", "A fox, in orange")
	second := w.okID(client, "job", "post", "--title", "Website")
	if first == 0 || second == first {
		t.Errorf("job post printed ids %d and %d, want two distinct ids", first, second)
	}
	got := decode[struct{ Job workroom.Job }](t, w.ok(client, "job", "post", "--title", "Flyer", "--json"))
	if got.Job.ID == 0 || got.Job.Title != "Flyer" || got.Job.Status != workroom.JobOpen {
		t.Errorf("job post --json = %+v", got.Job)
	}
	refused(t, w.run(client, "  ", "job", "post", "--title", "-"), "a job needs a title")
}

func TestJobs_ListsMineOrOpenOnesOfOthers(t *testing.T) {
	w := newWorld(t)
	client, freelancer := w.signUp("Carla Client"), w.signUp("Fred")
	job := w.okID(client, "job", "post", "--title", "Logo design")

	mine := w.ok(client, "jobs")
	for _, want := range []string{"ID", "STATUS", "TITLE", itoa(job), "open", "Logo design"} {
		if !strings.Contains(mine, want) {
			t.Errorf("jobs = %q, want it to contain %q", mine, want)
		}
	}
	if out := w.ok(client, "jobs", "--open"); strings.Contains(out, "Logo design") {
		t.Errorf("jobs --open shows the client's own job: %q", out)
	}
	open := w.ok(freelancer, "jobs", "--open")
	if !strings.Contains(open, "Logo design") || !strings.Contains(open, "Carla Client") {
		t.Errorf("jobs --open for a freelancer = %q", open)
	}
	if out := w.ok(freelancer, "jobs"); !strings.Contains(out, "You have posted no jobs") {
		t.Errorf("jobs for someone with none = %q", out)
	}

	got := decode[struct{ Jobs []workroom.Job }](t, w.ok(freelancer, "jobs", "--open", "--json"))
	if len(got.Jobs) != 1 || got.Jobs[0].ID != workroom.JobID(job) {
		t.Errorf("jobs --open --json = %+v", got)
	}
	if out := w.ok(freelancer, "jobs", "--json"); !strings.Contains(out, `"jobs": []`) {
		t.Errorf("an empty list in JSON = %s, want []", out)
	}
}

func TestPropose_PrintsTheIDAndTheClientSeesIt(t *testing.T) {
	w := newWorld(t)
	client, fred, gina := w.signUp("Carla"), w.signUp("Fred Freelancer"), w.signUp("Gina")
	job := itoa(w.okID(client, "job", "post", "--title", "Logo"))

	p := w.okID(fred, "propose", job, "--text", "I draw foxes.\nFast.")
	got := decode[struct{ Proposal workroom.Proposal }](t, w.ok(gina, "propose", job, "--text", "Me too", "--json"))
	if got.Proposal.ID == 0 || got.Proposal.ID == workroom.ProposalID(p) || got.Proposal.Text != "Me too" {
		t.Errorf("propose --json = %+v", got.Proposal)
	}

	out := w.ok(client, "proposals", job)
	for _, want := range []string{"ID  FREELANCER       SUBMITTED  TEXT\n", itoa(p) + "   Fred Freelancer  just now   I draw foxes.⏎Fast.\n", "Award one with: award " + job + " PROPOSAL"} {
		if !strings.Contains(out, want) {
			t.Errorf("proposals = %q, want it to contain %q", out, want)
		}
	}
	list := decode[struct{ Proposals []workroom.Proposal }](t, w.ok(client, "proposals", job, "--json"))
	if len(list.Proposals) != 2 || list.Proposals[1].ID != workroom.ProposalID(p) { // newest first
		t.Errorf("proposals --json = %+v", list)
	}

	// A freelancer who proposed sees their own proposal alone; anyone
	// else is refused.
	if own := decode[struct{ Proposals []workroom.Proposal }](t, w.ok(fred, "proposals", job, "--json")); len(own.Proposals) != 1 || own.Proposals[0].ID != workroom.ProposalID(p) {
		t.Errorf("fred's proposals %s --json = %+v, want his own alone", job, own)
	}
	refused(t, w.run(w.signUp("Olga"), "", "proposals", job), "only the client who posted job "+job+" sees its proposals")
	refused(t, w.run(fred, "", "propose", job, "--text", "again"), "you already proposed on job "+job)
	refused(t, w.run(client, "", "propose", job, "--text", "mine"), "you cannot propose on your own job")
	refused(t, w.run(fred, "", "propose", "999", "--text", "x"), "no such job: 999")
}

func TestAward_CreatesTheRoomAndClosesTheJob(t *testing.T) {
	w := newWorld(t)
	client, fred, gina := w.signUp("Carla"), w.signUp("Fred"), w.signUp("Gina")
	job := itoa(w.okID(client, "job", "post", "--title", "Logo"))
	p := itoa(w.okID(fred, "propose", job, "--text", "Me"))

	refused(t, w.run(fred, "", "award", job, p), "only the client who posted job "+job+" can award it")
	refused(t, w.run(client, "", "award", job, "999"), "no proposal 999 on job "+job)

	got := decode[struct{ Room workroom.Room }](t, w.ok(client, "award", job, p, "--json"))
	if got.Room.ID == 0 || got.Room.Title != "Logo" {
		t.Fatalf("award --json = %+v", got.Room)
	}
	room := itoa(uint64(got.Room.ID))
	for _, k := range []workroom.Key{client, fred} {
		if out := w.ok(k, "rooms"); !strings.Contains(out, "Logo") {
			t.Errorf("after the award, rooms = %q, want the new room", out)
		}
	}
	if out := w.ok(client, "jobs"); !strings.Contains(out, "awarded") || !strings.Contains(out, room) {
		t.Errorf("jobs after award = %q, want it awarded with its room", out)
	}
	refused(t, w.run(gina, "", "propose", job, "--text", "late"), "no such job: "+job)
	refused(t, w.run(client, "", "award", job, p), "was already awarded")
}

func TestAward_PrintsTheRoomID(t *testing.T) {
	w := newWorld(t)
	client, fred := w.signUp("Carla"), w.signUp("Fred")

	room := w.awardedRoom(client, fred, "Logo")
	got := decode[struct{ Rooms []workroom.Membership }](t, w.ok(fred, "rooms", "--json"))
	if len(got.Rooms) != 1 || uint64(got.Rooms[0].ID) != room {
		t.Errorf("award printed %d; the freelancer's rooms are %+v", room, got.Rooms)
	}
}
