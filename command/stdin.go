package command

import (
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/workroom/workroom"
)

// Every free text can come from stdin instead of the command line: post
// with no TEXT, propose with no --text, and any free-text flag given as
// "-" (job post --title T --description -). Stdin is the safe way for text
// the command line cannot carry (a flag name inside it, a newline).
//
// What a command reads from stdin counts only when stdin ended cleanly:
// the transport's reader returns io.EOF only then, and an error (such as
// io.ErrUnexpectedEOF) when the input was cut off — a dropped connection,
// a session ended. Such input is refused whole: nothing is stored.

// maxTextInput bounds a text read from stdin. It is far above the
// service's own limits, which refuse a long message with their reason; the
// bound only keeps a runaway pipe from filling memory. Input over it is
// refused, never cut: a text is stored only after its end was seen.
const maxTextInput = 1 << 20

// readText reads a text from stdin, without the newline that ends the
// last line of piped text.
func readText(in io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(in, maxTextInput+1))
	switch {
	case err != nil:
		return "", errStdinCut
	case len(data) > maxTextInput:
		return "", workroom.Errorf(workroom.ELIMIT, "stdin holds more than %d bytes; nothing was stored", maxTextInput)
	}
	return strings.TrimRight(string(data), "\r\n"), nil
}

// errStdinCut refuses input that did not end cleanly.
var errStdinCut = workroom.Errorf(workroom.EINVALID,
	"the input on stdin did not end cleanly (the connection dropped or the session was ended first); nothing was stored")

// readStdinFlags reads, before a command runs, the one free-text flag
// given as "-" from stdin.
func (s *session) readStdinFlags(c *cobra.Command) error {
	var fromStdin []*pflag.Flag
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if isFreeText(f) && f.Changed && f.Value.String() == stdinValue {
			fromStdin = append(fromStdin, f)
		}
	})
	switch len(fromStdin) {
	case 0:
		return nil
	case 1:
	default:
		return usagef("only one text can come from stdin; --%s and --%s both say -", fromStdin[0].Name, fromStdin[1].Name)
	}
	text, err := readText(s.in)
	if err != nil {
		return err
	}
	return fromStdin[0].Value.Set(text)
}
