// Package tui is the terminal UI that people reach with `ssh -p 2222 host`:
// sign-up for a new key, the workroom list, a workroom's messages with a
// composer, and the jobs screen (post, propose, award). It talks only to
// workroom.Service and shows live events from the hub as they come.
//
// Every name, title, description and body comes from other people and
// passes through display.go (termsafe) before it is drawn, so nobody can
// send control sequences to another person's terminal.
package tui

import (
	"context"
	"io"
	"log/slog"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/workroom/workroom"
)

// App builds the terminal UI for SSH sessions.
type App struct {
	svc *workroom.Service
	log *slog.Logger
	// StoppingNotice is how long "the server is stopping" stays on screen
	// before the program quits; 0 means DefaultStoppingNotice. The SSH
	// server's terminal grace must be longer, or it ends the program
	// first.
	StoppingNotice time.Duration
}

// New returns the TUI over a service. Internal errors are logged to log.
func New(svc *workroom.Service, log *slog.Logger) *App {
	return &App{svc: svc, log: log}
}

// NewProgram returns the program for one session. id.User is nil for a key
// with no account: the program then starts on the sign-up screen. room != 0
// opens that workroom directly (the `ssh -t host open ROOM` command). The
// program quits when ctx is done, and its live subscription is closed when
// the program quits or ctx is done. The program reads the terminal's keys
// from in (input.go) and draws on out (screen.go) itself, not through
// Bubble Tea's reader and renderer; opts come from wish's
// bubbletea.MakeOptions(sess) (window size, colour profile, environment).
func (a *App) NewProgram(ctx context.Context, id *workroom.Identity, room workroom.RoomID, in io.Reader, out io.Writer, opts ...tea.ProgramOption) *tea.Program {
	m := a.newModel(ctx, id, room)
	m.in, m.scr.out = in, out
	p := tea.NewProgram(m, append(opts, tea.WithInput(nil), tea.WithoutRenderer(), tea.WithFPS(idleFPS))...)
	m.prog, m.env.send = p, p.Send
	return p
}

// model is the app: it owns the session, the live subscription and the
// open panes, routes each message to the pane it is for, and draws the
// frame (frame.go) around the one showing. It is a pointer, so an update
// copies nothing.
type model struct {
	app  *App
	env  *env
	init tea.Cmd
	// stack holds the open panes: the workroom list (or sign-up) at the
	// bottom, the one showing on top. Panes under the top stay open:
	// their results and live events still reach them.
	stack []pane

	width, height int
	isDark        bool
	profile       colorprofile.Profile
	help          help.Model
	keys          global
	laidOut       int // the pane height the panes were last sized for
	// helpSig and helpRows are the help bar as last drawn, and what it
	// showed (helpView).
	helpSig   string
	helpRows  []string
	helpBuf   []byte // helpView's signature, built anew each time
	helpFresh bool   // helpRows is signed since the last Update
	// body is the pane's view as last fitted to the window (render),
	// head the header line as last drawn and what for, and notice the
	// notice's rows likewise: each frame reuses what did not change.
	body   fitCache
	head   drawnHeader
	notice drawnNotice
	// in is the terminal's input, read once the program runs (Init).
	in io.Reader
	// scr is the terminal the frames are drawn on; lastFrame is when the
	// last was, framing that one is due (frameMsg), and draws counts them.
	scr       *screen
	lastFrame time.Time
	framing   bool
	draws     int
	stopping  bool
	quitting  bool         // quit ran: the program ends once this Update returns
	prog      *tea.Program // nil in tests that drive the model alone
}

// quitMsg ends the program: the session ended, or the shutdown notice had
// its moment.
type quitMsg struct{}

// probeMsg runs in Update with the model: tests look inside a running
// program with it, on the program's own goroutine.
type probeMsg func(*model)

// signedInMsg says the key has an account now (created, or linked to one),
// with its live subscription.
type signedInMsg struct {
	user   *workroom.User
	sub    *workroom.Session
	linked bool
}

