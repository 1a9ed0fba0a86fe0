package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// The whole job flow in the TUI: the client posts a job, the freelancer
// proposes on it from their own session, the client awards it, and the
// workroom appears in the client's list.
func TestJobs_PostProposeAwardCreatesWorkroom(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")

	client := f.start(t, ada, 0, 80, 24)
	client.waitText("No workrooms yet")
	client.press("J")
	client.waitText("My jobs", "none yet")
	client.press("n")
	client.waitText("Post a job")
	client.typeText("Logo design for a bakery")
	client.press(keyTab)
	client.typeText("Three drafts, vector files.")
	client.press(keyAltEnter)
	client.typeText("Due in two weeks.")
	client.press(keyEnter)
	client.waitText("is posted", "Logo design for a bakery", "open · 0 proposals")

	jobs, err := f.Svc.MyJobs(workroomtest.As(ada), 0, 0)
	if err != nil || len(jobs.Jobs) != 1 || jobs.Jobs[0].Description != "Three drafts, vector files.\nDue in two weeks." {
		t.Fatalf("MyJobs = %+v, %v; want the posted job with its description", jobs, err)
	}

	freelancer := f.start(t, bob, 0, 80, 24)
	freelancer.waitText("No workrooms yet")
	freelancer.press("J")
	freelancer.waitText("Open jobs of others", "Logo design for a bakery", "by Ada")
	freelancer.press(keyEnter)
	freelancer.waitText("Propose on job", "Three drafts, vector files.")
	freelancer.typeText("I draw bakeries for a living; q and ? are fine here.")
	freelancer.press(keyEnter)
	freelancer.waitText("Proposal #1 sent")

	client.press("r")
	client.waitText("open · 1 proposal")
	client.press(keyEnter)
	client.waitText("Proposals on job", "Bob", "I draw bakeries for a living; q and ? are fine here.")
	client.press("a")
	client.waitText("Award job #1 to Bob? This creates the workroom and closes the job. y/n")
	client.press("y")
	client.waitText("Awarded: workroom #1 is open")
	row := regexp.MustCompile(`#1\s+Logo design for a bakery\s+client`)
	client.waitFor("the new workroom in the client's list", row.MatchString)

	rooms, err := f.Svc.Rooms(workroomtest.As(bob), 0, 0)
	if err != nil || len(rooms.Rooms) != 1 || rooms.Rooms[0].Role != workroom.RoleFreelancer {
		t.Fatalf("freelancer's rooms = %+v, %v; want the awarded workroom", rooms, err)
	}
	// The job is awarded and says where its workroom is.
	client.press("J")
	client.waitText("awarded → workroom #1")
}

func TestJobs_AwardCanBeDeclined(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	j, err := f.Svc.PostJob(workroomtest.As(ada), "Website", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.Propose(workroomtest.As(bob), j.ID, "hire me"); err != nil {
		t.Fatal(err)
	}
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("No workrooms yet")
	tm.press("J")
	tm.waitText("open · 1 proposal")
	tm.press(keyEnter)
	tm.waitText("hire me")
	tm.press("a")
	tm.waitText("y/n")
	tm.press("n")
	tm.waitFor("the question to go", func(s string) bool { return !strings.Contains(s, "y/n") && strings.Contains(s, "a award") })
	if rooms, _ := f.Svc.Rooms(workroomtest.As(ada), 0, 0); len(rooms.Rooms) != 0 {
		t.Fatalf("declining the award created %d workrooms", len(rooms.Rooms))
	}
}

func TestJobs_ProposeRefusalShowsServiceMessage(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	if _, err := f.Svc.PostJob(workroomtest.As(ada), "Website", ""); err != nil {
		t.Fatal(err)
	}
	tm := f.start(t, bob, 0, 80, 24)
	tm.waitText("No workrooms yet")
	tm.press("J")
	tm.waitText("Website")
	tm.press(keyEnter)
	tm.waitText("Your proposal")
	tm.press(keyEnter)
	tm.waitText("the proposal is empty; write some text")
}
