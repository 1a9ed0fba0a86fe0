package command

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/workroom/workroom"
)

// A session with a terminal (ssh -t) gets the person's keys one by one:
// the client's terminal is raw, so nothing edits a line, echoes a key,
// ends the input on Ctrl-D or starts a new line on "\n" but the server.
// That is what lets `put` ask its three-way question; the text that
// follows is typed or pasted on the same terminal, and this file is the
// small line discipline it needs. Files themselves are piped without -t
// (ssh HOST put 5 logo.png < logo.png), where --on-conflict decides.

// Keys a terminal sends.
const (
	keyInterrupt = 0x03 // Ctrl-C: cancel
	keyEndInput  = 0x04 // Ctrl-D: the text is complete
	keyCtrlH     = 0x08 // backspace on some terminals
	keyDelete    = 0x7f // backspace on most
)

// crlfWriter writes "\n" as "\r\n", as a terminal's own line discipline
// would: the client's raw terminal moves down a line on "\n" but not
// back to its start.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// errPutCancelled is the person's own "cancel" to the question.
func errPutCancelled(path string) error {
	return workroom.Errorf(workroom.ECONFLICT, "%s: cancelled; nothing was stored", path)
}

// askConflict asks, on a terminal, what an upload to a name that holds a
// file does, and waits for one key: v, r or c (Ctrl-C and Ctrl-D cancel
// too; other keys are ignored). A name with no file, or one the lookup
// refuses, asks nothing: the upload itself then answers.
func (s *session) askConflict(ctx context.Context, room workroom.RoomID, path string) (workroom.OnConflict, error) {
	f, err := s.svc.File(ctx, room, path)
	if err != nil || len(f.Versions) == 0 {
		return workroom.ConflictVersion, nil
	}
	v := f.Latest()
	fmt.Fprintf(s.out, "%s exists (v%d, %s, by %s). [v]ersion / [r]ename / [c]ancel? ",
		line(f.Path), v.N, workroom.FormatSize(v.Size), line(v.UploaderName))
	key := make([]byte, 1)
	for {
		if _, err := io.ReadFull(s.in, key); err != nil {
			return "", errPutCancelled(f.Path)
		}
		var answer workroom.OnConflict
		switch key[0] {
		case 'v', 'V':
			answer = workroom.ConflictVersion
		case 'r', 'R':
			answer = workroom.ConflictRename
		case 'c', 'C', keyInterrupt, keyEndInput:
			fmt.Fprintln(s.out, "cancel")
			return "", errPutCancelled(f.Path)
		default:
			continue
		}
		fmt.Fprintln(s.out, answer)
		return answer, nil
	}
}

// readTyped reads the text a person types or pastes on the terminal,
// echoing it: Enter starts a new line, backspace removes the last
// character of the line, other control keys are dropped, Ctrl-D ends
// the text and Ctrl-C cancels. Like text on stdin it is bounded by
// maxTextInput, and kept only if it ended with Ctrl-D or a clean end of
// input.
func (s *session) readTyped(path string) ([]byte, error) {
	fmt.Fprintf(s.out, "Type or paste the text of %s; Ctrl-D ends it, Ctrl-C cancels.\n", line(path))
	var text []byte
	lineStart, afterCR := 0, false
	buf := make([]byte, 4096)
	for {
		n, err := s.in.Read(buf)
		for _, b := range buf[:n] {
			wasCR := afterCR
			afterCR = b == '\r'
			switch {
			case b == keyEndInput:
				s.endTypedLine(text, lineStart)
				return text, nil
			case b == keyInterrupt:
				fmt.Fprintln(s.out)
				return nil, errPutCancelled(path)
			case b == '\n' && wasCR: // "\r\n" is one Enter
			case b == '\r' || b == '\n':
				text = append(text, '\n')
				lineStart = len(text)
				fmt.Fprintln(s.out)
			case b == keyDelete || b == keyCtrlH:
				if len(text) > lineStart {
					_, size := utf8.DecodeLastRune(text[lineStart:])
					text = text[:len(text)-size]
					fmt.Fprint(s.out, "\b \b")
				}
			case b < ' ' && b != '\t':
			default:
				text = append(text, b)
				_, _ = s.out.Write([]byte{b})
			}
		}
		if len(text) > maxTextInput {
			return nil, workroom.Errorf(workroom.ELIMIT, "the typed text is over %d bytes; nothing was stored: pipe a file instead (ssh HOST put ROOM PATH < FILE, without -t)", maxTextInput)
		}
		switch {
		case errors.Is(err, io.EOF):
			s.endTypedLine(text, lineStart)
			return text, nil
		case err != nil:
			return nil, errStdinCut
		}
	}
}

// endTypedLine moves to a new line after the text, so what follows
// starts at the left edge.
func (s *session) endTypedLine(text []byte, lineStart int) {
	if len(text) > lineStart {
		fmt.Fprintln(s.out)
	}
}
