package tui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// watchers is how many programs BenchmarkWatchers runs in one room.
const watchers = 100

// BenchmarkWatchers runs watchers programs at 120×40 in one workroom and
// times one posted message until every one of them has drawn it: the
// per-session cost of a live message (bench/load's watchers shape, minus
// SSH). Profile it with -cpuprofile.
func BenchmarkWatchers(b *testing.B) {
	f := newFixture(b)
	ada, bob := f.SignUp(b, "Ada"), f.SignUp(b, "Bob")
	room := f.Room(b, ada, bob, "Logo design").ID
	for i := range 30 {
		f.Post(b, bob, room, fmt.Sprintf("an earlier message %d with a few words in it to wrap", i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	var ended sync.WaitGroup
	var ins []*io.PipeWriter
	var outs []*sawSeq
	for range watchers {
		inR, inW := io.Pipe()
		ins = append(ins, inW)
		out := newSawSeq()
		out.expect("earlier message 29")
		outs = append(outs, out)
		p := f.app.NewProgram(ctx, ada, room, inR, out,
			tea.WithWindowSize(120, 40),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}),
			tea.WithColorProfile(colorprofile.ANSI256), tea.WithoutSignals())
		ended.Add(1)
		go func() {
			defer ended.Done()
			_, _ = p.Run()
		}()
		out.wait(b, "earlier message 29")
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Every character differs from the message before, which a
		// renderer writing only changed cells would leave in place.
		want := strings.Repeat(string(rune('a'+i%26)), 16)
		for _, o := range outs {
			o.expect(want)
		}
		f.Post(b, bob, room, want)
		for _, o := range outs {
			o.wait(b, want)
		}
	}
	b.StopTimer()
	cancel()
	for _, in := range ins {
		in.Close()
	}
	ended.Wait()
}

// sawSeq is a program's output that can be told, again and again, which
// text to look for next.
type sawSeq struct {
	mu   sync.Mutex
	want []byte
	tail []byte
	seen chan struct{}
}

func newSawSeq() *sawSeq { return &sawSeq{seen: make(chan struct{}, 1)} }

func (w *sawSeq) expect(want string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.want, w.tail = []byte(want), w.tail[:0]
}

func (w *sawSeq) wait(b *testing.B, want string) {
	select {
	case <-w.seen:
	case <-time.After(waitLimit):
		b.Fatalf("a session did not draw %q", want)
	}
}

func (w *sawSeq) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tail = append(w.tail, p...)
	if len(w.want) > 0 && bytes.Contains(w.tail, w.want) {
		w.want = nil
		w.seen <- struct{}{}
	}
	if keep := 64; len(w.tail) > keep {
		w.tail = append(w.tail[:0], w.tail[len(w.tail)-keep:]...)
	}
	return len(p), nil
}