// quitWhenDone quits when the session's context ends. The program is not
// given the context itself (tea.WithContext), which would end it as
// "killed", an error, on every ordinary disconnect. A signed-in session's
// pump (live.go) watches the context instead, so an idle session keeps
// one goroutine fewer.
func quitWhenDone(ctx context.Context) tea.Cmd {
	return func() tea.Msg {
		<-ctx.Done()
		return quitMsg{}
	}
}

// DefaultStoppingNotice is how long "the server is stopping" stays on
// screen: long enough to read.
const DefaultStoppingNotice = 1500 * time.Millisecond

func (a *App) stoppingNotice() time.Duration {
	if a.StoppingNotice > 0 {
		return a.StoppingNotice
	}
	return DefaultStoppingNotice
}

func (a *App) newModel(ctx context.Context, id *workroom.Identity, room workroom.RoomID) *model {
	// The connection's key and address go with every call, so the
	// service's per-key and per-address rules hold in the terminal too.
	base := workroom.NewContextWithIdentity(ctx, &workroom.Identity{Key: id.Key, Addr: id.Addr, Server: id.Server})
	st := themeFor(true, colorprofile.ANSI256)
	e := &env{svc: a.svc, log: a.log, base: base, key: id.Key, st: st}
	m := &model{app: a, env: e, isDark: true, profile: colorprofile.ANSI256, keys: newGlobal(), scr: newScreen(io.Discard, "workroom")}
	m.help = help.New()
	m.help.Styles = st.Help
	if id.User == nil {
		signup, cmd, _ := openSignup(e)
		m.stack = []pane{signup}
		m.init = tea.Batch(quitWhenDone(ctx), cmd)
		return m
	}
	cmds := []tea.Cmd{m.signIn(id.User, subscribe(a.svc, base, id.User))}
	if room != 0 {
		cmds = append(cmds, m.open(openMsg{open: openRoom(room), fromList: true}))
	}
	m.init = tea.Batch(cmds...)
	return m
}

// signIn starts the session of a user: the live subscription, and the
// workroom list under everything else.
func (m *model) signIn(u *workroom.User, sub *workroom.Session) tea.Cmd {
	m.env.sess = newSession(m.app.svc, m.app.log, m.env.base, u)
	m.env.sub = sub
	m.popTo(0)
	rooms, cmd, _ := openRoomList(m.env)
	m.stack = []pane{rooms}
	m.layout()
	if m.prog != nil { // else Init starts it, once the program exists
		go pump(m.env.base, sub, m.prog)
	}
	return cmd
}

func (m *model) Init() tea.Cmd {
	if m.prog != nil && m.in != nil {
		go readInput(m.in, m.prog)
	}
	if m.env.sub != nil && m.prog != nil {
		go pump(m.env.base, m.env.sub, m.prog)
	}
	return m.init
}

// Update routes msg, then lays the panes out again if the help bar
// changed height (another pane, a focus change, full help toggled), says
// whether the user is typing if msg changed a composer (typingCmd), and
// draws the frame if msg may have changed it (frame). The keys of one
// read (keysMsg) are routed one by one, then typing and the frame follow
// once for them all.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case frameMsg:
		m.framing = false
		m.draw()
		return m, nil
	case keysMsg:
		cmds := make([]tea.Cmd, 0, len(msg)+2)
		for _, k := range msg {
			if m.quitting {
				break // what was typed after ctrl+c is not for anyone
			}
			cmds = append(cmds, m.step(k))
		}
		return m, tea.Batch(append(cmds, m.typingCmd(), m.frame())...)
	}
	if m.offstage(msg) {
		cmd := m.update(msg)
		m.helpFresh = false
		return m, cmd
	}
	return m, tea.Batch(m.step(msg), m.typingCmd(), m.frame())
}

// step routes one message and lays the panes out again if it changed the
// help bar's height.
func (m *model) step(msg tea.Msg) tea.Cmd {
	cmd := m.update(msg)
	m.helpFresh = false
	if m.width > 0 && m.paneHeight() != m.laidOut {
		m.layout()
	}
	return cmd
}

