package sftp_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pkg/sftp"
	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// TestMatrix_SFTP plays SPEC's permission table over SFTP with pkg/sftp's
// client on the in-process SSH server: members read and download, guests
// read only, those who may upload write files and versions and delete
// their own, the client deletes anyone's. Outsiders see exactly what a
// missing room's path shows; the disabled account cannot log in at all.
func TestMatrix_SFTP(t *testing.T) {
	var e *env
	// session runs fn in a fresh SFTP session as who; a refused login is
	// the answer.
	session := func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, fn func(c *sftp.Client) workroomtest.Outcome) workroomtest.Outcome {
		conn, err := gossh.Dial("tcp", e.addr, &gossh.ClientConfig{User: "x", Auth: []gossh.AuthMethod{gossh.PublicKeys(workroomtest.Signer(s.People[who].User.Name))},
			HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
		if err != nil {
			return workroomtest.Outcome{Answer: err.Error()}
		}
		defer conn.Close()
		c, err := sftp.NewClient(conn)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return fn(c)
	}
	// at is a path inside room's folder; a missing room's folder is
	// named as the room's would be, with the missing number.
	at := func(s *workroomtest.Scene, room workroom.RoomID, name string) string {
		folder := workroom.RoomFolder(s.Room)
		if room != s.Room.ID {
			r := *s.Room
			r.ID = room
			folder = workroom.RoomFolder(&r)
		}
		return "/" + folder + "/" + name
	}
	outcome := func(err error) workroomtest.Outcome {
		if err != nil {
			return workroomtest.Outcome{Answer: err.Error()}
		}
		return workroomtest.Outcome{OK: true}
	}
	read := func(name, want string) func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
		return func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
			return session(t, s, who, func(c *sftp.Client) workroomtest.Outcome {
				f, err := c.Open(at(s, room, name))
				if err != nil {
					return outcome(err)
				}
				defer f.Close()
				b, err := io.ReadAll(f)
				if err == nil && !strings.Contains(string(b), want) {
					return workroomtest.Outcome{Answer: "read without " + want + ": " + string(b)}
				}
				return outcome(err)
			})
		}
	}
	write := func(name string) func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
		return func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
			n := strings.ReplaceAll(name, "WHO", strings.ReplaceAll(string(who), " ", "-"))
			return session(t, s, who, func(c *sftp.Client) workroomtest.Outcome {
				return outcome(tryPut(c, at(s, room, n), []byte("by the "+string(who)+"\n")))
			})
		}
	}
	remove := func(file func(s *workroomtest.Scene, who workroomtest.Who) string) func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
		return func(t *testing.T, s *workroomtest.Scene, who workroomtest.Who, room workroom.RoomID) workroomtest.Outcome {
			return session(t, s, who, func(c *sftp.Client) workroomtest.Outcome {
				return outcome(c.Remove(at(s, room, file(s, who))))
			})
		}
	}
	workroomtest.RunMatrix(t, workroomtest.Way{
		Name:  "SFTP",
		World: func(t *testing.T) *workroomtest.World { e = start(t, workroomtest.NoSync()); return e.w },
		Cells: map[workroomtest.Act]workroomtest.Cell{
			workroomtest.ActRead:         {Do: read(".transcript.txt", "hired")},
			workroomtest.ActDownload:     {Do: read(workroomtest.Shared, string(workroomtest.SharedBytes))},
			workroomtest.ActPost:         {NotOffered: "SFTP carries files; messages are posted in the terminal, by command or by mail"},
			workroomtest.ActJoinMeeting:  {NotOffered: "meetings are held in the terminal UI"},
			workroomtest.ActUpload:       {Do: write("sftp-WHO.txt")},
			workroomtest.ActNewVersion:   {Do: write(workroomtest.Shared)},
			workroomtest.ActTodoEdit:     {NotOffered: "the to-do list is edited in the terminal UI or by command"},
			workroomtest.ActDeleteOwn:    {Do: remove(func(s *workroomtest.Scene, who workroomtest.Who) string { return s.Own[who] })},
			workroomtest.ActDeleteOthers: {Do: remove(func(s *workroomtest.Scene, who workroomtest.Who) string { return s.Others[who] })},
			workroomtest.ActInvite:       {NotOffered: "people are invited in the terminal UI or by command"},
			workroomtest.ActRemove:       {NotOffered: "people are removed in the terminal UI or by command"},
			workroomtest.ActComplete:     {NotOffered: "the job is marked complete in the terminal UI or by command"},
		},
		// A refusal is SSH_FX_PERMISSION_DENIED with the rule as its text;
		// pkg/sftp's client keeps only the status (lftp shows the text,
		// which the e2e tests check).
		Refusal: func(workroomtest.Who, workroomtest.Act) string { return "permission denied" },
	})
}
