package tui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// A pane is one screen of the app, or one part of a screen: the sign-up
// form, the workroom list, a workroom, the jobs, a form. Each owns its
// state, its update, its view and its keys; the app only routes messages
// to it and draws the frame around it (frame.go). Panes are listed in
// panes.go; adding one is a file of its own and one line there.
type pane interface {
	// Update handles a message meant for this pane: input while it has
	// the focus, or the result of a command it started (see addressed).
	Update(msg tea.Msg) tea.Cmd
	// View draws the pane in exactly width×height cells (the frame fits
	// what it returns, so a pane cannot push the help bar off the window).
	View(width, height int) string
	// Keys are the pane's bindings for the help bar, which is generated
	// from them; the app adds its own (help, quit).
	Keys() help.KeyMap
	// Title says where the user is, in the header.
	Title() string
	// Resize gives the pane its size: the window less the frame.
	Resize(width, height int)
	// Typing reports whether a text field has the focus. Then every key
	// but ctrl+c is text: the app fires no single-key shortcut, so a "q"
	// in a message is a letter.
	Typing() bool

	// base gives the app the parts every pane shares (paneBase).
	base() *paneBase
}

// Optional abilities of a pane, which the app looks for.
type (
	// eventPane applies live events (a message, a changed row) without
	// reading anything; every pane open in the app is offered each event.
	eventPane interface {
		Event(ev workroom.Event) tea.Cmd
	}
	// hintPane has a standing hint for the notice line, shown while the
	// pane has no notice of its own (the unverified address).
	hintPane interface{ Hint() notice }
	// reloadPane reads what it shows afresh, after the hub dropped events
	// for this session.
	reloadPane interface{ Reload() tea.Cmd }
	// revealPane is told when the pane above it closed and it shows again.
	revealPane interface{ Revealed() tea.Cmd }
	// closePane is told when it is closed, to let go of what it holds
	// (a room's presence).
	closePane interface{ Close() }
	// rowsPane draws itself as rows, at most width cells each and height
	// of them, which the frame takes as they are: no string joined to be
	// split again in every frame (meeting mode, drawn for every key).
	rowsPane interface {
		Rows(width, height int) []string
	}
	// styledPane re-applies the styles to the text fields it holds, which
	// keep a copy; everything else reads env.st when it draws.
	styledPane interface{ Restyle() }
)

// paneID names one open pane, so results find the pane that asked for
// them even when another is showing meanwhile.
type paneID int

// paneBase is embedded by every pane: its id, the environment, and its
// notice, which the frame draws in the notice line.
type paneBase struct {
	id     paneID
	env    *env
	notice notice
}

func (e *env) newBase() paneBase {
	e.lastID++
	return paneBase{id: e.lastID, env: e}
}

func (b *paneBase) base() *paneBase { return b }

// addressed is the result of a command a pane started, addressed to it.
// The app hands msg to that pane if it is still open, and drops it if not.
type addressed struct {
	to  paneID
	msg tea.Msg
}

// do runs f as a command whose result comes back to this pane.
func (b *paneBase) do(f func() tea.Msg) tea.Cmd {
	to := b.id
	return func() tea.Msg { return addressed{to: to, msg: f()} }
}

// Navigation: what a pane asks of the app.
type (
	// openMsg shows the pane that open makes on top of the one showing
	// (or of the workroom list, with fromList). If open fails, the pane
	// that would have been under it shows the error.
	openMsg struct {
		open     opener
		fromList bool
	}
	// closeMsg closes the pane showing (or every pane above the workroom
	// list, with toList); the one that shows again gets the notice and
	// then msg, if any.
	closeMsg struct {
		notice notice
		toList bool
		msg    tea.Msg
	}
)

// opener makes a pane, with the command that starts it.
type opener func(e *env) (pane, tea.Cmd, error)

// open asks the app to show the pane that o makes.
func open(o opener) tea.Cmd { return send(openMsg{open: o}) }

// closePaneCmd asks the app to close the pane showing, telling the one
// below n.
func closePaneCmd(n notice) tea.Cmd { return send(closeMsg{notice: n}) }

// toList asks the app to go back to the workroom list.
func toList(n notice, then tea.Msg) tea.Cmd {
	return send(closeMsg{notice: n, toList: true, msg: then})
}

func send(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
