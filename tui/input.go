package tui

import (
	"io"
	"strings"
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

// readInput reads in until it ends, sending each event to the program.
func readInput(in io.Reader, p *tea.Program) {
	r := inputReader{send: func(ev uv.Event) { p.Send(ev) }}
	r.run(in)
}

// inputReader decodes the bytes read into events.
type inputReader struct {
	dec   uv.EventDecoder
	buf   []byte // read, not decoded yet
	paste []byte // a bracketed paste's text so far; nil outside one
	send  func(uv.Event)
}

// run decodes what in gives until it ends. Reads happen on their own
// goroutine so that a sequence left incomplete is decoded as it is once
// escWait passes with nothing more.
func (r *inputReader) run(in io.Reader) {
	reads := make(chan []byte)
	go func() {
		defer close(reads)
		for {
			b := make([]byte, 1024)
			n, err := in.Read(b)
			if n > 0 {
				reads <- b[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	wait := time.NewTimer(escWait)
	wait.Stop()
	for {
		select {
		case b, ok := <-reads:
			if !ok {
				r.scan(true)
				return
			}
			r.buf = append(r.buf, b...)
			r.scan(len(r.buf) > maxPending)
		case <-wait.C:
			r.scan(true)
		}
		if len(r.buf) > 0 {
			wait.Reset(escWait)
		} else {
			wait.Stop()
		}
	}
}

// scan decodes the events in the buffer. Unless the wait is over, an
// event that may be the start of a longer one stays in the buffer.
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

// handle sends one event, or adds it to the paste under way.
func (r *inputReader) handle(seq []byte, ev uv.Event) {
	if r.paste != nil {
		switch ev := ev.(type) {
		case uv.PasteEndEvent:
			// Text that is not UTF-8 is dropped, not shown.
			r.send(uv.PasteEvent{Content: strings.ToValidUTF8(string(r.paste), "")})
			r.paste = nil
			r.send(ev)
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
		r.send(ev)
	case uv.MultiEvent:
		for _, e := range ev {
			r.send(e)
		}
	default:
		r.send(ev)
	}
}
