package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// todoWidget is the workroom's to-do list, the first widget of the area:
// items with a checkbox, due date and assignee, by due date (undated
// last). Keys add, edit, tick off, assign to a member, set the due date
// and remove (D, pressed twice: it cannot be undone); every change, from
// here or anyone else, arrives as a live event and is shown as it comes.
// Guests see the list; the service refuses their changes, and the
// refusal shows in the notice line.
type todoWidget struct {
	host    widgetHost
	keys    todoKeys
	items   []workroom.Todo
	members []workroom.Member
	loaded  bool
	gen     int

	cursor, offset int
	mode           todoMode
	target         workroom.TodoID // the item being edited, dated or assigned
	input          textinput.Model
	pick           int // the member under the cursor while assigning (0: nobody)
	width          int
	// removing is the item the remove key was pressed on once: pressed
	// again, it removes it; any other key keeps it.
	removing workroom.TodoID
}

// todoMode is what the widget is doing: showing the list, or taking the
// text of an item, a due date, or the member to assign.
type todoMode int

const (
	todoBrowse todoMode = iota
	todoAdding
	todoEditing
	todoDating
	todoAssigning
)

type (
	todosLoadedMsg struct {
		room    workroom.RoomID
		gen     int
		items   []workroom.Todo
		members []workroom.Member
		err     error
	}
	todoSavedMsg struct {
		room workroom.RoomID
		item *workroom.Todo
		err  error
	}
)

func newTodoWidget(h widgetHost) widget {
	in := textinput.New()
	in.SetStyles(h.env.st.Input)
	return &todoWidget{host: h, keys: newTodoKeys(), input: in}
}

func (t *todoWidget) Title() string { return "To-do" }

// Resize fits the text field to the width.
func (t *todoWidget) Resize(width, _ int) { t.width = width; t.fitInput() }

// fitInput gives the text field what its prompt leaves of the width.
func (t *todoWidget) fitInput() {
	t.input.SetWidth(max(t.width-ansi.StringWidth(t.input.Prompt)-3, 10))
}

// Typing: a text field or the member picker has the keys (esc cancels
// it rather than leaving the area).
func (t *todoWidget) Typing() bool { return t.mode != todoBrowse }

func (t *todoWidget) Keys() help.KeyMap {
	switch t.mode {
	case todoBrowse:
		has := len(t.items) > 0
		for _, b := range []*key.Binding{&t.keys.Edit, &t.keys.Toggle, &t.keys.Assign, &t.keys.Due} {
			b.SetEnabled(has)
		}
		return t.keys
	case todoAssigning:
		return t.keys.picker()
	}
	return t.keys.field()
}

// Load reads the list and the room's members (whom an item can go to).
func (t *todoWidget) Load() tea.Cmd {
	t.gen++
	svc, ctx, log, uid, room, gen := t.host.sess.svc, t.host.sess.ctx, t.host.sess.log, t.host.sess.user.ID, t.host.room, t.gen
	return t.host.do(func() tea.Msg {
		items, err := svc.Todos(ctx, room)
		logFailure(log, "todos", uid, err)
		if err != nil {
			return todosLoadedMsg{room: room, gen: gen, err: err}
		}
		members, err := svc.Members(ctx, room)
		logFailure(log, "members", uid, err)
		return todosLoadedMsg{room: room, gen: gen, items: items, members: members, err: err}
	})
}

// save runs one change and brings the item back.
func (t *todoWidget) save(what string, change func() (*workroom.Todo, error)) tea.Cmd {
	log, uid, room := t.host.sess.log, t.host.sess.user.ID, t.host.room
	return t.host.do(func() tea.Msg {
		item, err := change()
		logFailure(log, what, uid, err)
		return todoSavedMsg{room: room, item: item, err: err}
	})
}

// Event shows an item someone added, changed or removed.
func (t *todoWidget) Event(ev workroom.Event) tea.Cmd {
	if ev.Kind == workroom.EventTodo && ev.Todo != nil && ev.RoomID == t.host.room {
		t.put(*ev.Todo)
	}
	return nil
}

// put places an item in the list (new or changed), in order, or takes a
// removed one out, with the cursor on the item it was on (or the one
// that took a removed item's place).
func (t *todoWidget) put(item workroom.Todo) {
	keep := t.current()
	i := slices.IndexFunc(t.items, func(x workroom.Todo) bool { return x.ID == item.ID })
	switch {
	case item.Removed && i >= 0:
		t.items = slices.Delete(t.items, i, i+1)
		if keep == item.ID {
			keep = 0 // the cursor stays where it was, on the next item
		}
	case item.Removed:
	case i >= 0:
		t.items[i] = item
	default:
		t.items = append(t.items, item)
	}
	workroom.SortTodos(t.items)
	t.focusOn(keep)
}

// current is the id of the item under the cursor; 0 when none.
func (t *todoWidget) current() workroom.TodoID {
	if t.cursor < len(t.items) {
		return t.items[t.cursor].ID
	}
	return 0
}

