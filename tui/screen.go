package tui

import (
	"bytes"
	"io"
	"strings"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// The screen writes the app's frames to the terminal itself; programs run
// without Bubble Tea's renderer (tea.WithoutRenderer).
//
// Bubble Tea's renderer parses every frame into a grid of cells, compares
// the grid with the last one cell by cell and hashes rows to find scrolls.
// Measured with a meeting line on two 120×40 screens
// (BenchmarkMeetingLine), that was 40% of the server's CPU, and its two
// grids were 1.04 MB of each session's memory. The app's frame is already
// a list of rows, each cut to the window's width (frame.go), so the screen
// compares rows as strings and rewrites a row that changed whole: it moves
// to the row, erases it and writes it. A frame costs a string comparison
// per row, and the memory kept is the last frame's rows.
//
// It writes more bytes than a cell renderer when most rows change by a
// little (a new line scrolling the history), which costs nothing that
// shows over SSH: a few kilobytes.
//
// Everything the screen writes goes out in one Write per frame. Bubble
// Tea writes nothing to the terminal itself: it has no renderer and no
// input of its own here (input.go reads the keys).
type screen struct {
	out           io.Writer
	width, height int
	profile       colorprofile.Profile
	knowsProfile  bool // no frame is drawn before the profile is known
	title         string

	// rows is what the terminal shows now, row by row; nil when that is
	// unknown (before the first frame, after a resize), so the next frame
	// is drawn whole.
	rows    []string
	started bool
	closed  bool
	buf     bytes.Buffer
	conv    colorprofile.Writer // downsamples rows into buf
}

func newScreen(out io.Writer, title string) *screen {
	s := &screen{out: out, title: title}
	s.conv.Forward = &s.buf
	return s
}

// startSeq takes the terminal over: the alternate screen, cursor hidden,
// no autowrap (a row one cell too wide must not scroll the screen),
// bracketed paste, the window title, and a question for the background
// colour, whose answer the key reader (input.go) hands Bubble Tea to turn
// into a tea.BackgroundColorMsg.
func (s *screen) startSeq() string {
	return ansi.SetModeAltScreenSaveCursor + ansi.HideCursor + ansi.ResetModeAutoWrap +
		ansi.SetModeBracketedPaste + ansi.SetWindowTitle(s.title) + ansi.RequestBackgroundColor
}

// endSeq gives the terminal back as it was before startSeq.
const endSeq = ansi.ResetStyle + ansi.ResetModeBracketedPaste + ansi.SetModeAutoWrap +
	ansi.ShowCursor + ansi.ResetModeAltScreenSaveCursor

// resize is the terminal's new size; the next frame is drawn whole.
func (s *screen) resize(width, height int) {
	s.width, s.height = width, height
	s.rows = nil
}

// setProfile is the colour profile the terminal announced; the next frame
// is drawn whole in it. Bubble Tea sends it as the program starts, in no
// set order with the window's size: until it comes, nothing is drawn, so a
// terminal without colour never gets any.
func (s *screen) setProfile(p colorprofile.Profile) {
	s.profile, s.knowsProfile = p, true
	s.rows = nil
}

// draw shows the frame's rows, writing only those that differ from what
// the terminal shows.
func (s *screen) draw(rows []string) error {
	if s.closed || s.height <= 0 || !s.knowsProfile {
		return nil
	}
	s.buf.Reset()
	s.buf.WriteString(ansi.SetModeSynchronizedOutput)
	if !s.started {
		s.started = true
		s.buf.WriteString(s.startSeq())
	}
	if len(rows) > s.height {
		rows = rows[:s.height]
	}
	whole := s.rows == nil
	if whole {
		s.buf.WriteString(ansi.ResetStyle + ansi.EraseEntireScreen)
	}
	begun := s.buf.Len()
	for i := range max(len(rows), len(s.rows)) {
		var row string
		if i < len(rows) {
			row = rows[i]
		}
		if !whole && i < len(s.rows) && s.rows[i] == row {
			continue
		}
		if whole && row == "" {
			continue // erased with the screen
		}
		s.writeRow(i, row)
	}
	s.rows = rows
	if s.buf.Len() == begun && !whole {
		return nil // nothing changed
	}
	return s.flush()
}

// writeRow rewrites row i: the style reset first, so the erase leaves the
// terminal's own background.
func (s *screen) writeRow(i int, row string) {
	s.buf.WriteString(ansi.CursorPosition(1, i+1))
	s.buf.WriteString(ansi.ResetStyle + ansi.EraseEntireLine)
	switch {
	case row == "":
	case s.profile == colorprofile.TrueColor:
		s.buf.WriteString(row)
	case s.profile == colorprofile.ANSI256 && !strings.Contains(row, ";2;"):
		// No 24-bit colour (";2;" starts one): nothing to bring down,
		// and no need to parse the row. The theme is all 256 colours.
		s.buf.WriteString(row)
	default:
		// Below 256 colours, and with none (NoTTY is treated as ASCII:
		// the rows still need their reverse video and bold).
		s.conv.Profile = max(s.profile, colorprofile.ASCII)
		_, _ = s.conv.WriteString(row)
	}
}

// flush writes the frame in one piece, inside a synchronized update so a
// terminal that knows it shows the frame at once (others ignore it). A
// buffer grown by a large frame is let go, so an idle session does not
// keep it.
func (s *screen) flush() error {
	s.buf.WriteString(ansi.ResetModeSynchronizedOutput)
	_, err := s.out.Write(s.buf.Bytes())
	if s.buf.Cap() > maxKeptFrame {
		s.buf = bytes.Buffer{}
	}
	s.buf.Reset()
	return err
}

// maxKeptFrame is the largest frame buffer a screen keeps between frames:
// a whole 120×40 frame fits.
const maxKeptFrame = 32 << 10

// close gives the terminal back, once; nothing is drawn after it.
func (s *screen) close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if !s.started {
		return nil
	}
	_, err := io.WriteString(s.out, endSeq)
	return err
}
