package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// The frame is what the app draws around the pane showing, top to bottom:
//
//	header       where the user is (the pane's title) and who they are
//	pane         the window less the other three
//	notice line  the pane's notice: a refusal, a confirmation, a hint
//	help bar     generated from the pane's keys and the app's own
//
// Every pane's notice is drawn here, in one place, in one style per
// kind: it wraps to as many rows as it needs (a refusal's "what to do
// instead" and a question's y/n are at its end), and the pane gives up
// those rows. An empty notice still takes its one row, so the layout does
// not jump when one comes and goes.

// maxNoticeShare bounds the notice to a share of the window (one row in
// this many), so a pane always keeps most of it; at the smallest window
// that is five rows of 60 columns, 300 cells.
const maxNoticeShare = 3

// frameKeys is the keymap of the help bar: the pane's bindings, then the
// app's. While the pane takes typing, only ctrl+c is the app's; else
// help and quit are.
type frameKeys struct {
	pane   help.KeyMap
	global []key.Binding
}

func (k frameKeys) ShortHelp() []key.Binding {
	return append(slices.Clone(k.pane.ShortHelp()), k.global...)
}

func (k frameKeys) FullHelp() [][]key.Binding {
	return append(slices.Clone(k.pane.FullHelp()), k.global)
}

// helpKeys is the keymap of what is showing; the help bar is drawn from it.
func (m *model) helpKeys() frameKeys {
	p := m.top()
	switch {
	case p.Typing():
		return frameKeys{pane: p.Keys(), global: m.keys.typing}
	case m.help.ShowAll:
		return frameKeys{pane: p.Keys(), global: m.keys.showingAll}
	}
	return frameKeys{pane: p.Keys(), global: m.keys.showingFew}
}

// helpView is the help bar's rows, drawn again only when what it shows changed:
// it is asked for after every Update that may change the screen
// (paneHeight) and twice in every frame, and the keys rarely change
// between them. What it shows is signed into a buffer kept for the next
// time and compared; it is signed again only after an Update
// (helpFresh), since the keys come from the panes' state.
func (m *model) helpView() []string {
	if m.helpFresh {
		return m.helpRows
	}
	m.helpFresh = true
	km := m.helpKeys()
	sig := m.helpBuf[:0]
	sig = strconv.AppendInt(sig, int64(m.width), 10)
	sig = strconv.AppendBool(sig, m.help.ShowAll)
	sig = strconv.AppendBool(sig, m.isDark) // the theme: its background and profile
	sig = strconv.AppendInt(sig, int64(m.profile), 10)
	sign := func(bs []key.Binding) {
		for _, b := range bs {
			if b.Enabled() {
				h := b.Help()
				sig = append(append(append(append(sig, h.Key...), 0), h.Desc...), 1)
			}
		}
		sig = append(sig, 2)
	}
	if m.help.ShowAll {
		for _, col := range km.pane.FullHelp() {
			sign(col)
		}
	} else {
		sign(km.pane.ShortHelp())
	}
	sign(km.global)
	m.helpBuf = sig
	if string(sig) != m.helpSig {
		m.helpSig, m.helpRows = string(sig), strings.Split(m.help.View(km), "\n")
	}
	return m.helpRows
}

// paneHeight is the height left for the pane.
func (m *model) paneHeight() int {
	return max(m.height-1-m.noticeHeight()-len(m.helpView()), 1)
}

func (m *model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

// render draws the frame and the pane showing, row by row.
func (m *model) render() []string {
	st := m.env.st
	switch {
	case m.width == 0:
		return nil
	case m.tooSmall():
		text := fmt.Sprintf("window too small — need at least %d×%d, have %d×%d", minWidth, minHeight, m.width, m.height)
		return strings.Split(lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center,
			st.Warn.Width(m.width).Align(lipgloss.Center).Render(text)), "\n")
	case m.stopping:
		return strings.Split(lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center,
			st.Warn.Render("The server is stopping. Your messages are saved; connect again in a moment.")), "\n")
	}
	p := m.top()
	h := m.paneHeight()
	rows := make([]string, 0, m.height)
	rows = append(rows, m.header(p))
	if rp, ok := p.(rowsPane); ok {
		rows = append(rows, rp.Rows(m.width, h)...)
	} else {
		rows = append(rows, m.body.rows(p.View(m.width, h), m.width, h)...)
	}
	rows = append(rows, m.noticeRows(p)...)
	return append(rows, m.helpView()...)
}

// shownNotice is the pane's notice, or its standing hint.
func shownNotice(p pane) notice {
	n := p.base().notice
	if h, ok := p.(hintPane); ok && n.text == "" {
		n = h.Hint()
	}
	return n
}

// noticeHeight is the rows the notice takes: its wrapped lines, at least
// one, at most a third of the window.
func (m *model) noticeHeight() int {
	return min(max(len(shownNotice(m.top()).lines(m.width)), 1), max(m.height/maxNoticeShare, 1))
}

// drawnNotice is the notice's rows as last drawn, and what for.
type drawnNotice struct {
	n             notice
	st            *styles
	width, height int
	rows          []string
}

// noticeRows draws the notice in its rows, again only when it changed.
func (m *model) noticeRows(p pane) []string {
	k := drawnNotice{n: shownNotice(p), st: m.env.st, width: m.width, height: m.noticeHeight()}
	if d := &m.notice; d.rows == nil || d.n != k.n || d.st != k.st || d.width != k.width || d.height != k.height {
		k.rows = strings.Split(fit(k.n.view(k.st, k.width), k.width, k.height), "\n")
		*d = k
	}
	return m.notice.rows
}

// drawnHeader is the header line as last drawn, and what for.
type drawnHeader struct {
	width       int
	st          *styles
	left, right string
	line        string
}

// header is the top line: where the user is, and who they are. It is the
// same in most frames, and drawn again only when what it shows changes.
func (m *model) header(p pane) string {
	left := " workroom › " + p.Title()
	right := ""
	if m.env.sess != nil {
		right = oneLine(m.env.sess.user.Name) + " "
	}
	if h := &m.head; h.line == "" || h.width != m.width || h.st != m.env.st || h.left != left || h.right != right {
		*h = drawnHeader{width: m.width, st: m.env.st, left: left, right: right, line: m.drawHeader(left, right)}
	}
	return m.head.line
}

// drawHeader draws the header line from its two ends.
func (m *model) drawHeader(left, right string) string {
	st := m.env.st
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return st.Header.Render(padRight(left, m.width))
	}
	return st.Header.Render(left) + st.HeaderDim.Render(strings.Repeat(" ", gap)+right)
}
