package command

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
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

// when shows a time for people: how long ago when recent, else the date.
func (s *session) when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := s.now().Sub(t)
	switch {
	case d < -time.Minute:
		return t.UTC().Format("2006-01-02 15:04 UTC")
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	case d < 48*time.Hour:
		return "yesterday"
	case d < 7*24*time.Hour:
		return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
	default:
		return t.UTC().Format("2006-01-02 15:04 UTC")
	}
}

// yesNo shows a boolean for people.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