func (t *todoWidget) focusOn(id workroom.TodoID) {
	if i := slices.IndexFunc(t.items, func(x workroom.Todo) bool { return x.ID == id }); i >= 0 {
		t.cursor = i
	}
	t.cursor = max(min(t.cursor, len(t.items)-1), 0)
}

func (t *todoWidget) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case todosLoadedMsg:
		if msg.room != t.host.room || msg.gen != t.gen {
			return nil
		}
		if msg.err != nil {
			t.host.notice = errorNotice(msg.err)
			return nil
		}
		keep := t.current()
		t.items, t.members, t.loaded = msg.items, msg.members, true
		t.focusOn(keep)
	case todoSavedMsg:
		if msg.room != t.host.room {
			return nil
		}
		if msg.err != nil {
			t.host.notice = errorNotice(msg.err)
			return nil
		}
		t.host.notice = notice{}
		t.put(*msg.item)
		if !msg.item.Removed {
			t.focusOn(msg.item.ID)
		}
	case tea.KeyPressMsg:
		switch t.mode {
		case todoBrowse:
			return t.browseKey(msg)
		case todoAssigning:
			return t.pickKey(msg)
		}
		return t.fieldKey(msg)
	case tea.PasteMsg:
		if t.mode != todoBrowse && t.mode != todoAssigning {
			var cmd tea.Cmd
			t.input, cmd = t.input.Update(msg)
			return cmd
		}
	}
	return nil
}

func (t *todoWidget) browseKey(msg tea.KeyPressMsg) tea.Cmd {
	armed := t.removing
	if armed != 0 {
		t.removing, t.host.notice = 0, notice{} // the question is answered either way
	}
	if d, ok := t.keys.step(msg, 5); ok {
		t.cursor = max(min(t.cursor+d, len(t.items)-1), 0)
		return nil
	}
	switch {
	case key.Matches(msg, t.keys.Add):
		return t.ask(todoAdding, 0, "New item: ", "", "what is to be done")
	case key.Matches(msg, t.keys.Reload):
		return t.Load()
	}
	if t.cursor >= len(t.items) {
		return nil
	}
	item := t.items[t.cursor]
	svc, ctx, room := t.host.sess.svc, t.host.sess.ctx, t.host.room
	switch {
	case key.Matches(msg, t.keys.Toggle):
		return t.save("todo done", func() (*workroom.Todo, error) { return svc.SetTodoDone(ctx, room, item.ID, !item.Done) })
	case key.Matches(msg, t.keys.Edit):
		return t.ask(todoEditing, item.ID, "Edit: ", item.Text, "")
	case key.Matches(msg, t.keys.Due):
		return t.ask(todoDating, item.ID, "Due (YYYY-MM-DD, empty for none): ", item.Due, "2026-12-24")
	case key.Matches(msg, t.keys.Remove) && armed == item.ID:
		return t.save("todo remove", func() (*workroom.Todo, error) { return svc.RemoveTodo(ctx, room, item.ID) })
	case key.Matches(msg, t.keys.Remove):
		t.removing = item.ID
		t.host.notice = notice{text: fmt.Sprintf("Press D again to remove item %q for good; any other key keeps it.", oneLine(item.Text))}
	case key.Matches(msg, t.keys.Assign):
		t.mode, t.target, t.pick = todoAssigning, item.ID, 0
		for i, m := range t.members {
			if m.UserID == item.AssigneeID {
				t.pick = i + 1
			}
		}
	}
	return nil
}

// ask opens the text field for an item's text or due date.
func (t *todoWidget) ask(mode todoMode, target workroom.TodoID, prompt, value, placeholder string) tea.Cmd {
	t.mode, t.target = mode, target
	t.input.SetStyles(t.host.env.st.Input) // the theme of the moment
	t.input.Prompt, t.input.Placeholder = prompt, placeholder
	t.fitInput()
	t.input.CharLimit = workroom.MaxTodoLength
	t.input.SetValue(value)
	t.input.CursorEnd()
	return t.input.Focus()
}

func (t *todoWidget) fieldKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, t.keys.Save):
		text, target, mode := t.input.Value(), t.target, t.mode
		t.close()
		svc, ctx, room := t.host.sess.svc, t.host.sess.ctx, t.host.room
		switch mode {
		case todoAdding:
			return t.save("todo add", func() (*workroom.Todo, error) { return svc.AddTodo(ctx, room, text) })
		case todoEditing:
			return t.save("todo edit", func() (*workroom.Todo, error) { return svc.EditTodo(ctx, room, target, text) })
		default:
			return t.save("todo due", func() (*workroom.Todo, error) { return svc.SetTodoDue(ctx, room, target, text) })
		}
	case key.Matches(msg, t.keys.Cancel):
		t.close()
		return nil
	}
	var cmd tea.Cmd
	t.input, cmd = t.input.Update(msg)
	return cmd
}

