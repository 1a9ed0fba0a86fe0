package workroomtest

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/workroom/workroom"
)

// The permission matrix, as a test sees it: SPEC's role table written out
// cell by cell (not read from workroom.Role.Can, so a wrong matrix in the
// code fails), the people who face a workroom, and a runner that plays
// every action of the table for every one of them on one way in (SSH
// commands, SFTP, email, the terminal UI). A way in lists a case for every
// action, or says why it does not offer it; a missing case fails the test.

// Who is one kind of person facing a workroom.
type Who string

const (
	Client     Who = "client"
	Freelancer Who = "freelancer"
	Team       Who = "team member"
	Guest      Who = "guest"
	Outsider   Who = "outsider"         // a verified account that is no member
	Disabled   Who = "disabled account" // a team member whose account an admin disabled
)

// Everyone is every kind of person, in the order the runner plays them.
var Everyone = []Who{Client, Freelancer, Team, Guest, Outsider, Disabled}

// Act is one action of SPEC's table.
type Act string

const (
	ActRead         Act = "read messages"
	ActDownload     Act = "download"
	ActPost         Act = "post"
	ActJoinMeeting  Act = "join a meeting"
	ActUpload       Act = "upload"
	ActNewVersion   Act = "new version"
	ActTodoEdit     Act = "to-do edit"
	ActDeleteOwn    Act = "delete own file"
	ActDeleteOthers Act = "delete others' file"
	ActInvite       Act = "invite"
	ActRemove       Act = "remove"
	ActComplete     Act = "complete"
)

// Acts is every action of the table.
var Acts = []Act{ActRead, ActDownload, ActPost, ActJoinMeeting, ActUpload, ActNewVersion, ActTodoEdit,
	ActDeleteOwn, ActDeleteOthers, ActInvite, ActRemove, ActComplete}

// allowed is SPEC's "Identity and access" table: who may do what.
var allowed = map[Act][]Who{
	ActRead:         {Client, Freelancer, Team, Guest},
	ActDownload:     {Client, Freelancer, Team, Guest},
	ActPost:         {Client, Freelancer, Team, Guest},
	ActJoinMeeting:  {Client, Freelancer, Team, Guest},
	ActUpload:       {Client, Freelancer, Team},
	ActNewVersion:   {Client, Freelancer, Team},
	ActTodoEdit:     {Client, Freelancer, Team},
	ActDeleteOwn:    {Client, Freelancer, Team},
	ActDeleteOthers: {Client},
	ActInvite:       {Client},
	ActRemove:       {Client},
	ActComplete:     {Client},
}

// May reports whether SPEC's table lets who do act.
func May(who Who, act Act) bool { return slices.Contains(allowed[act], who) }

// Refusal is what a member's refusal of act must say: the rule's words.
// Deleting someone else's file is refused to those who may delete their
// own by the file's rule, and to the rest by their role's.
func Refusal(who Who, act Act) string {
	switch {
	case act == ActDeleteOthers && May(who, ActDeleteOwn):
		return "only the client can delete"
	case act == ActDeleteOthers:
		return Rule(ActDeleteOwn)
	}
	return Rule(act)
}

// ActionOf is the workroom.Action the service checks for act.
func ActionOf(act Act) workroom.Action {
	return map[Act]workroom.Action{
		ActRead: workroom.ActionRead, ActDownload: workroom.ActionRead, ActPost: workroom.ActionPost,
		ActJoinMeeting: workroom.ActionPost, ActUpload: workroom.ActionUpload, ActNewVersion: workroom.ActionUpload,
		ActTodoEdit: workroom.ActionUpload, ActDeleteOwn: workroom.ActionDeleteOwn, ActDeleteOthers: workroom.ActionDeleteAny,
		ActInvite: workroom.ActionManagePeople, ActRemove: workroom.ActionManagePeople, ActComplete: workroom.ActionComplete,
	}[act]
}

// RoleOf is the role of a member; "" for the outsider and the disabled
// account, who have none.
func RoleOf(who Who) workroom.Role {
	return map[Who]workroom.Role{Client: workroom.RoleClient, Freelancer: workroom.RoleFreelancer,
		Team: workroom.RoleTeam, Guest: workroom.RoleGuest}[who]
}

