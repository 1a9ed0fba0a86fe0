package tui

import (
	"bytes"
	"context"
	"io"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// BenchmarkMeetingLine is the server's cost of one meeting line through
// the real programs, as bench/load's meeting shape types it: Ada and Bob
// in a meeting on 120×40 terminals, Ada's keys for a line of 8 letters and
// enter written at once, until Bob's program has written the line. The
// programs' output is only scanned, not emulated, so nearly all the CPU
// is the server's (the programs, the service, the store). Run it with
//
//	go test -run '^$' -bench MeetingLine -benchtime 200x -benchmem ./tui/
//
// cpu-ms/line is the process's CPU (user and system) per line; ns/op the
// wall time per line, one line at a time.
func BenchmarkMeetingLine(b *testing.B) { benchMeetingLine(b, 0) }

// BenchmarkMeetingLinePaced is BenchmarkMeetingLine with half a second
// between lines, as people type them (bench/load's meeting shape sends
// one a second per room, the two sides in turn): what the programs do
// between lines (their tickers, a frame put off) is counted in the CPU
// per line too. ns/op includes the pause.
//
//	go test -run '^$' -bench MeetingLinePaced -benchtime 60x ./tui/
func BenchmarkMeetingLinePaced(b *testing.B) { benchMeetingLine(b, linePause) }

// BenchmarkMeetingLineTyped is BenchmarkMeetingLine with each line typed
// a key a write, keyGap apart, as a person types (bench/load's
// -keys-apart): every key is a frame of the author's composer, and the
// first tells the other "typing".
//
//	go test -run '^$' -bench MeetingLineTyped -benchtime 100x ./tui/
func BenchmarkMeetingLineTyped(b *testing.B) { benchMeetingLineTyped(b, keyGap) }

// keyGap is the time between keys in BenchmarkMeetingLineTyped: more
// than a frame's, so each key is drawn.
const keyGap = 20 * time.Millisecond

// linePause is the pause between lines of BenchmarkMeetingLinePaced.
const linePause = 500 * time.Millisecond

func benchMeetingLine(b *testing.B, pause time.Duration) { benchMeeting(b, pause, 0) }

func benchMeetingLineTyped(b *testing.B, gap time.Duration) { benchMeeting(b, 0, gap) }

// benchMeeting has Ada type b.N lines into a meeting with Bob, each shown
// on Bob's screen before the next: written whole with its enter when gap
// is 0, else a key a write, gap apart; pause after each.
func benchMeeting(b *testing.B, pause, gap time.Duration) {
	f := newFixture(b)
	a, o := f.SignUp(b, "Ada"), f.SignUp(b, "Bob")
	room := f.Room(b, a, o, "Logo design").ID
	ctx, cancel := context.WithCancel(context.Background())
	ada, bob := startWatched(ctx, b, f, a, room), startWatched(ctx, b, f, o, room)
	var ended sync.WaitGroup
	both := []*watchedProgram{ada, bob}
	expectAll(b, both, "hired", func() {
		for _, s := range both {
			ended.Add(1)
			go func() {
				defer ended.Done()
				_, _ = s.prog.Run()
			}()
		}
	})
	defer func() {
		cancel()
		ada.in.Close()
		bob.in.Close()
		ended.Wait()
	}()
	workroomtest.WaitUntil(b, "both in the room", func() bool { return len(f.Hub.Present(room)) == 2 })

	bob.expect(b, "asks for a meeting", func() { ada.write(b, "m") })
	expectAll(b, both, "Meeting since", func() { bob.write(b, "a") })

	cpu := cpuTime()
	writes, bytes := ada.out.written()
	bw, bb := bob.out.written()
	b.ResetTimer()
	for i := range b.N {
		bob.expect(b, meetingToken(i), func() {
			if gap == 0 {
				ada.write(b, meetingToken(i)+keyEnter)
				return
			}
			for _, k := range meetingToken(i) + keyEnter {
				ada.write(b, string(k))
				time.Sleep(gap)
			}
		})
		time.Sleep(pause)
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/line")
	aw, ab := ada.out.written()
	bw2, bb2 := bob.out.written()
	b.ReportMetric(float64(aw-writes+bw2-bw)/float64(b.N), "writes/line")
	b.ReportMetric(float64(ab-bytes+bb2-bb)/float64(b.N), "out-B/line")
}

// meetingToken is line i's text: eight letters, each different from the
// letter at its place in the lines shown around it, so the eight arrive
// in a row even from a renderer that writes only the cells that change
// (Bubble Tea's did; the screen rewrites a changed row whole).
func meetingToken(i int) string {
	t := make([]byte, 8)
	for j := range t {
		t[j] = 'a' + byte((i+j)%26)
	}
	return string(t)
}

// watchedProgram is a program whose output is scanned for an expected text.
type watchedProgram struct {
	prog *tea.Program
	in   *io.PipeWriter
	out  *watchWriter
}

func startWatched(ctx context.Context, b *testing.B, f *fixture, id *workroom.Identity, room workroom.RoomID) *watchedProgram {
	inR, inW := io.Pipe()
	out := &watchWriter{}
	p := f.app.NewProgram(ctx, id, room, inR, out,
		tea.WithWindowSize(120, 40),
		tea.WithEnvironment([]string{"TERM=xterm-256color"}),
		tea.WithColorProfile(colorprofile.ANSI256), tea.WithoutSignals())
	return &watchedProgram{prog: p, in: inW, out: out}
}

func (w *watchedProgram) write(b *testing.B, keys string) {
	if _, err := io.WriteString(w.in, keys); err != nil {
		b.Fatalf("typing %q: %v", keys, err)
	}
}

// expect does what and waits until the program has written want.
func (w *watchedProgram) expect(b *testing.B, want string, what func()) {
	expectAll(b, []*watchedProgram{w}, want, what)
}

func expectAll(b *testing.B, ws []*watchedProgram, want string, what func()) {
	var seen []chan struct{}
	for _, w := range ws {
		seen = append(seen, w.out.watch(want))
	}
	what()
	for _, s := range seen {
		select {
		case <-s:
		case <-time.After(waitLimit):
			b.Fatalf("%q was not drawn", want)
		}
	}
}

// watchWriter notes when the text watched for is written, keeping only a
// tail so a text split across writes is still found.
type watchWriter struct {
	mu     sync.Mutex
	want   []byte
	tail   []byte
	seen   chan struct{}
	writes int // Write calls: one per frame drawn
	bytes  int
}

// written is how many writes and bytes the program wrote so far.
func (w *watchWriter) written() (writes, bytes int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.writes, w.bytes
}

// watch starts watching for want in what is written from now on.
func (w *watchWriter) watch(want string) chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.want, w.tail, w.seen = []byte(want), w.tail[:0], make(chan struct{})
	return w.seen
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	w.bytes += len(p)
	if w.seen == nil {
		return len(p), nil
	}
	w.tail = append(w.tail, p...)
	if bytes.Contains(w.tail, w.want) {
		close(w.seen)
		w.seen = nil
		return len(p), nil
	}
	if keep := len(w.want); len(w.tail) > keep {
		w.tail = append(w.tail[:0], w.tail[len(w.tail)-keep:]...)
	}
	return len(p), nil
}
