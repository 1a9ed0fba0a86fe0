package tui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// The pacer finds the renderer's ticker of a running program; if a
// Bubble Tea upgrade renames it, idle sessions tick at the full rate
// again, and this fails.
func TestPacer_FindsTheRenderersTicker(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	found := make(chan time.Duration, 1)
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("LAST ACTIVITY")
	// The probe runs in the program's own goroutine, as Update does.
	tm.prog.Send(probeMsg(func(m *model) {
		ticker, frame := rendererTicker(m.prog)
		if ticker == nil {
			frame = 0
		}
		found <- frame
	}))
	select {
	case frame := <-found:
		if frame != time.Second/60 {
			t.Fatalf("the renderer's ticker was not found (frame %v)", frame)
		}
	case <-time.After(waitLimit):
		t.Fatal("the probe did not run")
	}
}

// A session goes slow after idleAfter without messages, and back to the
// full rate with the next one.
func TestPacer_SlowsWhileIdleAndWakesOnTheNextMessage(t *testing.T) {
	ticker := time.NewTicker(time.Hour)
	defer ticker.Stop()
	p := &pacer{looked: true, ticker: ticker, frame: time.Second / 60}

	if cmd := p.woke(tea.KeyPressMsg{}); cmd == nil || !p.pending {
		t.Fatal("a message did not schedule an idle check")
	}
	if p.woke(tea.KeyPressMsg{}) != nil {
		t.Fatal("a second idle check was scheduled while one is on its way")
	}
	if cmd := p.woke(idleMsg{}); cmd == nil || p.slow {
		t.Fatal("a session active just now was slowed, or not checked again")
	}
	p.last = time.Now().Add(-idleAfter)
	if cmd := p.woke(idleMsg{}); cmd != nil || !p.slow {
		t.Fatal("an idle session was not slowed")
	}
	p.woke(tea.KeyPressMsg{})
	if p.slow || !p.pending {
		t.Fatal("a key did not wake the session")
	}
}
