package mail

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// TestMatrix_Email plays SPEC's permission table through mail to the room
// address: posting (guests may), and files by mail, which are uploads
// (guests may not: refused whole, before anything is stored). The
// outsider and the disabled account are refused at RCPT exactly as for a
// room that does not exist.
func TestMatrix_Email(t *testing.T) {
	var addr string
	mail := func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID, raw func(from string) string) workroomtest.Outcome {
		from := s.People[who].User.Email
		to := fmt.Sprintf("room-%d@%s", room, workroomtest.MailDomain)
		got := send(t, addr, from, []string{to}, raw(from))
		if got.err != nil {
			return workroomtest.Outcome{Answer: fmt.Sprintf("%s: %d %d.%d.%d %s", got.stage, got.err.Code,
				got.err.EnhancedCode[0], got.err.EnhancedCode[1], got.err.EnhancedCode[2], got.err.Message)}
		}
		return workroomtest.Outcome{OK: true, Answer: "250"}
	}
	header := func(from string, who workroomtest.Who) []string {
		return []string{"From: " + from, "To: room@" + workroomtest.MailDomain, "Subject: from the " + string(who),
			"Message-ID: <" + strings.ReplaceAll(string(who), " ", ".") + "@example.com>"}
	}
	withFile := func(name string) func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
		return func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
			return mail(t, s, who, room, func(from string) string {
				n := strings.ReplaceAll(name, "WHO", strings.ReplaceAll(string(who), " ", "-"))
				return multipart(header(from, who), "the file", file(n, "bytes by the "+string(who)+"\n"))
			})
		}
	}
	workroomtest.RunMatrix(t, workroomtest.Way{
		Name: "email",
		World: func(t *testing.T) *workroomtest.World {
			w := workroomtest.New(t, workroomtest.NoSync())
			addr = startSMTP(t, NewServer(ServerConfig{Domain: workroomtest.MailDomain, SpoolDir: t.TempDir(), Auth: testAuth{}}, w.Svc, slog.New(slog.DiscardHandler)))
			return w
		},
		Cells: map[workroomtest.Act]workroomtest.Cell{
			workroomtest.ActRead:        {NotOffered: "mail delivers notifications of new messages; reading is done in the terminal, by command or over SFTP"},
			workroomtest.ActDownload:    {NotOffered: "files are not sent by mail"},
			workroomtest.ActJoinMeeting: {NotOffered: "meetings are held in the terminal UI"},
			workroomtest.ActPost: {Do: func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
				return mail(t, s, who, room, func(from string) string { return msg(header(from, who), "hello from the "+string(who)) })
			}},
			workroomtest.ActUpload:       {Do: withFile("mail-WHO.txt")},
			workroomtest.ActNewVersion:   {Do: withFile(workroomtest.Shared)},
			workroomtest.ActTodoEdit:     {NotOffered: "the to-do list is edited in the terminal UI or by command"},
			workroomtest.ActDeleteOwn:    {NotOffered: "mail only adds"},
			workroomtest.ActDeleteOthers: {NotOffered: "mail only adds"},
			workroomtest.ActInvite:       {NotOffered: "people are invited in the terminal UI or by command"},
			workroomtest.ActRemove:       {NotOffered: "people are removed in the terminal UI or by command"},
			workroomtest.ActComplete:     {NotOffered: "the job is marked complete in the terminal UI or by command"},
		},
	})
}
