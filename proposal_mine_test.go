package workroom_test

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestMyProposals_ListsJobTitleAndStatusNewestFirst(t *testing.T) {
	w := newWorld(t)
	carla, fred, gina := w.SignUp(t, "Carla"), w.SignUp(t, "Fred"), w.SignUp(t, "Gina")
	client, free := workroomtest.As(carla), workroomtest.As(fred)
	hired, _ := w.Svc.PostJob(client, "Logo", "")
	lost, _ := w.Svc.PostJob(client, "Poster", "")
	open, _ := w.Svc.PostJob(client, "Flyer", "")
	var mine []workroom.ProposalID
	for _, j := range []*workroom.Job{hired, lost, open} {
		p, err := w.Svc.Propose(free, j.ID, "me")
		if err != nil {
			t.Fatal(err)
		}
		mine = append(mine, p.ID)
	}
	other, _ := w.Svc.Propose(workroomtest.As(gina), lost.ID, "me instead")
	room, err := w.Svc.Award(client, hired.ID, mine[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Svc.Award(client, lost.ID, other.ID); err != nil {
		t.Fatal(err)
	}

	page, err := w.Svc.MyProposals(free, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Proposals) != 2 || page.Before == 0 {
		t.Fatalf("first page = %+v, want two and a cursor", page)
	}
	rest, err := w.Svc.MyProposals(free, page.Before, 2)
	if err != nil {
		t.Fatal(err)
	}
	all := append(page.Proposals, rest.Proposals...)
	got := []string{}
	for _, p := range all {
		got = append(got, p.JobTitle+":"+string(p.Status))
	}
	if strings.Join(got, ",") != "Flyer:open,Poster:not hired,Logo:hired" || rest.Before != 0 {
		t.Fatalf("my proposals = %v (next %d), want Flyer:open,Poster:not hired,Logo:hired", got, rest.Before)
	}
	if all[2].RoomID != room.ID {
		t.Errorf("the hired proposal's room = %d, want %d", all[2].RoomID, room.ID)
	}
	if theirs, _ := w.Svc.MyProposals(workroomtest.As(gina), 0, 0); len(theirs.Proposals) != 1 {
		t.Errorf("gina sees %d proposals, want her own one", len(theirs.Proposals))
	}
}

func TestPropose_SecondProposalIsRefusedBeforeTheTextIsRead(t *testing.T) {
	w := newWorld(t)
	carla, fred := w.SignUp(t, "Carla"), w.SignUp(t, "Fred")
	j, _ := w.Svc.PostJob(workroomtest.As(carla), "Logo", "")
	free := workroomtest.As(fred)
	if got, _ := w.Svc.Job(free, j.ID); got.Proposed {
		t.Fatal("a job nobody proposed on is marked proposed")
	}
	p, err := w.Svc.Propose(free, j.ID, "me")
	if err != nil {
		t.Fatal(err)
	}
	// The service says so before anyone writes a second proposal...
	if got, err := w.Svc.Job(free, j.ID); err != nil || !got.Proposed {
		t.Fatalf("Job after proposing = %+v, %v; want Proposed", got, err)
	}
	if mp, err := w.Svc.MyProposal(free, j.ID); err != nil || mp.ID != p.ID || mp.Status != workroom.ProposalOpen {
		t.Fatalf("MyProposal = %+v, %v", mp, err)
	}
	open, _ := w.Svc.OpenJobs(free, 0, 0)
	if len(open.Jobs) != 1 || !open.Jobs[0].Proposed {
		t.Fatalf("open jobs = %+v, want the job marked proposed", open.Jobs)
	}
	if theirs, _ := w.Svc.OpenJobs(workroomtest.As(w.SignUp(t, "Gina")), 0, 0); theirs.Jobs[0].Proposed {
		t.Fatal("the job is marked proposed for someone who did not propose")
	}
	// ...and refuses one even when it is empty: the rule, not the text.
	_, err = w.Svc.Propose(free, j.ID, "")
	wantCode(t, err, workroom.ECONFLICT)
	if !strings.Contains(err.Error(), "you already proposed on job") {
		t.Fatalf("second proposal refused with %q", err)
	}
}

func TestAward_TellsTheFreelancerTheyWereHired(t *testing.T) {
	w := newWorld(t)
	carla, fred := w.SignUp(t, "Carla"), w.SignUp(t, "Fred")
	r := w.Room(t, carla, fred, "Logo design")
	rooms := roomsOf(t, w, workroomtest.As(fred))
	if len(rooms) != 1 || rooms[0].Unread != 1 {
		t.Fatalf("freelancer's rooms = %+v, want the new room with one unread", rooms)
	}
	if mine := roomsOf(t, w, workroomtest.As(carla)); mine[0].Unread != 0 {
		t.Fatalf("the client has %d unread in the room she just made", mine[0].Unread)
	}
	page, err := w.Svc.Messages(workroomtest.As(fred), r.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) != 1 || page.Messages[0].Source != workroom.SourceSystem ||
		page.Messages[0].Body != "Carla hired Fred for job 1, “Logo design”. This workroom is where you talk, share files and track the work." {
		t.Fatalf("the room's messages = %+v, want the hired notice", page.Messages)
	}
}
