package command

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// roomsCmd lists my workrooms, most recently active first, a page at a
// time.
func (s *session) roomsCmd() *cobra.Command {
	var pg paging
	c := &cobra.Command{
		Use:   "rooms [--limit N] [--before N]",
		Short: "your workrooms: id, role, unread, last activity, email address, title",
		Long: "Lists your workrooms, most recently active first, a page at a time. When more remain,\n" +
			"the last line gives the command for the next page (with --json: the \"before\" field;\n" +
			"it is a position in the order of activity, not a room id).",
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := pg.check(c); err != nil {
				return err
			}
			page, err := s.svc.Rooms(c.Context(), pg.before, pg.size())
			if err != nil {
				return err
			}
			return s.emit(page, func(w io.Writer) error {
				if err := s.printRooms(w, page.Rooms, pg.before); err != nil {
					return err
				}
				return pg.printNext(w, c, "less recently active", "rooms", page.Before)
			})
		},
	}
	pg.bind(c, "workrooms")
	return c
}

func (s *session) printRooms(w io.Writer, rooms []workroom.Membership, before uint64) error {
	if len(rooms) == 0 && before != 0 {
		_, err := fmt.Fprintln(w, "No further workrooms.")
		return err
	}
	if len(rooms) == 0 {
		_, err := fmt.Fprintln(w, "You have no workrooms yet. One is made when a job is awarded: post one with `job post`, or propose on one from `jobs --open`.")
		return err
	}
	t := newTable(w, "ID", "ROLE", "UNREAD", "LAST ACTIVITY", "EMAIL", "TITLE")
	for _, r := range rooms {
		t.row(r.ID, r.Role, r.Unread, s.when(r.LastActivity), r.Email, r.Title+s.completedTag(r.Completed))
	}
	return t.flush()
}

// completedTag follows a completed room's title in lists.
func (s *session) completedTag(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	return " (completed " + s.when(at) + ")"
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
			room, err := ParseID("ROOM", args[0])
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
