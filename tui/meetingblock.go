package tui

import (
	"fmt"
	"strings"

	"github.com/workroom/workroom"
)

// A meeting's lines are ordinary messages with Source "meeting"; the
// history draws them as one block per meeting, at the place of its newest
// line loaded:
//
//	▸ Meeting 14:02–14:31 · Ada, Bob · 23 lines (x opens)
//
// Which messages are a meeting's lines is the record's to say
// (workroom.Meeting.Holds: Source "meeting" and an ID from the meeting's
// From to its Upto). A closed block takes one line and its lines none; x
// opens the first block on screen to show them below its title, and
// closes it again. The records come with each page of history
// (Page.Meetings) and with the live events of a meeting.

// Marks in the raw lines of a message (drawn.go): the author line, styled
// with the time when drawn, and a block's title.
const (
	authorMark = "\x02"
	blockMark  = "\x03"
)

func blockLine(title string) string { return blockMark + title }

// block is the meeting that holds message i, if any, and whether i is its
// newest line loaded, which carries the block's title.
func (m messagesModel) block(i int) (*workroom.Meeting, bool) {
	msg := &m.msgs[i]
	if msg.Source != workroom.SourceMeeting {
		return nil, false
	}
	for _, mt := range m.meetings {
		if mt.Holds(msg) {
			for j := range i {
				if mt.Holds(&m.msgs[j]) {
					return &mt, false
				}
			}
			return &mt, true
		}
	}
	return nil, false
}

// closedBlock is the lines of a closed block: its title, and the
// dividers of its newest line.
func (m messagesModel) closedBlock(i int, mt *workroom.Meeting) []string {
	return m.dividers([]string{blockLine(m.blockTitle(mt, false)), ""}, m.msgs[i].ID)
}

// blockTitle says when the meeting ran, who attended and how many lines
// it had: the record's count once it ended, those loaded while it runs.
func (m messagesModel) blockTitle(mt *workroom.Meeting, open bool) string {
	mark, how := "▸", "x opens"
	if open {
		mark, how = "▾", "x closes"
	}
	until := "now"
	lines := mt.Lines
	if !mt.Ended.IsZero() {
		until = m.clock(mt.Ended)
	} else {
		lines = 0
		for i := range m.msgs {
			if mt.Holds(&m.msgs[i]) {
				lines++
			}
		}
	}
	noun := "lines"
	if lines == 1 {
		noun = "line"
	}
	return fmt.Sprintf("%s Meeting %s–%s · %s · %d %s (%s)", mark, m.clock(mt.Started), until, oneLine(mt.Names()), lines, noun, how)
}

// blockView styles a block's title line.
func (m messagesModel) blockView(st *styles, l string) string {
	return st.Author.Render(strings.TrimPrefix(l, blockMark))
}

// setMeeting keeps a meeting's record as it is now.
func (m *messagesModel) setMeeting(mt workroom.Meeting) {
	m.meetings[mt.ID] = mt
	m.grouping++
}

// addMeetings keeps the records that came with a page.
func (m *messagesModel) addMeetings(ms []workroom.Meeting) {
	for _, mt := range ms {
		if old, ok := m.meetings[mt.ID]; ok && old.Ended.After(mt.Ended) {
			continue // the page was read before the meeting ended
		}
		m.meetings[mt.ID] = mt
	}
	if len(ms) > 0 {
		m.grouping++
	}
}

// lineArrived is told of a message just added on top. A meeting line
// takes over its block's title from the line before it, which alone is
// drawn again: a live line costs drawing two messages, not the screen.
func (m *messagesModel) lineArrived(msg workroom.Message) {
	if msg.Source != workroom.SourceMeeting {
		return
	}
	for _, mt := range m.meetings {
		if !mt.Holds(&msg) {
			continue
		}
		for j := 1; j < len(m.msgs); j++ {
			if mt.Holds(&m.msgs[j]) {
				m.drawn.forget(m.msgs[j].ID)
				return
			}
		}
		return
	}
}

// toggleBlock opens or closes the first block on screen (from the top of
// the view down); false when none shows.
func (m *messagesModel) toggleBlock() bool {
	for i, n := m.top, 0; i < len(m.msgs) && n < m.rows(); i++ {
		if mt, _ := m.block(i); mt != nil {
			m.expanded[mt.ID] = !m.expanded[mt.ID]
			m.grouping++
			// From inside the block, the view goes to its title.
			if c := m.carrierOf(mt, i); m.top >= c {
				m.top, m.off = c, 0
			}
			m.clampBottom()
			return true
		}
		n += len(m.lines(i))
	}
	return false
}

// carrierOf moves a position inside a block to the block's title line.
func (m messagesModel) carrierOf(mt *workroom.Meeting, at int) int {
	if at >= len(m.msgs) || !mt.Holds(&m.msgs[at]) {
		return at
	}
	for j := range at {
		if mt.Holds(&m.msgs[j]) {
			return j
		}
	}
	return at
}
