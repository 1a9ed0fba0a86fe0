package tui

import (
	"reflect"
	"time"
	"unsafe"

	tea "charm.land/bubbletea/v2"
)

// Bubble Tea's renderer wakes on a ticker at the program's frame rate (60
// a second) for as long as the program runs, and on each tick compares
// the last view with the one before — even when nothing changed for
// hours. Measured here (BenchmarkIdle), that is about 80% of a core per
// 1,000 idle sessions, all of it in timers and that comparison. The
// library offers no way to stop the ticker from outside, and WithFPS is
// fixed at start: a lower rate would slow every keystroke's echo too.
//
// So the pacer slows the program's own ticker while the session is idle:
// once nothing has reached Update for idleAfter, the renderer wakes once
// every idleFrame; the next message (a key, a live event, a result) sets
// it back to the full rate before its view is rendered, so the first
// frame after idleness is at most one full-rate tick late. Everything the
// renderer draws comes from a view rendered after an Update, so the slow
// tick is only a safety net (for output Bubble Tea queues by itself,
// such as a terminal query); it is not stopped outright so that nothing
// can wait forever. Idle, that costs about 5% of a core per 1,000
// sessions on the workroom list, most of it the operating system waking
// a thread for each tick.
//
// idleAfter is short, a quarter second, because slowing costs nothing
// that shows: a session that gets a message every second (a meeting, a
// busy room) would otherwise tick 60 times a second between them, and
// with a thousand such sessions the ticks were a tenth of a core. A
// person typing keeps the full rate; a pause longer than idleAfter costs
// the next key at most one frame.
//
// The ticker is an unexported field of tea.Program (bubbletea v2.1.1); it
// is found by reflection once per program. If a later version renames it,
// the pacer does nothing and TestPacer_FindsTheRenderersTicker fails, so
// the upgrade is noticed.
const (
	idleAfter = 250 * time.Millisecond
	idleFrame = 5 * time.Second
)

// pacer paces one program's renderer.
type pacer struct {
	prog    *tea.Program
	ticker  *time.Ticker  // the renderer's; nil until found, or if absent
	frame   time.Duration // the program's full-rate frame
	looked  bool          // the ticker was looked for
	slow    bool          // the ticker runs at idleFrame
	pending bool          // an idleMsg is on its way
	last    time.Time     // the last message that was not an idleMsg
}

// idleMsg checks whether the session went idle.
type idleMsg struct{}

func newPacer(p *tea.Program) *pacer { return &pacer{prog: p} }

// woke is told of every message Update handled, and returns the command
// of the next idle check, if one is due.
func (p *pacer) woke(msg tea.Msg) tea.Cmd {
	if p == nil {
		return nil
	}
	if !p.looked {
		p.looked = true
		p.ticker, p.frame = rendererTicker(p.prog)
	}
	if p.ticker == nil {
		return nil
	}
	now := time.Now()
	if _, ok := msg.(idleMsg); ok {
		p.pending = false
		if wait := idleAfter - now.Sub(p.last); wait > 0 {
			return p.check(wait)
		}
		p.slow = true
		p.ticker.Reset(idleFrame)
		return nil
	}
	p.last = now
	if p.slow {
		p.slow = false
		p.ticker.Reset(p.frame)
	}
	if p.pending {
		return nil
	}
	return p.check(idleAfter)
}

func (p *pacer) check(after time.Duration) tea.Cmd {
	p.pending = true
	return tea.Tick(after, func(time.Time) tea.Msg { return idleMsg{} })
}

// rendererTicker finds the running program's frame ticker and its frame
// length. It is called from Update, on the program's own goroutine, after
// Run started the renderer (which set both fields on that goroutine).
func rendererTicker(p *tea.Program) (*time.Ticker, time.Duration) {
	if p == nil {
		return nil, 0
	}
	v := reflect.ValueOf(p).Elem()
	t, fps := v.FieldByName("ticker"), v.FieldByName("fps")
	if !t.IsValid() || t.Type() != reflect.TypeFor[*time.Ticker]() || t.IsNil() ||
		!fps.IsValid() || fps.Kind() != reflect.Int || fps.Int() < 1 {
		return nil, 0
	}
	return (*time.Ticker)(unsafe.Pointer(t.Pointer())), time.Second / time.Duration(fps.Int())
}
