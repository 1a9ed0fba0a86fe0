package tui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// A widget is one tool of a workroom's widget area (widgets.go): the
// to-do list now, others later. The area opens over the workroom (w), so
// the session stays present in the room, shows one widget at a time with
// a tab per widget, and hands the widget showing its keys and every
// result and live event of the room. A new widget is one file: a type
// implementing this interface and its constructor, listed in
// roomWidgets.
type widget interface {
	// Title names the widget on its tab.
	Title() string
	// Load reads what the widget shows from the service: on opening,
	// and again when the session missed events.
	Load() tea.Cmd
	// Update handles a key while the widget shows, or a result of a
	// command it started (through widgetHost.do); results meant for
	// another widget are ignored.
	Update(msg tea.Msg) tea.Cmd
	// Event applies a live event of the room (every widget gets each).
	Event(ev workroom.Event) tea.Cmd
	// View draws the widget in exactly width×height cells.
	View(width, height int) string
	// Keys are its bindings, for the generated help.
	Keys() help.KeyMap
	// Typing reports whether a text field of the widget has the focus:
	// then every key is the widget's, esc included.
	Typing() bool
}

// sizedWidget is a widget that lays itself out for its size (a text
// field's width), told whenever the area's size changes.
type sizedWidget interface {
	Resize(width, height int)
}

// widgetHost is what a widget gets from the area: the session, the room,
// the styles (env.st) and the area's notice line, and do, which runs a
// command whose result comes back to the area and so to the widget.
type widgetHost struct {
	*paneBase
	sess *session
	room workroom.RoomID
}

// roomWidgets makes the widgets of a workroom's area, in tab order.
// Adding a widget is its file and one entry here.
var roomWidgets = []func(widgetHost) widget{
	newTodoWidget,
}
