package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// postJob posts a job as client through the service.
func postJob(t *testing.T, f *fixture, client *workroom.Identity, title string) *workroom.Job {
	t.Helper()
	j, err := f.Svc.PostJob(workroomtest.As(client), title, "")
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// propose proposes on job as freelancer through the service.
func propose(t *testing.T, f *fixture, freelancer *workroom.Identity, job workroom.JobID, text string) *workroom.Proposal {
	t.Helper()
	p, err := f.Svc.Propose(workroomtest.As(freelancer), job, text)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestJobs_ProposedJobIsMarkedAndEnterShowsTheProposal(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	j := postJob(t, f, ada, "Logo")
	postJob(t, f, ada, "Menu card")
	propose(t, f, bob, j.ID, "Three drafts by Friday.")

	tm := f.start(t, bob, 0, 80, 24)
	tm.waitText("No workrooms yet")
	tm.press("J")
	s := tm.waitText("Open jobs of others", "Logo", "Menu card")
	if !regexp.MustCompile(`#1\s+Logo\s+✓ proposed · by Ada`).MatchString(s) || strings.Contains(lineWith(s, "Menu card"), "proposed") {
		t.Fatalf("the job proposed on is not marked (or the other is):\n%s", s)
	}
	tm.press("j") // the cursor to Logo, the older job
	tm.waitText("enter my proposal")
	tm.press(keyEnter)
	s = tm.waitText("Your proposal on job #1", "Three drafts by Friday.", "open · proposal #1")
	if strings.Contains(s, "Propose on job") {
		t.Fatalf("a form for a second proposal opened:\n%s", s)
	}
}

// lineWith is the screen's row holding text.
func lineWith(screen, text string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, text) {
			return l
		}
	}
	return ""
}

func TestMyProposals_ListsEachWithItsStatusFromTheJobsScreen(t *testing.T) {
	f := newFixture(t)
	ada, bob, cy := f.SignUp(t, "Ada"), f.SignUp(t, "Bob"), f.SignUp(t, "Cy")
	won, lost, open := postJob(t, f, ada, "Logo"), postJob(t, f, ada, "Menu card"), postJob(t, f, ada, "Poster")
	p := propose(t, f, bob, won.ID, "mine")
	propose(t, f, bob, lost.ID, "mine too")
	other := propose(t, f, cy, lost.ID, "Cy's")
	propose(t, f, bob, open.ID, "and this")
	for _, a := range []struct {
		job workroom.JobID
		p   workroom.ProposalID
	}{{won.ID, p.ID}, {lost.ID, other.ID}} {
		if _, err := f.Svc.Award(workroomtest.As(ada), a.job, a.p); err != nil {
			t.Fatal(err)
		}
	}

	tm := f.start(t, bob, 0, 80, 24)
	tm.waitText("Logo")
	tm.press("J")
	tm.waitText("m my proposals")
	tm.press("m")
	s := tm.waitText("my proposals", "JOB", "STATUS", "SENT", "Poster")
	for _, row := range []string{`#3\s+Poster\s+open\s+just now`, `#2\s+Menu card\s+not hired\s+just now`, `#1\s+Logo\s+hired\s+just now`} {
		if !regexp.MustCompile(row).MatchString(s) {
			t.Fatalf("no row %s:\n%s", row, s)
		}
	}
	// Enter on the hired one opens its workroom.
	tm.press("j")
	tm.press("j")
	tm.waitText("enter open workroom")
	tm.press(keyEnter)
	tm.waitText("workroom › #1 Logo")
}

func TestJobs_ProposalCountIsLiveOnTheClientsScreen(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	j := postJob(t, f, ada, "Logo")
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("No workrooms yet")
	tm.press("J")
	tm.waitText("open · 0 proposals")
	propose(t, f, bob, j.ID, "I can do it")
	tm.waitText("open · 1 proposal")
}

func TestHired_FreelancerIsToldAtOnceAndTheRoomShowsUnread(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Carla"), f.SignUp(t, "Fred")
	j := postJob(t, f, ada, "Logo")
	p := propose(t, f, bob, j.ID, "I can do it")
	tm := f.start(t, bob, 0, 80, 24)
	tm.waitText("No workrooms yet")
	if _, err := f.Svc.Award(workroomtest.As(ada), j.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	tm.waitText("Carla hired you for “Logo”: workroom #1 is open in your list.")
	tm.waitFor("the room with one unread", unreadRow("Logo", "1").MatchString)
}
