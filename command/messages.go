package command

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// maxPostInput bounds what post reads from stdin. It is far above the
// service's body limit, which is what refuses a long message; the bound only
// keeps a runaway pipe from filling memory.
const maxPostInput = 1 << 20

// messagesCmd prints a page of a room's messages, newest first, and the
// cursor for the next, older page. Reading the newest page marks it read.
func (s *session) messagesCmd() *cobra.Command {
	var limit int
	var before uint64
	c := &cobra.Command{
		Use:   "messages ROOM [--limit N] [--before ID]",
		Short: "a workroom's messages, newest first",
		Long: "Prints a workroom's messages, newest first, a page at a time.\n" +
			"When older messages remain, the last line gives the --before value for the next page\n" +
			"(with --json: the \"before\" field; it is absent on the last page).",
		Args: exactArgs("ROOM"),
		RunE: func(c *cobra.Command, args []string) error {
			room, err := parseID("ROOM", args[0])
			if err != nil {
				return err
			}
			if c.Flags().Changed("limit") && limit < 1 {
				return usagef("--limit must be 1 or more; usage: %s", usageLine(c))
			}
			page, err := s.svc.Messages(c.Context(), workroom.RoomID(room), before, limit)
			if err != nil {
				return err
			}
			page.Messages = nonNil(page.Messages)
			return s.emit(page, func(w io.Writer) error {
				return s.printPage(w, room, before, page)
			})
		},
	}
	c.Flags().IntVar(&limit, "limit", workroom.DefaultPageSize, "how many messages per page")
	c.Flags().Uint64Var(&before, "before", 0, "show messages older than this id (the cursor from the previous page)")
	return c
}

// printPage shows each message as a header line and its body below,
// indented, then where the next page starts.
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
		fmt.Fprintf(w, "#%d  %s  %s  via %s\n", m.ID, line(m.AuthorName), s.when(m.Created), m.Source)
		fmt.Fprintln(w, block(m.Body))
	}
	if page.Before != 0 {
		_, err := fmt.Fprintf(w, "older messages: messages %d --before %d\n", room, page.Before)
		return err
	}
	return nil
}

// postCmd posts TEXT, or stdin when no TEXT is given, into a room.
func (s *session) postCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "post ROOM [TEXT]",
		Short: "post TEXT (or stdin) into a workroom; prints the message's id",
		Long: "Posts a message into a workroom and prints its id. The words after ROOM are the\n" +
			"message; with none, the message is read from stdin (echo hi | ssh … post 5).",
		Args: leadingArgs("ROOM"),
		RunE: func(c *cobra.Command, args []string) error {
			room, err := parseID("ROOM", args[0])
			if err != nil {
				return err
			}
			body := strings.Join(args[1:], " ")
			if len(args) == 1 {
				if body, err = readBody(s.in); err != nil {
					return err
				}
			}
			m, err := s.svc.Post(c.Context(), workroom.RoomID(room), body, workroom.SourceCommand)
			if err != nil {
				return err
			}
			return s.emit(struct {
				Message *workroom.Message `json:"message"`
			}{m}, printID(m.ID))
		},
	}
}

// readBody reads a message from stdin, without the newline that ends the
// last line of piped text.
func readBody(in io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(in, maxPostInput))
	if err != nil {
		return "", err
	}
	if len(data) == maxPostInput {
		// Cut at the bound: drop a partial last character so the service
		// judges the length, not the encoding.
		for i := 0; i < utf8.UTFMax-1 && !utf8.Valid(data); i++ {
			data = data[:len(data)-1]
		}
	}
	return strings.TrimRight(string(data), "\r\n"), nil
}
