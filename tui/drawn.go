package tui

import (
	"slices"
	"strings"
)

// drawnCache keeps what the history drew of each message: its lines as
// wrapped to the pane, and the same lines styled. Wrapping and styling a
// message happens once, not in every View; a live message then costs
// drawing that one message. What is kept is valid for one width, one
// "new since you last read" position and one theme; when any of them
// changes it is all dropped.
type drawnCache struct {
	width      int
	unreadFrom uint64
	grouping   int     // messagesModel.grouping: the meeting blocks drawn
	st         *styles // the theme the styled lines are in (themes are shared, so compared by pointer)
	byID       map[uint64]*drawnMsg
}

// drawnMsg is one message as drawn. The author line's time is relative
// ("5 min ago"), so it is drawn again whenever the time shown changes.
type drawnMsg struct {
	raw    []string // lines as messagesModel.wrap gives them
	styled []string // nil until first drawn
	when   string   // the time in the author line
	author int      // the author line's index in raw; -1 when it has none
}

// maxDrawn is how many messages the cache may hold before View drops
// those it did not draw: a screen's worth, plus what scrolling counted.
const maxDrawn = 2 * pageSize

func newDrawnCache() *drawnCache { return &drawnCache{byID: map[uint64]*drawnMsg{}} }

// get is message i's entry, wrapped if it was not yet.
func (c *drawnCache) get(m messagesModel, i int) *drawnMsg {
	if c.width != m.width || c.unreadFrom != m.unreadFrom || c.grouping != m.grouping {
		clear(c.byID)
		c.width, c.unreadFrom, c.grouping = m.width, m.unreadFrom, m.grouping
	}
	id := m.msgs[i].ID
	d := c.byID[id]
	if d == nil {
		d = &drawnMsg{raw: m.wrap(i)}
		d.author = slices.Index(d.raw, authorMark)
		c.byID[id] = d
	}
	return d
}

// styled is message i's lines ready to write: author line, styled body,
// dividers, each already cut to the pane's width.
func (c *drawnCache) styled(m messagesModel, st *styles, i int) []string {
	if c.st != st {
		for _, d := range c.byID {
			d.styled = nil
		}
		c.st = st
	}
	d := c.get(m, i)
	msg := m.msgs[i]
	when := m.when(msg.Created)
	if d.styled == nil {
		d.styled = make([]string, len(d.raw))
		for j, l := range d.raw {
			switch {
			case j == d.author:
			case strings.HasPrefix(l, blockMark):
				d.styled[j] = clip(m.blockView(st, l), m.width)
			case strings.HasPrefix(l, "\x00"):
				d.styled[j] = clip(m.divider(st, l, l == dividerUnread), m.width)
			default:
				d.styled[j] = clip(st.Body.Render(l), m.width)
			}
		}
		d.when = ""
	}
	if a := d.author; a >= 0 && (d.when != when || d.styled[a] == "") {
		d.styled[a] = clip(m.authorLine(st, msg, when), m.width)
		d.when = when
	}
	return d.styled
}

// forget drops one message's drawing, which changed.
func (c *drawnCache) forget(id uint64) { delete(c.byID, id) }

// prune drops what was not drawn in a view from top over rows lines,
// once the cache holds more than maxDrawn messages.
func (c *drawnCache) prune(m messagesModel, rows int) {
	if len(c.byID) <= maxDrawn {
		return
	}
	keep := make(map[uint64]*drawnMsg, rows)
	for i, n := m.top, 0; i < len(m.msgs) && n < rows; i++ {
		if d := c.byID[m.msgs[i].ID]; d != nil {
			keep[m.msgs[i].ID] = d
			n += len(d.raw)
		} else {
			break
		}
	}
	c.byID = keep
}
