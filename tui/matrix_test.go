package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// TestMatrix_TerminalUI plays a representative part of SPEC's permission
// table in the terminal UI, driving real key presses: opening a room
// (reading), posting, editing the to-do list, and inviting from the
// People pane and removing there (offered to the client alone), and joining a meeting the
// client (or, for the client, the freelancer) asks for. The terminal has no upload of its own (files arrive by
// SFTP, `put` and mail, whose matrices cover them); the other acts are the
// service calls those matrices already play.
func TestMatrix_TerminalUI(t *testing.T) {
	var f *fixture
	// enter opens the room as who; it returns nil and the answer when the
	// person never gets in (an account refused, a room they are not in).
	enter := func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) (*term, workroomtest.Outcome) {
		id, err := f.Svc.Authenticate(context.Background(), s.People[who].Key)
		if err != nil {
			return nil, workroomtest.Outcome{Answer: "authentication refused: " + workroom.ErrorMessage(err)}
		}
		tm := f.start(t, id, room, 100, 30)
		screen := tm.waitFor("the room or a refusal", func(s string) bool {
			return strings.Contains(s, "hired") || strings.Contains(s, "no such workroom")
		})
		if line := lineWith(screen, "no such workroom"); line != "" {
			return nil, workroomtest.Outcome{Answer: strings.TrimSpace(line)}
		}
		return tm, workroomtest.Outcome{OK: true}
	}
	// outcome waits for the screen to show done (success) or the refusal.
	outcome := func(tm *term, done string, act workroomtest.Act) workroomtest.Outcome {
		refusal := workroomtest.Rule(act)
		screen := tm.waitFor(done+" or a refusal", func(s string) bool {
			return strings.Contains(s, done) || strings.Contains(s, refusal)
		})
		if line := lineWith(screen, refusal); line != "" {
			return workroomtest.Outcome{Answer: strings.TrimSpace(line)}
		}
		return workroomtest.Outcome{OK: true, Answer: lineWith(screen, done)}
	}
	noFileChanges := "the terminal UI changes no files: uploads and deletions go by SFTP, put, rm and mail"
	workroomtest.RunMatrix(t, workroomtest.Way{
		Name:  "terminal UI",
		World: func(t *testing.T) *workroomtest.World { f = newFixture(t); return f.World },
		// The terminal offers inviting to the client only: to anyone
		// else the key is not there.
		Refusal: func(who workroomtest.Who, act workroomtest.Act) string {
			if act == workroomtest.ActInvite || act == workroomtest.ActRemove {
				return "not offered"
			}
			return workroomtest.Refusal(who, act)
		},
		Cells: map[workroomtest.Act]workroomtest.Cell{
			workroomtest.ActRead: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
				_, o := enter(t, s, who, room)
				return o
			}},
			workroomtest.ActPost: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
				tm, o := enter(t, s, who, room)
				if tm == nil {
					return o
				}
				tm.press("i")
				tm.waitText("enter send")
				text := "posted by the " + string(who)
				tm.typeText(text)
				tm.press(keyEnter)
				tm.waitFor("the message sent", func(scr string) bool { return strings.Count(scr, text) == 1 && !strings.Contains(scr, "│"+text) })
				workroomtest.WaitUntil(t, "the message stored", func() bool {
					p, err := s.DB.Page(context.Background(), room, 0, 1)
					return err == nil && len(p) == 1 && p[0].Body == text
				})
				return workroomtest.Outcome{OK: true}
			}},
			workroomtest.ActTodoEdit: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
				tm, o := enter(t, s, who, room)
				if tm == nil {
					return o
				}
				tm.press("w")
				tm.waitText("widgets · To-do")
				tm.press("a")
				tm.waitText("New item:")
				text := "item of the " + string(who)
				tm.typeText(text)
				tm.press(keyEnter)
				return outcome(tm, "[ ]  "+text, workroomtest.ActTodoEdit)
			}},
			workroomtest.ActDownload: {NotOffered: "the Files view shows the sftp and scp lines that download; the bytes go over SFTP"},
			workroomtest.ActJoinMeeting: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
				tm, o := enter(t, s, who, room)
				if tm == nil {
					return o
				}
				// The client asks (the freelancer, when the client is
				// the one to join); who accepts.
				host := workroomtest.Client
				if who == workroomtest.Client {
					host = workroomtest.Freelancer
				}
				ht, _ := enter(t, s, host, room)
				defer func() {
					closeTerm(t, tm)
					closeTerm(t, ht)
					workroomtest.WaitUntil(t, "the room empty again", func() bool { return len(f.Hub.Present(room)) == 0 })
				}()
				workroomtest.WaitUntil(t, "both in the room", func() bool { return len(f.Hub.Present(room)) == 2 })
				ht.press("m")
				ht.waitText("waiting for an answer")
				tm.waitText("asks for a meeting")
				tm.press("a")
				return outcome(tm, "Meeting since", workroomtest.ActJoinMeeting)
			}},
			workroomtest.ActUpload:       {NotOffered: noFileChanges},
			workroomtest.ActNewVersion:   {NotOffered: noFileChanges},
			workroomtest.ActDeleteOwn:    {NotOffered: noFileChanges},
			workroomtest.ActDeleteOthers: {NotOffered: noFileChanges},
			workroomtest.ActInvite: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
				tm, o := enter(t, s, who, room)
				if tm == nil {
					return o
				}
				tm.press("p")
				// The rows, with the viewer's own, come with the role
				// that decides the keys.
				if !strings.Contains(tm.waitText("(you)", "back to the messages"), "invite by email") {
					return workroomtest.Outcome{Answer: "not offered: the help has no invite key"}
				}
				tm.press("a")
				tm.waitText("Invite (email):")
				tm.typeText(s.Invitee[who])
				tm.press(keyEnter)
				tm.waitText("t team member")
				tm.press("g")
				return outcome(tm, "Invited "+s.Invitee[who], workroomtest.ActInvite)
			}},
			workroomtest.ActRemove: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
				tm, o := enter(t, s, who, room)
				if tm == nil {
					return o
				}
				tm.press("p")
				// The keys come with the rows (and the viewer's role):
				// the client is offered invite at once, and x on a
				// removable row: past the client's own and the
				// freelancer's.
				if !strings.Contains(tm.waitText("(you)", "back to the messages"), "invite by email") {
					return workroomtest.Outcome{Answer: "not offered: the help has no remove key"}
				}
				tm.press("j")
				tm.press("j")
				tm.waitText("remove / cancel")
				victim := s.Victim[who].User.Name
				// Walk down to the victim's row: x asks about the row
				// under the cursor, n declines.
				for range 20 {
					tm.press("x")
					if strings.Contains(tm.waitText("from this workroom?"), "Remove "+victim+" ") {
						tm.press("y")
						return outcome(tm, "Removed "+victim, workroomtest.ActRemove)
					}
					tm.press("n")
					tm.waitFor("the question gone", func(scr string) bool { return !strings.Contains(scr, "from this workroom?") })
					tm.press("j")
				}
				return workroomtest.Outcome{Answer: "no row for " + victim}
			}},
			workroomtest.ActComplete: {NotOffered: "the job is marked complete with the complete command"},
		},
	})
}

// closeTerm ends a terminal's program, as a client hanging up does.
func closeTerm(t *testing.T, tm *term) {
	t.Helper()
	tm.cancel()
	tm.waitEnded()
}
