package command

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// notifyCmd turns the mail sent for each new message of a room on or off,
// for the person running it only. Every notification mail names this
// command, so stopping them is one line away.
func (s *session) notifyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "notify ROOM on|off",
		Short: "turn the mail for each new message in a workroom on or off (for you)",
		Long: "Each new message in a workroom is mailed to every other member with a verified address who\n" +
			"is not looking at the workroom at that moment. `notify ROOM off` stops those mails for you,\n" +
			"for that workroom only; `notify ROOM on` starts them again. `rooms --json` shows the setting.",
		Args: exactArgs("ROOM", "on|off"),
		RunE: func(c *cobra.Command, args []string) error {
			room, err := ParseID("ROOM", args[0])
			if err != nil {
				return err
			}
			var on bool
			switch args[1] {
			case "on":
				on = true
			case "off":
			default:
				return workroom.Errorf(workroom.EINVALID, "notify takes on or off, not %q: notify %d on, or notify %d off", line(args[1]), room, room)
			}
			if err := s.svc.SetNotify(c.Context(), workroom.RoomID(room), on); err != nil {
				return err
			}
			return s.emit(struct {
				Room   uint64 `json:"room_id"`
				Notify bool   `json:"notify"`
			}{room, on}, func(w io.Writer) error {
				if on {
					_, err := fmt.Fprintf(w, "Notifications for workroom %d are on: each new message there is mailed to you while you are not looking at it.\n", room)
					return err
				}
				_, err := fmt.Fprintf(w, "Notifications for workroom %d are off. Turn them on again with: notify %d on\n", room, room)
				return err
			})
		},
	}
}
