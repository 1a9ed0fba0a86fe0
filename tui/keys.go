package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Every pane has its own keymap. The help bar at the bottom and the full
// help behind "?" are generated from these bindings (bubbles/help), so what
// the help says is always what the keys do; the frame adds the app's own
// keys (global) after the pane's. A binding that does not apply right now
// is disabled: it neither matches nor shows.

// nav is shared by the lists.
type nav struct {
	Up, Down, PageUp, PageDown key.Binding
}

func newNav() nav {
	return nav{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", "space"), key.WithHelp("pgdn", "page down")),
	}
}

// step says how many rows a navigation key moves the cursor of a list
// that shows page rows at a time (negative is up); ok is false for any
// other key.
func (n nav) step(msg tea.KeyPressMsg, page int) (delta int, ok bool) {
	page = max(page, 1)
	switch {
	case key.Matches(msg, n.Up):
		return -1, true
	case key.Matches(msg, n.Down):
		return 1, true
	case key.Matches(msg, n.PageUp):
		return -page, true
	case key.Matches(msg, n.PageDown):
		return page, true
	}
	return 0, false
}

// global keys are handled by the app itself, and the frame adds them to
// every pane's help. Help and Quit are single keys and are therefore only
// live when the pane showing does not take typing; ForceQuit works
// everywhere.
type global struct {
	Help, Quit, ForceQuit key.Binding
	// The help bar's part of them: while a pane takes typing, with few
	// keys shown, with all shown (help then offers fewer).
	typing, showingFew, showingAll []key.Binding
}

func newGlobal() global {
	g := global{
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
	fewer := g.Help
	fewer.SetHelp("?", "fewer keys")
	g.typing = []key.Binding{g.ForceQuit}
	g.showingFew = []key.Binding{g.Help, g.Quit}
	g.showingAll = []key.Binding{fewer, g.Quit}
	return g
}

// roomListKeys are the workroom list's keys. Space selects rooms for a
// broadcast here, so it does not page down as in other lists.
type roomListKeys struct {
	nav
	Open, Jobs, Verify, Settings, AddKey, Refresh key.Binding
	Select, Broadcast, Unselect                   key.Binding
}

func newRoomListKeys() roomListKeys {
	n := newNav()
	n.PageDown = key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down"))
	return roomListKeys{
		nav:       n,
		Select:    key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "select")),
		Broadcast: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "broadcast to selected")),
		Unselect:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear selection")),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Jobs:      key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "jobs")),
		Verify:    key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "verify email")),
		Settings:  key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "settings")),
		AddKey:    key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "add a key (link code)")),
		Refresh:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
	}
}

func (k roomListKeys) ShortHelp() []key.Binding {
	if k.Broadcast.Enabled() { // rooms are selected: what to do with them
		return []key.Binding{k.Broadcast, k.Select, k.Unselect, k.Open}
	}
	return []key.Binding{k.Open, k.Select, k.Jobs, k.Verify, k.Settings}
}

func (k roomListKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Open, k.Jobs, k.Verify, k.Settings, k.AddKey, k.Refresh},
		{k.Select, k.Broadcast, k.Unselect},
	}
}

// messagesKeys are the workroom view's keys while the message history has
// the focus.
type messagesKeys struct {
	nav
	Newest, Oldest, Compose, Files, People, Widgets, Notify, Back key.Binding
	// Meeting mode (roommeeting.go): ask the others here for a meeting;
	// answer one asked of you (enabled only while a request waits);
	// open or close the first meeting block on screen.
	Meet, Accept, Decline, Block key.Binding
}

func newMessagesKeys() messagesKeys {
	return messagesKeys{
		nav:     newNav(),
		Newest:  key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "newest")),
		Oldest:  key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "oldest loaded")),
		Compose: key.NewBinding(key.WithKeys("i", "enter", "tab"), key.WithHelp("i/tab", "write")),
		Files:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "files")),
		People:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "people")),
		Widgets: key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "to-do")),
		// Its help says what pressing it does (notifyHelp); disabled
		// until the room's setting is known.
		Notify:  key.NewBinding(key.WithKeys("n"), key.WithDisabled()),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Meet:    key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "ask for a meeting")),
		Accept:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "accept meeting"), key.WithDisabled()),
		Decline: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "decline meeting"), key.WithDisabled()),
		Block:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "open/close meeting"), key.WithDisabled()),
	}
}

// notifyHelp makes the mail key's help say what pressing it does, given
// whether the room's notifications are on.
func (k *messagesKeys) notifyHelp(on bool) {
	k.Notify.SetEnabled(true)
	if on {
		k.Notify.SetHelp("n", "mail off")
	} else {
		k.Notify.SetHelp("n", "mail on")
	}
}

func (k messagesKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Accept, k.Decline, k.Compose, k.Files, k.People, k.Widgets, k.Back, k.Meet, k.Down, k.Up, k.Block, k.Notify}
}

