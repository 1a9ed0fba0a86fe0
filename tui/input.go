package tui

import (
	"io"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// The session's input is read here, not by Bubble Tea (programs run with
// tea.WithInput(nil)). Bubble Tea's reader, ultraviolet's TerminalReader,
// builds a table of every legacy key sequence for each program it starts:
// 170 KB per session, measured (BenchmarkIdle's heap profile), two thirds
// of an idle session's heap and of what each garbage collection has to
// mark — with 1,000 sessions in meetings, the collector's mark phase ran
// for 450 ms every three seconds, and the lines typed meanwhile waited
// for it. The decoding itself is ultraviolet's EventDecoder, which reads
// the same sequences without the table; what is done here is what the
// TerminalReader did around it: wait a moment for a sequence split across
// reads, and gather a bracketed paste into one event. Bubble Tea turns the
// events into its messages as it does its own reader's.

// escWait is how long the start of a sequence, or a lone escape, waits
// for the rest before it counts as typed (ultraviolet's default): the
// rest of a sequence split across reads comes well within it.
const escWait = uv.DefaultEscTimeout

// Bounds on what a client can make a session hold: a paste longer than
// any text field takes (a message is at most 20,000 characters) is cut,
// and bytes that keep coming without completing a sequence are decoded
// as they are once this many wait.
const (
	maxPaste   = 256 << 10
	maxPending = 64 << 10
)

// readInput reads in until it ends, sending the events to the program:
// the keys and pastes read together as one keysMsg, anything else (a
// terminal's answer to a query) alone, in the order they came.
func readInput(in io.Reader, p *tea.Program) {
	r := inputReader{send: func(evs []uv.Event) {
		var keys keysMsg
		flush := func() {
			switch len(keys) {
			case 0:
			case 1:
				p.Send(keys[0])
			default:
				p.Send(keys)
			}
			keys = nil
		}
		for _, ev := range evs {
			switch ev := ev.(type) {
			case uv.KeyPressEvent:
				keys = append(keys, tea.KeyPressMsg(ev))
			case uv.PasteEvent:
				keys = append(keys, tea.PasteMsg(ev))
			default:
				flush()
				p.Send(ev) // Bubble Tea makes it its message
			}
		}
		flush()
	}}
	r.run(in)
}

// keysMsg is the keys (and pastes) of one read, in order: someone typing
// sends a key a read, but a line pasted, or typed faster than the
// connection carries it, comes as one read. The model handles them all
// before it draws and before it says whether its user is typing
// (model.Update), so a line that arrives whole with its enter costs one
// frame and tells nobody "typing".
type keysMsg []tea.Msg

// inputReader decodes the bytes read into events.
type inputReader struct {
	mu    sync.Mutex // held by the reading goroutine and the wait's timer
	ended bool       // the input ended: the timer has nothing to do
	dec   uv.EventDecoder
	buf   []byte     // read, not decoded yet
	paste []byte     // a bracketed paste's text so far; nil outside one
	out   []uv.Event // decoded by this scan, not sent yet
	send  func([]uv.Event)
}

// run decodes what in gives until it ends. A sequence left incomplete is
// decoded as it is once escWait passes with nothing more: a timer does
// that, so a session's input costs one goroutine, this one, blocked in
// Read.
func (r *inputReader) run(in io.Reader) {
	var due time.Time // when what waits in buf is decoded as it is
	wait := time.AfterFunc(time.Hour, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		// A timer that fired as more bytes came is not this wait's.
		if !r.ended && len(r.buf) > 0 && !time.Now().Before(due) {
			r.scan(true)
		}
	})
	wait.Stop()
	b := make([]byte, 1024)
	for {
		n, err := in.Read(b)
		r.mu.Lock()
		r.buf = append(r.buf, b[:n]...)
		if err != nil {
			r.scan(true)
			r.ended = true
			r.mu.Unlock()
			wait.Stop()
			return
		}
		r.scan(len(r.buf) > maxPending)
		if len(r.buf) > 0 {
			due = time.Now().Add(escWait)
			wait.Reset(escWait)
		}
		r.mu.Unlock()
	}
}

// scan decodes the events in the buffer and sends them together. Unless
// the wait is over, an event that may be the start of a longer one stays
// in the buffer.
func (r *inputReader) scan(waited bool) {
	buf := r.buf
	for len(buf) > 0 {
		n, ev := r.dec.Decode(buf)
		if n == 0 || !waited && mayGoOn(buf, n, ev) {
			break
		}
		r.handle(buf[:n], ev)
		buf = buf[n:]
	}
	r.buf = r.buf[:copy(r.buf, buf)]
	if len(r.out) > 0 {
		r.send(r.out)
		r.out = nil
	}
}

// mayGoOn reports whether the event decoded from the first n bytes of buf
// may be the start of a longer one still on its way: it reaches the end
// of what was read, and it is not recognised (yet), or it is an escape
// alone or with one byte (alt and a key, or the start of a sequence).
func mayGoOn(buf []byte, n int, ev uv.Event) bool {
	if n < len(buf) {
		return false
	}
	_, unknown := ev.(uv.UnknownEvent)
	return unknown || buf[0] == ansi.ESC && n <= 2
}

// handle adds one event to those to send, or to the paste under way.
func (r *inputReader) handle(seq []byte, ev uv.Event) {
	if r.paste != nil {
		switch ev := ev.(type) {
		case uv.PasteEndEvent:
			// Text that is not UTF-8 is dropped, not shown.
			r.out = append(r.out, uv.PasteEvent{Content: strings.ToValidUTF8(string(r.paste), "")}, ev)
			r.paste = nil
		case uv.KeyPressEvent:
			text := ev.Text
			if text == "" {
				text = string(seq) // enter, tab: as typed
			}
			if len(r.paste)+len(text) <= maxPaste {
				r.paste = append(r.paste, text...)
			}
		}
		return // anything else inside a paste is not the paste's
	}
	switch ev := ev.(type) {
	case nil:
	case uv.PasteStartEvent:
		r.paste = []byte{}
		r.out = append(r.out, ev)
	case uv.MultiEvent:
		r.out = append(r.out, ev...)
	default:
		r.out = append(r.out, ev)
	}
}
