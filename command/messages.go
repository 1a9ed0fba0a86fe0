package command

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// messagesCmd prints a page of a room's messages, newest first, and the
// cursor for the next, older page. Reading the newest page marks it read.
func (s *session) messagesCmd() *cobra.Command {
	var pg paging
	c := &cobra.Command{
		Use:   "messages ROOM [--limit N] [--before ID]",
		Short: "a workroom's messages, newest first",
		Long: "Prints a workroom's messages, newest first, a page at a time.\n" +
			"When older messages remain, the last line gives the --before value for the next page\n" +
			"(with --json: the \"before\" field; it is absent on the last page).",
		Args: exactArgs("ROOM"),
		RunE: func(c *cobra.Command, args []string) error {
			room, err := ParseID("ROOM", args[0])
			if err != nil {
				return err
			}
			if err := pg.check(c); err != nil {
				return err
			}
			page, err := s.svc.Messages(c.Context(), workroom.RoomID(room), pg.before, pg.size())
			if err != nil {
				return err
			}
			page.Messages = nonNil(page.Messages)
			return s.emit(page, func(w io.Writer) error {
				if err := s.printPage(w, room, pg.before, page); err != nil {
					return err
				}
				return pg.printNext(w, c, "older messages", fmt.Sprintf("messages %d", room), page.Before)
			})
		},
	}
	pg.bind(c, "messages")
	return c
}

// printPage shows each message as a header line and its body below,
// indented, then where the next page starts.
// unverifiedMark says a mail's sender could not be authenticated.
func unverifiedMark(m workroom.Message) string {
	if m.Unverified {
		return " (unverified sender)"
	}
	return ""
}

func (s *session) printPage(w io.Writer, room, before uint64, page *workroom.Page) error {
	if len(page.Messages) == 0 {
		if before != 0 {
			_, err := fmt.Fprintln(w, "No older messages.")
			return err
		}
		_, err := fmt.Fprintf(w, "No messages in workroom %d yet. Post one with: post %d TEXT\n", room, room)
		return err
	}
	for _, m := range page.Messages {
		fmt.Fprintf(w, "#%d  %s  %s  via %s%s\n", m.ID, line(m.AuthorName), s.when(m.Created), m.Source, unverifiedMark(m))
		fmt.Fprintln(w, block(m.Body))
		for _, a := range m.Attachments {
			fmt.Fprintf(w, "    attached: %s (v%d, %s)\n", line(a.Path), a.Version.N, workroom.FormatSize(a.Version.Size))
		}
	}
	return nil
}

// postCmd posts TEXT, or stdin when no TEXT is given, into a room. TEXT
// is the rest of the line after ROOM, exactly as typed (grammar.go).
func (s *session) postCmd() *cobra.Command {
	var attach []string
	c := &cobra.Command{
		Use:   "post ROOM [TEXT]",
		Short: "post TEXT (or stdin) into a workroom; prints the message's id",
		Long: "Posts a message into a workroom and prints its id. Everything after ROOM is the\n" +
			"message, exactly as typed; with nothing (or -), the message is read from stdin\n" +
			"(echo hi | ssh … post 5). A line with a flag inside the text (post 5 see --json)\n" +
			"is refused: send such text on stdin. --attach PATH (repeatable, up to 10) attaches\n" +
			"files of the workroom, at their latest version; the message lists them.",
		Args: cobra.MatchAll(leadingArgs("ROOM"), optionalArgs("ROOM", "TEXT")),
		RunE: func(c *cobra.Command, args []string) error {
			room, err := ParseID("ROOM", args[0])
			if err != nil {
				return err
			}
			var body string
			if len(args) == 1 || args[1] == stdinValue {
				if body, err = readText(s.in); err != nil {
					return err
				}
			} else {
				body = args[1]
			}
			m, err := s.svc.PostAttached(c.Context(), workroom.RoomID(room), body, workroom.SourceCommand, attach)
			if err != nil {
				return err
			}
			return s.emit(struct {
				Message *workroom.Message `json:"message"`
			}{m}, printID(m.ID))
		},
	}
	c.Flags().StringArrayVar(&attach, "attach", nil, "a file of the workroom to attach, by path; repeat for more")
	markTextAfter(c, 1)
	return c
}
