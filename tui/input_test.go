package tui

import (
	"io"
	"strings"
	"testing"
	"time"

	uv "github.com/charmbracelet/ultraviolet"
)

// keyFeed feeds an inputReader through a pipe, read by read, and collects
// the events it sends.
type keyFeed struct {
	t      *testing.T
	w      *io.PipeWriter
	events chan uv.Event
	done   chan struct{}
}

func newKeyFeed(t *testing.T) *keyFeed {
	r, w := io.Pipe()
	ty := &keyFeed{t: t, w: w, events: make(chan uv.Event, 1000), done: make(chan struct{})}
	ir := &inputReader{send: func(evs []uv.Event) {
		for _, ev := range evs {
			ty.events <- ev
		}
	}}
	go func() {
		defer close(ty.done)
		ir.run(r)
	}()
	t.Cleanup(func() {
		w.Close()
		<-ty.done
	})
	return ty
}

// write is one read's worth of bytes.
func (ty *keyFeed) write(s string) {
	if _, err := io.WriteString(ty.w, s); err != nil {
		ty.t.Fatal(err)
	}
}

// next is the next event, or nil after a second.
func (ty *keyFeed) next() uv.Event {
	select {
	case ev := <-ty.events:
		return ev
	case <-time.After(time.Second):
		return nil
	}
}

// none checks that no event comes within a moment.
func (ty *keyFeed) none(what string) {
	ty.t.Helper()
	select {
	case ev := <-ty.events:
		ty.t.Fatalf("%s: got %v", what, ev)
	case <-time.After(escWait / 2):
	}
}

func (ty *keyFeed) wantKey(want string) {
	ty.t.Helper()
	ev := ty.next()
	k, ok := ev.(uv.KeyPressEvent)
	if !ok || k.String() != want {
		ty.t.Fatalf("got %#v, want the key %q", ev, want)
	}
}

// A sequence split across two reads is one key, not an escape and two
// letters; an escape alone is the escape key once nothing follows; a
// letter split in the middle of its UTF-8 is one letter.
func TestInput_SequencesSplitAcrossReads(t *testing.T) {
	ty := newKeyFeed(t)
	ty.write("\x1b[")
	ty.none("half a sequence")
	ty.write("A")
	ty.wantKey("up")

	ty.write("\x1b")
	ty.wantKey("esc")

	ty.write("\xc3")
	ty.none("half a letter")
	ty.write("\xa9")
	ty.wantKey("é")

	ty.write("\x1b\r") // alt+enter: a new line in the composer
	ty.wantKey("alt+enter")

	ty.write("ab\x1b[Bc")
	for _, k := range []string{"a", "b", "down", "c"} {
		ty.wantKey(k)
	}
}

// A bracketed paste is one event with the pasted text, across reads,
// newlines included; one longer than maxPaste is cut there.
func TestInput_BracketedPasteIsOneEvent(t *testing.T) {
	ty := newKeyFeed(t)
	ty.write("\x1b[200~hello\r")
	ty.write("wörld\x1b[201~x")
	if _, ok := ty.next().(uv.PasteStartEvent); !ok {
		t.Fatal("no paste start")
	}
	if p, ok := ty.next().(uv.PasteEvent); !ok || p.Content != "hello\rwörld" {
		t.Fatalf("paste %#v, want hello\\rwörld", p)
	}
	if _, ok := ty.next().(uv.PasteEndEvent); !ok {
		t.Fatal("no paste end")
	}
	ty.wantKey("x")

	ty.write("\x1b[200~")
	chunk := strings.Repeat("0123456789abcdef", 1024)
	for range maxPaste/len(chunk) + 4 {
		ty.write(chunk)
	}
	ty.write("\x1b[201~")
	ty.next() // the start
	if p, ok := ty.next().(uv.PasteEvent); !ok || len(p.Content) != maxPaste {
		t.Fatalf("a paste over the bound holds %d bytes, want %d", len(p.Content), maxPaste)
	}
}

// When the input ends, what is left is decoded as it is, and the reader
// stops.
func TestInput_EndsWithTheInput(t *testing.T) {
	r, w := io.Pipe()
	var got []uv.Event
	ir := &inputReader{send: func(evs []uv.Event) { got = append(got, evs...) }}
	done := make(chan struct{})
	go func() {
		defer close(done)
		ir.run(r)
	}()
	_, _ = io.WriteString(w, "q\x1b")
	w.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the reader did not stop when its input ended")
	}
	if len(got) != 2 || got[0].(uv.KeyPressEvent).String() != "q" || got[1].(uv.KeyPressEvent).String() != "esc" {
		t.Fatalf("got %v, want q and esc", got)
	}
}