// Rule is the words of workroom.Action a refusal of act by role names:
// "of this workroom cannot upload files or edit the to-do list".
func Rule(act Act) string {
	return "of this workroom cannot " + ActionOf(act).String()
}

// writes are the acts that change the room when allowed.
var writes = map[Act]bool{ActPost: true, ActUpload: true, ActNewVersion: true, ActTodoEdit: true,
	ActDeleteOwn: true, ActDeleteOthers: true, ActInvite: true, ActRemove: true, ActComplete: true}

// Outcome is what one person was told when they tried an act.
type Outcome struct {
	OK     bool
	Answer string // the reply, message, status or notice, as the person saw it
}

// Cell is one way in's case for one act.
type Cell struct {
	// Do tries the act as who on room (the scene's room, or Missing).
	Do func(t *testing.T, s *Scene, who Who, room workroom.RoomID) Outcome
	// NotOffered says why this way in has no such act.
	NotOffered string
}

// Way is one way in: how to build its world, and a case per act.
type Way struct {
	Name string
	// World builds the service with whatever server the way needs.
	World func(t *testing.T) *World
	Cells map[Act]Cell
	// Refusal is what a member's refusal must contain for act; nil:
	// the rule's words, Refusal(who, act).
	Refusal func(who Who, act Act) string
}

// RunMatrix plays every act of the table for everyone on one way in, each
// act in a fresh scene. It fails when an act has no case; when an allowed
// act fails or leaves the room as it was (for a write); when a refused act
// succeeds or changes anything, or a member's refusal does not name the
// rule; and when an outsider's or a disabled account's answer for the room
// differs from its answer for a room that does not exist.
func RunMatrix(t *testing.T, way Way) {
	for _, act := range Acts {
		cell, ok := way.Cells[act]
		switch {
		case !ok:
			t.Errorf("%s: no case for %q: add one, or say why this way in does not offer it", way.Name, act)
			continue
		case cell.NotOffered != "":
			continue
		case cell.Do == nil:
			t.Errorf("%s: the case for %q does nothing", way.Name, act)
			continue
		}
		t.Run(strings.ReplaceAll(string(act), " ", "_"), func(t *testing.T) {
			s := NewScene(t, way.World(t))
			for _, who := range Everyone {
				playCell(t, way, s, cell, act, who)
			}
		})
	}
}

func playCell(t *testing.T, way Way, s *Scene, cell Cell, act Act, who Who) {
	t.Helper()
	before := s.Snapshot(t)
	got := cell.Do(t, s, who, s.Room.ID)
	after := s.Snapshot(t)
	switch may := May(who, act); {
	case may && !got.OK:
		t.Errorf("%s: the %s may %s, but was told %q", way.Name, who, act, got.Answer)
	case may && writes[act] && before == after:
		t.Errorf("%s: the %s's %s succeeded (%q) but changed nothing", way.Name, who, act, got.Answer)
	case !may && got.OK:
		t.Errorf("%s: the %s may not %s, but it succeeded: %q", way.Name, who, act, got.Answer)
	case !may && before != after:
		t.Errorf("%s: the %s's refused %s changed the room:\nbefore:\n%s\nafter:\n%s", way.Name, who, act, before, after)
	case !may && (who == Outsider || who == Disabled):
		missing := cell.Do(t, s, who, s.Missing)
		// The only difference allowed is the number the person gave.
		asked := strings.ReplaceAll(missing.Answer, strconv.FormatUint(uint64(s.Missing), 10), strconv.FormatUint(uint64(s.Room.ID), 10))
		if missing.OK || got.Answer != asked {
			t.Errorf("%s: the %s learns the room exists (%s): told %q for it, %q for a missing one", way.Name, who, act, got.Answer, missing.Answer)
		}
	case !may:
		want := Refusal(who, act)
		if way.Refusal != nil {
			want = way.Refusal(who, act)
		}
		if !strings.Contains(got.Answer, want) {
			t.Errorf("%s: the %s, refused %s, was told %q, which does not name the rule (%q)", way.Name, who, act, got.Answer, want)
		}
	}
}
