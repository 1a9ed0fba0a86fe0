package command

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// completeCmd marks a workroom's job complete (the client only).
func (s *session) completeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "complete ROOM",
		Short: "mark the job complete (client); the room stays open, and its files go after 12 months with no activity",
		Args:  exactArgs("ROOM"),
		RunE: func(c *cobra.Command, args []string) error {
			id, err := ParseID("ROOM", args[0])
			if err != nil {
				return err
			}
			r, err := s.svc.Complete(c.Context(), workroom.RoomID(id))
			if err != nil {
				return err
			}
			return s.emit(struct {
				Room *workroom.Room `json:"room"`
			}{r}, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "Workroom %d marked complete. Everyone can still read, post and share files; "+
					"after %d months with no activity its files are deleted (the messages stay).\n", id, workroom.IdleCompletedRoomMonths)
				return err
			})
		},
	}
}
