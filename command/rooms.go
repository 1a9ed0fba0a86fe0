package command

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// roomsCmd lists my workrooms, most recently active first.
func (s *session) roomsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rooms",
		Short: "your workrooms: id, role, unread, last activity, email address, title",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			rooms, err := s.svc.Rooms(c.Context())
			if err != nil {
				return err
			}
			return s.emit(struct {
				Rooms []workroom.Membership `json:"rooms"`
			}{nonNil(rooms)}, func(w io.Writer) error {
				return s.printRooms(w, rooms)
			})
		},
	}
}

func (s *session) printRooms(w io.Writer, rooms []workroom.Membership) error {
	if len(rooms) == 0 {
		_, err := fmt.Fprintln(w, "You have no workrooms yet. One is made when a job is awarded: post one with `job post`, or propose on one from `jobs --open`.")
		return err
	}
	t := newTable(w, "ID", "ROLE", "UNREAD", "LAST ACTIVITY", "EMAIL", "TITLE")
	for _, r := range rooms {
		t.row(r.ID, r.Role, r.Unread, s.when(r.LastActivity), r.Email, r.Title)
	}
	return t.flush()
}

// openCmd is reached only without a terminal: sshd opens the TUI itself
// when the session has one. The room is looked up first, so a member is
// told how to get a terminal and anyone else hears "no such workroom",
// exactly as for a room that does not exist.
func (s *session) openCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "open ROOM",
		Short: "the terminal UI, opened in that workroom (needs ssh -t)",
		Args:  exactArgs("ROOM"),
		RunE: func(c *cobra.Command, args []string) error {
			room, err := parseID("ROOM", args[0])
			if err != nil {
				return err
			}
			if _, err := s.svc.Room(c.Context(), workroom.RoomID(room)); err != nil {
				return err
			}
			return workroom.Errorf(workroom.EINVALID, "open needs a terminal: use ssh -t … open %d", room)
		},
	}
}