func (k messagesKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Newest, k.Oldest},
		{k.Compose, k.Files, k.People, k.Widgets, k.Notify, k.Back},
		{k.Meet, k.Accept, k.Decline, k.Block},
	}
}

// meetingKeys are live in meeting mode, where the line being written
// has the focus throughout: every other key is text.
type meetingKeys struct {
	Send, Newline, Leave key.Binding
}

func newMeetingKeys() meetingKeys {
	return meetingKeys{
		Send:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send line")),
		Newline: key.NewBinding(key.WithKeys("alt+enter", "ctrl+j"), key.WithHelp("alt+enter", "new line")),
		Leave:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave the meeting")),
	}
}

func (k meetingKeys) ShortHelp() []key.Binding { return []key.Binding{k.Send, k.Newline, k.Leave} }

func (k meetingKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// composerKeys are live while the composer has the focus: every other key
// is text.
type composerKeys struct {
	Send, Newline, Attach, Leave key.Binding
}

func newComposerKeys() composerKeys {
	return composerKeys{
		Send:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send")),
		Newline: key.NewBinding(key.WithKeys("alt+enter", "ctrl+j"), key.WithHelp("alt+enter", "new line")),
		Attach:  key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "attach files")),
		Leave:   key.NewBinding(key.WithKeys("esc", "tab"), key.WithHelp("esc", "leave")),
	}
}

func (k composerKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Send, k.Newline, k.Attach, k.Leave}
}

func (k composerKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.ShortHelp()}
}

// formKeys serve the forms (sign-up, post a job, propose): text fields
// have the focus throughout, so only keys that cannot be text act.
type formKeys struct {
	Next, Prev, Submit, Newline, Cancel key.Binding
}

func newFormKeys() formKeys {
	return formKeys{
		Next:    key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		Prev:    key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		Submit:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "submit")),
		Newline: key.NewBinding(key.WithKeys("alt+enter", "ctrl+j"), key.WithHelp("alt+enter", "new line"), key.WithDisabled()),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func (k formKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Submit, k.Next, k.Newline, k.Cancel}
}

func (k formKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Submit, k.Next, k.Prev}, {k.Newline, k.Cancel}}
}

// signupKeys serve the sign-up screen: the form's keys, and the switch to
// linking this key to an existing account with a code.
type signupKeys struct {
	formKeys
	Link key.Binding
}

func newSignupKeys() signupKeys {
	k := signupKeys{
		formKeys: newFormKeys(),
		Link:     key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "I already have an account")),
	}
	k.Cancel.SetHelp("esc", "back to sign-up")
	return k
}

func (k signupKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Submit, k.Next, k.Link, k.Cancel}
}

func (k signupKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// verifyKeys serve the verification step.
type verifyKeys struct {
	Submit, Resend, Skip key.Binding
}

func newVerifyKeys() verifyKeys {
	return verifyKeys{
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "verify")),
		Resend: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "resend code")),
		Skip:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "skip for now")),
	}
}

func (k verifyKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Submit, k.Resend, k.Skip}
}

func (k verifyKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// jobsKeys are the jobs screen's keys. Enter does what fits the selected
// job; exactly one of its three bindings is enabled at a time.
type jobsKeys struct {
	nav
	Proposals, Propose, OpenRoom, MyProposal, Post, Mine, Refresh, Back key.Binding
}

func newJobsKeys() jobsKeys {
	return jobsKeys{
		nav:       newNav(),
		Proposals: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "proposals")),
		Propose:   key.NewBinding(key.WithKeys("enter", "p"), key.WithHelp("enter", "propose")),
		OpenRoom:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open workroom")),
		// On a job the user already proposed on, enter shows that
		// proposal instead of a form for a second one.
		MyProposal: key.NewBinding(key.WithKeys("enter", "p"), key.WithHelp("enter", "my proposal")),
		Post:       key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "post a job")),
		Mine:       key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "my proposals")),
		Refresh:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

func (k jobsKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Proposals, k.Propose, k.OpenRoom, k.MyProposal, k.Post, k.Mine, k.Back}
}

func (k jobsKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Proposals, k.Propose, k.OpenRoom, k.MyProposal, k.Post, k.Mine, k.Refresh},
		{k.Back},
	}
}

// proposalsKeys are the keys of the proposals on one of my jobs.
type proposalsKeys struct {
	nav
	Award, Yes, No, Back key.Binding
}

func newProposalsKeys() proposalsKeys {
	return proposalsKeys{
		nav:   newNav(),
		Award: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "award")),
		Yes:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, award"), key.WithDisabled()),
		No:    key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no"), key.WithDisabled()),
		Back:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

func (k proposalsKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Yes, k.No, k.Award, k.Down, k.Up, k.Back}
}

func (k proposalsKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Award, k.Yes, k.No},
		{k.Back},
	}
}
