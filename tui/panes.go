package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// The panes of the app, one entry each: how a pane is opened. A pane asks
// for another with its opener (the workroom list's J key returns
// open(openJobs)); the app makes the pane and shows it on top. Adding a
// pane is its own file and one entry in this list.
var (
	openSignup      opener = newSignup
	openVerify      opener = newVerify
	openRoomList    opener = newRoomList
	openJobs        opener = newJobs
	openJobForm     opener = newJobForm
	openMyProposals opener = newMyProposals
	openSettings    opener = newSettings
)

func openRoom(id workroom.RoomID) opener {
	return func(e *env) (pane, tea.Cmd, error) { return newRoom(e, id) }
}

func openPropose(j workroom.Job) opener {
	return func(e *env) (pane, tea.Cmd, error) { return newPropose(e, j) }
}

func openProposals(j workroom.Job) opener {
	return func(e *env) (pane, tea.Cmd, error) { return newProposals(e, j) }
}

func openFiles(id workroom.RoomID) opener {
	return func(e *env) (pane, tea.Cmd, error) { return newFiles(e, id) }
}

func openPeople(id workroom.RoomID) opener {
	return func(e *env) (pane, tea.Cmd, error) { return newPeople(e, id) }
}

func openAttachPicker(id workroom.RoomID, chosen []string) opener {
	return func(e *env) (pane, tea.Cmd, error) { return newAttachPicker(e, id, chosen) }
}

func openMyProposal(j workroom.JobID) opener {
	return func(e *env) (pane, tea.Cmd, error) { return newMyProposal(e, j) }
}

func openMeeting(r *roomPane) opener {
	return func(e *env) (pane, tea.Cmd, error) { return newMeeting(e, r) }
}
