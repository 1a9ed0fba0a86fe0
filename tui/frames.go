package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// The model draws its own frames on its screen (screen.go), from Update:
// Bubble Tea asks for a view after every Update, and its renderer draws
// the last one on a ticker; here a frame is drawn only after a message
// that may have changed it (not an offstage event), at most one per
// frameGap.

// frameGap is the least time between two frames: 60 a second.
const frameGap = time.Second / 60

// idleFPS is the program's own frame rate. Without its renderer, a
// program's ticker only writes out what commands queued for the terminal
// (nothing, in this app); each tick wakes a goroutine, and at 60 a second
// that was most of a core per 1,000 idle sessions. One a second is the
// lowest Bubble Tea allows.
const idleFPS = 1

// frameMsg draws the frame that frame put off.
type frameMsg struct{}

// frame draws the frame after an Update that may have changed it: at once
// when the last frame was at least frameGap ago, so a key's echo or a
// meeting line goes out without waiting for a tick; else when frameGap
// has passed, so messages that come close together (keys in reads a few
// milliseconds apart, a line's echo and its event) cost one frame more,
// not one each. The keys of one read are already one Update (keysMsg).
func (m *model) frame() tea.Cmd {
	if m.framing {
		return nil
	}
	if wait := frameGap - time.Since(m.lastFrame); wait > 0 {
		m.framing = true
		return m.env.after(wait, frameMsg{})
	}
	m.draw()
	return nil
}

// draw renders the frame and shows it. A write that fails means the
// connection is gone; the session's context ends the program.
func (m *model) draw() {
	m.lastFrame = time.Now()
	m.draws++
	_ = m.scr.draw(m.render())
}

// View is empty: the program runs without Bubble Tea's renderer, which is
// all that reads it.
func (m *model) View() tea.View { return tea.View{} }

// endScreen gives the terminal back; nothing is drawn after it.
func (m *model) endScreen() { _ = m.scr.close() }
