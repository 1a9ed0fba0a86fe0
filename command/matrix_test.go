package command

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// TestMatrix_Commands plays SPEC's permission table through the SSH
// commands: every role, every act a command offers.
func TestMatrix_Commands(t *testing.T) {
	var cur *world
	// cmd runs one command line as who, as sshd does: the key is
	// authenticated afresh, and a refused key (the disabled account) is
	// told so whatever it asked.
	cmd := func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, stdin string, args ...string) workroomtest.Outcome {
		id, err := cur.Svc.Authenticate(context.Background(), s.People[who].Key)
		if err != nil {
			return workroomtest.Outcome{Answer: "authentication refused: " + workroom.ErrorMessage(err)}
		}
		var out, errb bytes.Buffer
		status := cur.runner.Run(context.Background(), id, lineOf(args...), strings.NewReader(stdin), &out, &errb)
		if status != 0 {
			return workroomtest.Outcome{Answer: errb.String()}
		}
		return workroomtest.Outcome{OK: true, Answer: out.String()}
	}
	room := func(r workroom.RoomID) string { return strconv.FormatUint(uint64(r), 10) }
	// checked turns a success whose output lacks want into a failure.
	checked := func(o workroomtest.Outcome, want string) workroomtest.Outcome {
		if o.OK && !strings.Contains(o.Answer, want) {
			return workroomtest.Outcome{Answer: fmt.Sprintf("succeeded without %q: %s", want, o.Answer)}
		}
		return o
	}
	workroomtest.RunMatrix(t, workroomtest.Way{
		Name:  "SSH commands",
		World: func(t *testing.T) *workroomtest.World { cur = newWorld(t); return cur.World },
		Cells: map[workroomtest.Act]workroomtest.Cell{
			workroomtest.ActRead: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, r workroom.RoomID) workroomtest.Outcome {
				return checked(cmd(t, s, who, "", "messages", room(r)), "hired")
			}},
			workroomtest.ActDownload: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, r workroom.RoomID) workroomtest.Outcome {
				return checked(cmd(t, s, who, "", "get", room(r), workroomtest.Shared), string(workroomtest.SharedBytes))
			}},
			workroomtest.ActPost: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, r workroom.RoomID) workroomtest.Outcome {
				return cmd(t, s, who, "", "post", room(r), "hello from the "+string(who))
			}},
			workroomtest.ActJoinMeeting: {NotOffered: "meetings are held in the terminal UI; no command joins one"},
			workroomtest.ActUpload: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, r workroom.RoomID) workroomtest.Outcome {
				return cmd(t, s, who, "new by the "+string(who)+"\n", "put", room(r), "new-"+strings.ReplaceAll(string(who), " ", "-")+".txt")
			}},
			workroomtest.ActNewVersion: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, r workroom.RoomID) workroomtest.Outcome {
				return cmd(t, s, who, "brief by the "+string(who)+"\n", "put", room(r), workroomtest.Shared)
			}},
			workroomtest.ActTodoEdit: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, r workroom.RoomID) workroomtest.Outcome {
				return cmd(t, s, who, "", "todo", room(r), "add", "call the printer")
			}},
			workroomtest.ActDeleteOwn: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, r workroom.RoomID) workroomtest.Outcome {
				return cmd(t, s, who, "", "rm", room(r), s.Own[who])
			}},
			workroomtest.ActDeleteOthers: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, r workroom.RoomID) workroomtest.Outcome {
				return cmd(t, s, who, "", "rm", room(r), s.Others[who])
			}},
			workroomtest.ActInvite: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, r workroom.RoomID) workroomtest.Outcome {
				return cmd(t, s, who, "", "invite", room(r), "--guest", s.Invitee[who])
			}},
			workroomtest.ActRemove: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, r workroom.RoomID) workroomtest.Outcome {
				return cmd(t, s, who, "", "remove", room(r), strconv.FormatUint(uint64(s.Victim[who].User.ID), 10))
			}},
			workroomtest.ActComplete: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, r workroom.RoomID) workroomtest.Outcome {
				return cmd(t, s, who, "", "complete", room(r))
			}},
		},
	})
}
