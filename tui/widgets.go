package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// widgetsPane is a workroom's widget area: the widgets of roomWidgets, a
// tab each, over the workroom. It opens from the room (w) and goes back
// to it (esc), so the session stays present in the room meanwhile and
// the room's live events reach the widgets.
type widgetsPane struct {
	paneBase
	sess    *session
	room    workroom.RoomID
	keys    widgetsKeys
	widgets []widget
	active  int
}

func openWidgets(room workroom.RoomID) opener {
	return func(e *env) (pane, tea.Cmd, error) {
		p := &widgetsPane{paneBase: e.newBase(), sess: e.sess, room: room, keys: newWidgetsKeys()}
		host := widgetHost{paneBase: &p.paneBase, sess: e.sess, room: room}
		cmds := make([]tea.Cmd, 0, len(roomWidgets))
		for _, newWidget := range roomWidgets {
			w := newWidget(host)
			p.widgets = append(p.widgets, w)
			cmds = append(cmds, w.Load())
		}
		return p, tea.Batch(cmds...), nil
	}
}

func (p *widgetsPane) showing() widget { return p.widgets[p.active] }

func (p *widgetsPane) Title() string {
	return fmt.Sprintf("#%d widgets · %s", p.room, p.showing().Title())
}

func (p *widgetsPane) Typing() bool { return p.showing().Typing() }

// Resize tells the widgets that lay themselves out their size: the
// pane less the tabs.
func (p *widgetsPane) Resize(width, height int) {
	for _, w := range p.widgets {
		if s, ok := w.(sizedWidget); ok {
			s.Resize(width, max(height-1, 1))
		}
	}
}

// Keys are the widget's, then the area's own (tabs, back) while the
// widget takes no typing.
func (p *widgetsPane) Keys() help.KeyMap {
	p.keys.Next.SetEnabled(len(p.widgets) > 1)
	return joinedKeys{p.showing().Keys(), p.keys, !p.Typing()}
}

// Event hands a live event of this room to every widget.
func (p *widgetsPane) Event(ev workroom.Event) tea.Cmd {
	if ev.RoomID != p.room {
		return nil
	}
	var cmds []tea.Cmd
	for _, w := range p.widgets {
		cmds = append(cmds, w.Event(ev))
	}
	return tea.Batch(cmds...)
}

// Reload reads every widget afresh, after missed events.
func (p *widgetsPane) Reload() tea.Cmd {
	var cmds []tea.Cmd
	for _, w := range p.widgets {
		cmds = append(cmds, w.Load())
	}
	return tea.Batch(cmds...)
}

func (p *widgetsPane) Update(msg tea.Msg) tea.Cmd {
	if _, paste := msg.(tea.PasteMsg); paste {
		return p.showing().Update(msg)
	}
	k, isKey := msg.(tea.KeyPressMsg)
	if !isKey {
		// A result of some widget's command: each takes its own.
		var cmds []tea.Cmd
		for _, w := range p.widgets {
			cmds = append(cmds, w.Update(msg))
		}
		return tea.Batch(cmds...)
	}
	if !p.Typing() {
		switch {
		case key.Matches(k, p.keys.Next):
			p.active = (p.active + 1) % len(p.widgets)
			return nil
		case key.Matches(k, p.keys.Back):
			return closePaneCmd(notice{})
		}
	}
	return p.showing().Update(msg)
}

// View draws the tabs, then the widget showing.
func (p *widgetsPane) View(width, height int) string {
	st := p.env.st
	tabs := make([]string, len(p.widgets))
	for i, w := range p.widgets {
		if i == p.active {
			tabs[i] = st.Selected.Render(" " + w.Title() + " ")
		} else {
			tabs[i] = st.Subtle.Render(" " + w.Title() + " ")
		}
	}
	return clip(" "+strings.Join(tabs, " "), width) + "\n" + p.showing().View(width, max(height-1, 1))
}

// widgetsKeys are the area's own keys.
type widgetsKeys struct {
	Next, Back key.Binding
}

func newWidgetsKeys() widgetsKeys {
	return widgetsKeys{
		Next: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next widget")),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the workroom")),
	}
}

func (k widgetsKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Next, k.Back} }
func (k widgetsKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// joinedKeys is a widget's keys followed by the area's, which show only
// when with is set.
type joinedKeys struct {
	first, then help.KeyMap
	with        bool
}

func (j joinedKeys) ShortHelp() []key.Binding {
	if !j.with {
		return j.first.ShortHelp()
	}
	return append(append([]key.Binding{}, j.first.ShortHelp()...), j.then.ShortHelp()...)
}

func (j joinedKeys) FullHelp() [][]key.Binding {
	if !j.with {
		return j.first.FullHelp()
	}
	return append(append([][]key.Binding{}, j.first.FullHelp()...), j.then.FullHelp()...)
}
