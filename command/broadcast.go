package command

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// broadcastCmd posts one message into each of several workrooms, as its
// own message in each (source broadcast). A room that refuses refuses
// only its copy: every room gets a line saying whether it went in, and
// the command exits 1 when any room refused, so a script notices.
func (s *session) broadcastCmd() *cobra.Command {
	var text string
	c := &cobra.Command{
		Use:   "broadcast ROOM… --text T",
		Short: "post one message into each of several workrooms",
		Long: fmt.Sprintf("Posts the text into each workroom named, as a message of its own there (source broadcast),\n"+
			"notifying each as any post does, and prints one line per workroom saying whether it went in.\n"+
			"Name the workrooms first: --text takes the rest of the line. With no --text (or --text -)\n"+
			"the text is read from stdin. At most %d workrooms; each one posted counts as a message\n"+
			"against the message rate limit. Exits 1 when any workroom refused (the others still got\n"+
			"it), with a line on stderr saying how many.", workroom.MaxBroadcastRooms),
		Args: leadingArgs("ROOM"),
		RunE: func(c *cobra.Command, args []string) error {
			rooms := make([]workroom.RoomID, len(args))
			for i, a := range args {
				id, err := ParseID("ROOM", a)
				if err != nil {
					return err
				}
				rooms[i] = workroom.RoomID(id)
			}
			if !c.Flags().Changed("text") {
				var err error
				if text, err = readText(s.in); err != nil {
					return err
				}
			}
			results, err := s.svc.Broadcast(c.Context(), rooms, text)
			if err != nil {
				return err
			}
			if err := s.emit(broadcastJSON(results), func(w io.Writer) error { return printBroadcast(w, results) }); err != nil {
				return err
			}
			return broadcastRefusals(results)
		},
	}
	c.Flags().StringVar(&text, "text", "", "the message, to the end of the line (- reads it from stdin)")
	markFreeText(c, "text")
	return c
}

// broadcastRoom is one room's line of broadcast --json.
type broadcastRoom struct {
	Room    workroom.RoomID   `json:"room_id"`
	Posted  bool              `json:"posted"`
	Message *workroom.Message `json:"message,omitempty"`
	Code    string            `json:"code,omitempty"`
	Error   string            `json:"error,omitempty"`
}

func broadcastJSON(results []workroom.BroadcastResult) any {
	out := make([]broadcastRoom, len(results))
	for i, r := range results {
		out[i] = broadcastRoom{Room: r.RoomID, Posted: r.Err == nil, Message: r.Message}
		if r.Err != nil {
			out[i].Code, out[i].Error = workroom.ErrorCode(r.Err), howTos.Explain(r.Err)
		}
	}
	return struct {
		Rooms   []broadcastRoom `json:"rooms"`
		Posted  int             `json:"posted"`
		Refused int             `json:"refused"`
	}{out, workroom.Posted(results), len(results) - workroom.Posted(results)}
}

// printBroadcast prints a line per room: the message it became, or why
// it was refused.
func printBroadcast(w io.Writer, results []workroom.BroadcastResult) error {
	for _, r := range results {
		var err error
		if r.Err == nil {
			_, err = fmt.Fprintf(w, "%d  posted as message %d\n", r.RoomID, r.Message.ID)
		} else {
			_, err = fmt.Fprintf(w, "%d  not posted: %s\n", r.RoomID, line(howTos.Explain(r.Err)))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// broadcastRefusals is the command's error when some room refused: it
// carries the first refusal's code, so the log tells a server fault from
// a person's mistake.
func broadcastRefusals(results []workroom.BroadcastResult) error {
	posted := workroom.Posted(results)
	if posted == len(results) {
		return nil
	}
	var first error
	for _, r := range results {
		if r.Err != nil {
			first = r.Err
			break
		}
	}
	return workroom.Errorf(workroom.ErrorCode(first), "%d of %d workrooms refused the broadcast (see the line for each); it went into %d",
		len(results)-posted, len(results), posted)
}