// typingCmd tells the service whether the user is typing in the room
// whose composer the keys just handled changed (roomPane.typingLater),
// from what the composer holds now that they are all handled.
func (m *model) typingCmd() tea.Cmd {
	r := m.env.typingIn
	if r == nil {
		return nil
	}
	m.env.typingIn = nil
	if m.find(r.base().id) != pane(r) {
		return nil // the keys closed the room: leaving it said so
	}
	return r.typingSignal(r.composing())
}

func (m *model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.scr.resize(msg.Width, msg.Height)
		m.layout()
		return nil
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.restyle()
		return nil
	case tea.ColorProfileMsg:
		m.profile = msg.Profile
		m.scr.setProfile(msg.Profile)
		m.restyle()
		return nil
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.EnvMsg:
		m.env.zone = zoneFromEnv(msg.Getenv("TZ"))
		return nil
	case addressed:
		if p := m.find(msg.to); p != nil {
			return p.Update(msg.msg)
		}
		return nil // the pane that asked was closed meanwhile
	case openMsg:
		return m.open(msg)
	case closeMsg:
		return m.close(msg)
	case signedInMsg:
		return m.signedIn(msg)
	case eventMsg:
		return m.handleEvent(workroom.Event(msg))
	case staleMsg:
		return m.reload()
	case probeMsg:
		msg(m)
		return nil
	case quitMsg:
		return m.quit()
	}
	// Anything else is input for the pane showing (a paste, a cursor
	// blink).
	return m.top().Update(msg)
}

