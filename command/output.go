package command

import (
	"bytes"
	"encoding/json"
	"io"
	"time"

	"github.com/workroom/workroom/timefmt"
)

// emit prints a command's result: v as one JSON object with --json, else
// the plain text that plain writes. Every command that prints goes through
// here, so --json means the same everywhere: one encoder, whose output
// jsonSafe makes inert for terminals.
func (s *session) emit(v any, plain func(w io.Writer) error) error {
	if s.json {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := s.out.Write(jsonSafe(buf.Bytes()))
		return err
	}
	return plain(s.out)
}

// done is the JSON of a command that only confirms: an empty object, so a
// script can parse stdout whatever it ran.
var done = struct{}{}

// when shows a time for people, in the user's own time zone: the one rule
// of timefmt, which the terminal UI uses too.
func (s *session) when(t time.Time) string {
	return timefmt.When(t, s.now(), s.id.User.Location())
}

// yesNo shows a boolean for people.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
