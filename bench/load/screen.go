package main

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/workroom/workroom/bench/loopback"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"golang.org/x/crypto/ssh"
)

// A TUI session opened with `open ROOM` on a 120×40 PTY, whose output is
// searched for the tokens of messages posted into its room.
//
// The raw output stream is searched, not a terminal emulator's screen:
// the server rewrites a row that changed whole (tui/screen.go), so a
// token arrives whole; tokens are also built so that a renderer writing
// only changed cells, as Bubble Tea's did, would write them whole (see
// token). A few sessions (-verify) also feed a terminal emulator, and the
// run reports whether the emulator's screen showed each token in the same
// read as the raw search found it.

// Terminal size of every session (-width, -height): what the server
// draws and keeps per session grows with it.
var (
	termWidth  = 120
	termHeight = 40
)

// expectation is one token a session waits for.
type expectation struct {
	start   time.Time
	arrived func(d time.Duration, found bool)
}

type screen struct {
	sess *ssh.Session
	in   io.Writer // the session's keyboard

	mu      sync.Mutex
	pending map[string]*expectation
	tail    []byte // the end of the previous read, for tokens split across reads
	ready   chan struct{}
	readyOn string                   // text that shows the room has been drawn
	waits   map[string]chan struct{} // texts someone waits to see (waitText)
	reads   int                      // reads so far, to compare the raw search with the emulator
	missed  int                      // tokens never shown

	emu      *vt.SafeEmulator // only on verified sessions
	rawRead  map[string]int   // read at which the raw search found a token
	verdicts *verdicts
}

// tailBytes is more than the longest token or ready text.
const tailBytes = 64

// openScreen starts `open ROOM` on a new PTY session of cl. The session
// counts as ready once readyOn shows in its output.
func openScreen(cl *ssh.Client, room, readyOn string, v *verdicts) (*screen, error) {
	sess, err := loopback.NewSession(cl)
	if err != nil {
		return nil, err
	}
	s := &screen{sess: sess, pending: map[string]*expectation{}, ready: make(chan struct{}), readyOn: readyOn,
		waits: map[string]chan struct{}{}}
	if v != nil {
		s.verdicts, s.rawRead = v, map[string]int{}
		s.emu = vt.NewSafeEmulator(termWidth, termHeight)
		// Its answers to the program's queries are dropped, as every other
		// session's are, so verified sessions see the same output.
		go func() { _, _ = io.Copy(io.Discard, s.emu) }()
	}
	if err := sess.RequestPty("xterm-256color", termHeight, termWidth, ssh.TerminalModes{}); err != nil {
		sess.Close()
		return nil, err
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		sess.Close()
		return nil, err
	}
	if s.in, err = sess.StdinPipe(); err != nil {
		sess.Close()
		return nil, err
	}
	go s.read(out)
	if err := sess.Start("open " + room); err != nil {
		sess.Close()
		return nil, err
	}
	return s, nil
}

// expect registers a token before it is posted.
func (s *screen) expect(token string, e *expectation) {
	s.mu.Lock()
	s.pending[token] = e
	s.mu.Unlock()
}

// waitText returns a channel closed once text shows in the session's
// output from now on. Text is searched in the raw stream as tokens are, so
// it must be written whole: callers pick words whose first and last cells
// change when they appear.
func (s *screen) waitText(text string) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.waits[text]
	if !ok {
		ch = make(chan struct{})
		s.waits[text] = ch
	}
	return ch
}

// press types keys, as a person at the terminal.
func (s *screen) press(keys string) error {
	_, err := io.WriteString(s.in, keys)
	return err
}

// forget drops a token that never came, reporting it as missed.
func (s *screen) forget(token string) {
	s.mu.Lock()
	e, ok := s.pending[token]
	delete(s.pending, token)
	s.mu.Unlock()
	if ok {
		s.mu.Lock()
		s.missed++
		s.mu.Unlock()
		e.arrived(0, false)
		if s.emu != nil {
			s.verdicts.add(false, -1)
		}
	}
}

func (s *screen) read(out io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := out.Read(buf)
		if n > 0 {
			s.scan(buf[:n], time.Now())
		}
		if err != nil {
			return
		}
	}
}

// scan searches one read (with the end of the one before) for what the
// session waits for.
func (s *screen) scan(chunk []byte, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads++
	if len(s.pending) > 0 || s.readyOn != "" || len(s.waits) > 0 {
		hay := append(s.tail, chunk...)
		if s.readyOn != "" && bytes.Contains(hay, []byte(s.readyOn)) {
			s.readyOn = ""
			close(s.ready)
		}
		for text, ch := range s.waits {
			if bytes.Contains(hay, []byte(text)) {
				close(ch)
				delete(s.waits, text)
			}
		}
		for token, e := range s.pending {
			if !bytes.Contains(hay, []byte(token)) {
				continue
			}
			e.arrived(at.Sub(e.start), true)
			delete(s.pending, token)
			if s.emu != nil {
				s.rawRead[token] = s.reads
			}
		}
		s.tail = append(s.tail[:0], hay[max(len(hay)-tailBytes, 0):]...)
	}
	if s.emu != nil {
		s.verify(chunk, at)
	}
}

// verify feeds the emulator and, for each token the raw search found,
// checks the screen shows it after the same read. A token the screen shows
// that the raw search has not found is a miss of the raw search; it counts
// as arrived (by the emulator's time) so the run goes on.
func (s *screen) verify(chunk []byte, at time.Time) {
	_, _ = s.emu.Write(chunk)
	if len(s.rawRead) == 0 && len(s.pending) == 0 {
		return
	}
	shown := ansi.Strip(s.emu.Render())
	for token, read := range s.rawRead {
		if strings.Contains(shown, token) {
			s.verdicts.add(true, s.reads-read)
			delete(s.rawRead, token)
		}
	}
	for token, e := range s.pending {
		if strings.Contains(shown, token) {
			s.verdicts.add(true, -1)
			e.arrived(at.Sub(e.start), true)
			delete(s.pending, token)
		}
	}
}

// verdicts counts how the raw search compared with the emulator.
type verdicts struct {
	mu                  sync.Mutex
	same, later, missed int // emulator showed it in the same read, a later read, or raw never found it
	emulatorAlsoMissed  int // raw missed and the screen did not show it either
}

// add records one token: shown is whether the emulator showed it; lag is
// how many reads after the raw search it did (-1: the raw search missed).
func (v *verdicts) add(shown bool, lag int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	switch {
	case lag < 0 && shown:
		v.missed++
	case lag < 0:
		v.emulatorAlsoMissed++
	case lag == 0:
		v.same++
	default:
		v.later++
	}
}