func (m *model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	typing := m.top().Typing()
	switch {
	case key.Matches(k, m.keys.ForceQuit):
		return m.quit()
	case m.stopping:
		return nil
	case m.tooSmall():
		if key.Matches(k, m.keys.Quit) {
			return m.quit()
		}
		return nil
	case !typing && key.Matches(k, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.layout()
		return nil
	case !typing && key.Matches(k, m.keys.Quit):
		return m.quit()
	}
	return m.top().Update(k)
}

// top is the pane showing.
func (m *model) top() pane { return m.stack[len(m.stack)-1] }

// find returns the open pane with id, or nil.
func (m *model) find(id paneID) pane {
	for _, p := range m.stack {
		if p.base().id == id {
			return p
		}
	}
	return nil
}

// open makes a pane and shows it. From the list, every pane above the
// list is closed first. A pane that cannot open (no such workroom) leaves
// its error with the pane showing.
func (m *model) open(msg openMsg) tea.Cmd {
	var cmds []tea.Cmd
	if msg.fromList && len(m.stack) > 1 {
		cmds = append(cmds, m.reveal(1, notice{}, nil))
	}
	p, cmd, err := msg.open(m.env)
	if err != nil {
		m.top().base().notice = errorNotice(err)
		return tea.Batch(cmds...)
	}
	m.stack = append(m.stack, p)
	m.layout()
	return tea.Batch(append(cmds, cmd)...)
}

// close closes the pane showing, or every one above the list.
func (m *model) close(msg closeMsg) tea.Cmd {
	keep := len(m.stack) - 1
	if msg.toList {
		keep = 1
	}
	if keep < 1 || keep >= len(m.stack) {
		return nil // the bottom pane stays
	}
	return m.reveal(keep, msg.notice, msg.msg)
}

// reveal closes the panes above the first keep and tells the one showing
// again: its notice, then msg, then that it shows.
func (m *model) reveal(keep int, n notice, msg tea.Msg) tea.Cmd {
	m.popTo(keep)
	p := m.top()
	p.base().notice = n
	var cmds []tea.Cmd
	if msg != nil {
		cmds = append(cmds, p.Update(msg))
	}
	if r, ok := p.(revealPane); ok {
		cmds = append(cmds, r.Revealed())
	}
	m.layout()
	return tea.Batch(cmds...)
}

// popTo closes the panes above the first keep.
func (m *model) popTo(keep int) {
	for len(m.stack) > keep {
		if c, ok := m.top().(closePane); ok {
			c.Close()
		}
		m.stack = m.stack[:len(m.stack)-1]
	}
}

// signedIn follows sign-up: the list, and the verification step unless
// the key joined an account that exists.
func (m *model) signedIn(msg signedInMsg) tea.Cmd {
	cmd := m.signIn(msg.user, msg.sub)
	if msg.linked {
		m.top().base().notice = okNotice("This key is now linked to your account.")
		return cmd
	}
	return tea.Batch(cmd, m.open(openMsg{open: openVerify}))
}

// handleEvent offers one live event to every open pane.
func (m *model) handleEvent(ev workroom.Event) tea.Cmd {
	if ev.Kind == workroom.EventShutdown {
		m.saveDrafts()
		m.stopping = true
		m.env.sub.Close()
		return m.env.after(m.app.stoppingNotice(), quitMsg{})
	}
	if n, ok := hiredNotice(ev); ok {
		m.top().base().notice = n
	}
	var cmds []tea.Cmd
	if ev.Kind == workroom.EventRemoved {
		cmds = append(cmds, m.leaveRemovedRoom(ev.RoomID))
	}
	for _, p := range m.stack {
		if e, ok := p.(eventPane); ok {
			cmds = append(cmds, e.Event(ev))
		}
	}
	return tea.Batch(cmds...)
}

// saveDrafts keeps the composer's text of every open room as its draft,
// before the server stops.
func (m *model) saveDrafts() {
	for _, p := range m.stack {
		if r, ok := p.(*roomPane); ok {
			r.saveDraftNow()
		}
	}
}

// reload reads what the open panes show afresh, after the hub dropped
// events for this session.
func (m *model) reload() tea.Cmd {
	var cmds []tea.Cmd
	for _, p := range m.stack {
		if r, ok := p.(reloadPane); ok {
			cmds = append(cmds, r.Reload())
		}
	}
	return tea.Batch(cmds...)
}

// quit ends the program and leaves the hub at once. The open panes are
// closed first, so the room showing keeps its draft.
func (m *model) quit() tea.Cmd {
	m.quitting = true
	m.popTo(1)
	if m.env.sub != nil {
		m.env.sub.Close()
	}
	m.endScreen()
	return tea.Quit
}

// restyle takes the styles for the terminal's background and colour
// profile, which every pane reads from env when it draws; panes whose
// text fields keep a copy apply them again.
func (m *model) restyle() {
	m.env.st = themeFor(m.isDark, m.profile)
	m.help.Styles = m.env.st.Help
	for _, p := range m.stack {
		if s, ok := p.(styledPane); ok {
			s.Restyle()
		}
	}
}

// layout gives the panes their size: the window less the frame.
func (m *model) layout() {
	if m.width == 0 {
		return
	}
	m.help.SetWidth(m.width)
	h := m.paneHeight()
	m.laidOut = h
	for _, p := range m.stack {
		p.Resize(m.width, h)
	}
}

// shownInRoom are the events the open workroom draws: a message, a
// meeting's change (the notice line, a block), someone typing.
var shownInRoom = map[workroom.EventKind]bool{workroom.EventMessage: true, workroom.EventMeeting: true, workroom.EventTyping: true}

// offstage reports whether msg is a live event that changes nothing on
// screen: one the open workroom does not show (a read mark or a room-list
// row for the list underneath, someone's presence). With many sessions
// in one room, each of those would otherwise redraw every screen.
func (m *model) offstage(msg tea.Msg) bool {
	ev, ok := msg.(eventMsg)
	if !ok || ev.Kind == workroom.EventShutdown || ev.Kind == workroom.EventRemoved || len(m.stack) == 0 {
		return false
	}
	if _, hired := hiredNotice(workroom.Event(ev)); hired {
		return false
	}
	r, ok := m.top().(*roomPane)
	return ok && !(ev.RoomID == r.id && shownInRoom[ev.Kind])
}