// pickKey chooses whom an item goes to: nobody, or one of the members.
func (t *todoWidget) pickKey(msg tea.KeyPressMsg) tea.Cmd {
	if d, ok := t.keys.step(msg, 5); ok {
		t.pick = max(min(t.pick+d, len(t.members)), 0)
		return nil
	}
	switch {
	case key.Matches(msg, t.keys.Save):
		var user workroom.UserID
		if t.pick > 0 {
			user = t.members[t.pick-1].UserID
		}
		target := t.target
		t.close()
		svc, ctx, room := t.host.sess.svc, t.host.sess.ctx, t.host.room
		return t.save("todo assign", func() (*workroom.Todo, error) { return svc.AssignTodo(ctx, room, target, user) })
	case key.Matches(msg, t.keys.Cancel):
		t.close()
	}
	return nil
}

func (t *todoWidget) close() {
	t.mode, t.target = todoBrowse, 0
	t.input.Blur()
	t.input.SetValue("")
}

// Column widths of the list.
const (
	colCheck    = 3  // "[x]"
	colDue      = 10 // "2026-12-24"
	colAssignee = 14
)

func (t *todoWidget) columns(st *styles, check, text, due, who string, done bool) []column {
	textStyle := st.Text
	if done {
		textStyle = st.Subtle
	}
	return []column{
		{text: check, width: colCheck, style: st.Text},
		{text: text, style: textStyle},
		{text: due, width: colDue, style: st.Subtle},
		{text: who, width: colAssignee, style: st.Subtle},
	}
}

func (t *todoWidget) View(width, height int) string {
	st := t.host.env.st
	if t.mode == todoAssigning {
		return fit(t.pickerView(st), width, height)
	}
	listRows := height - 1
	if t.mode != todoBrowse {
		listRows -= 2
	}
	var b strings.Builder
	b.WriteString(tableHeader(st, t.columns(st, "", "TO DO", "DUE", "ASSIGNED", false), width) + "\n")
	switch {
	case !t.loaded:
		b.WriteString(st.Subtle.Render(" loading the to-do list…") + "\n")
	case len(t.items) == 0:
		b.WriteString(st.Subtle.Render(" Nothing to do yet: press a to add an item.") + "\n")
	default:
		t.offset = windowStart(t.offset, t.cursor, max(listRows, 1), len(t.items))
		for i := t.offset; i < len(t.items) && i < t.offset+max(listRows, 1); i++ {
			it := t.items[i]
			check := "[ ]"
			if it.Done {
				check = "[x]"
			}
			cols := t.columns(st, check, oneLine(it.Text), it.Due, oneLine(it.AssigneeName), it.Done)
			b.WriteString(tableRow(st, cols, width, i == t.cursor) + "\n")
		}
	}
	out := fit(strings.TrimSuffix(b.String(), "\n"), width, max(height-2, 1))
	if t.mode != todoBrowse {
		return out + "\n\n" + clip(" "+t.input.View(), width)
	}
	return fit(strings.TrimSuffix(b.String(), "\n"), width, height)
}

// pickerView lists whom the item can go to.
func (t *todoWidget) pickerView(st *styles) string {
	var b strings.Builder
	b.WriteString(st.Title.Render(fmt.Sprintf(" Assign item %d to:", t.target)) + "\n")
	options := []string{"nobody"}
	for _, m := range t.members {
		options = append(options, oneLine(m.Name)+" ("+string(m.Role)+")")
	}
	for i, o := range options {
		line := "   " + o
		if i == t.pick {
			line = st.Selected.Render(" ▸ " + o)
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// todoKeys are the to-do widget's keys. Space ticks an item off here,
// so it does not page down.
type todoKeys struct {
	nav
	Add, Edit, Toggle, Assign, Due, Remove key.Binding
	Reload, Save, Cancel                   key.Binding
}

func newTodoKeys() todoKeys {
	n := newNav()
	n.PageDown = key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down"))
	return todoKeys{
		nav:    n,
		Add:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add")),
		Edit:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Toggle: key.NewBinding(key.WithKeys("x", "space"), key.WithHelp("x/space", "done/undone")),
		Assign: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "assign a person")),
		Due:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "due date")),
		Remove: key.NewBinding(key.WithKeys("D", "delete"), key.WithHelp("D", "remove (press twice)")),
		Reload: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
		Save:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func (k todoKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Add, k.Toggle, k.Edit, k.Assign, k.Due}
}

func (k todoKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Add, k.Edit, k.Toggle, k.Assign, k.Due, k.Remove, k.Reload},
	}
}

// field is the keymap while a text field has the focus.
func (k todoKeys) field() help.KeyMap { return simpleKeys{k.Save, k.Cancel} }

// picker is the keymap while choosing whom to assign.
func (k todoKeys) picker() help.KeyMap {
	return simpleKeys{k.Up, k.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "assign")), k.Cancel}
}

// simpleKeys is a keymap of a few bindings on one line.
type simpleKeys []key.Binding

func (s simpleKeys) ShortHelp() []key.Binding  { return s }
func (s simpleKeys) FullHelp() [][]key.Binding { return [][]key.Binding{s} }
