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
	"fmt"
	"log/slog"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
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
// the program quits or ctx is done. opts come from wish's
// bubbletea.MakeOptions(sess) (input/output, window size, colour profile
// env).
func (a *App) NewProgram(ctx context.Context, id *workroom.Identity, room workroom.RoomID, opts ...tea.ProgramOption) *tea.Program {
	return tea.NewProgram(a.newModel(ctx, id, room), opts...)
}

// screen is what the app shows; each has its own model.
type screen int

const (
	screenSignup screen = iota
	screenVerify
	screenRooms
	screenRoom
	screenJobs
)

// model is the app: it owns the session, the live subscription and the
// screens, routes each message to the screen it belongs to, and draws the
// frame (header, the screen, the help bar) around the current one.
type model struct {
	app  *App
	base context.Context // the SSH session's context with its key and address, without a user
	key  workroom.Key
	sess *session          // nil until the key has an account
	sub  *workroom.Session // nil until the key has an account
	init tea.Cmd

	screen        screen
	width, height int
	isDark        bool
	profile       colorprofile.Profile
	st            styles
	help          help.Model
	keys          global
	laidOut       int // the body height the screens were last sized for
	stopping      bool

	signup signupModel
	verify verifyModel
	rooms  roomListModel
	room   roomModel
	jobs   jobsModel
}

// quitMsg ends the program: the session ended, or the shutdown notice had
// its moment.
type quitMsg struct{}

// quitWhenDone quits when the session's context ends. The program is not
// given the context itself (tea.WithContext), which would end it as
// "killed", an error, on every ordinary disconnect.
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

func (a *App) newModel(ctx context.Context, id *workroom.Identity, room workroom.RoomID) model {
	// The connection's key and address go with every call, so the
	// service's per-key and per-address rules hold in the terminal too.
	base := workroom.NewContextWithIdentity(ctx, &workroom.Identity{Key: id.Key, Addr: id.Addr})
	m := model{app: a, base: base, key: id.Key, isDark: true, profile: colorprofile.ANSI256, keys: newGlobal()}
	m.st = newStyles(m.isDark, m.profile)
	m.help = help.New()
	m.help.Styles = m.st.Help
	if id.User == nil {
		m.screen = screenSignup
		m.signup = newSignup(m.st)
		m.init = tea.Batch(tea.RequestBackgroundColor, quitWhenDone(ctx))
		return m
	}
	sub := subscribe(a.svc, base, id.User)
	cmds := []tea.Cmd{tea.RequestBackgroundColor, quitWhenDone(ctx), m.signIn(id.User, sub)}
	if room != 0 {
		cmds = append(cmds, m.openRoom(room))
	}
	m.init = tea.Batch(cmds...)
	return m
}

// signIn starts the session of a user: the live subscription, and the
// workroom list.
func (m *model) signIn(u *workroom.User, sub *workroom.Session) tea.Cmd {
	m.sess = newSession(m.app.svc, m.app.log, m.base, u)
	m.sub = sub
	m.rooms = newRoomList(m.sess)
	m.jobs = newJobs(m.sess)
	m.screen = screenRooms
	m.layout()
	return tea.Batch(waitEvent(sub), m.rooms.reload())
}

func (m model) Init() tea.Cmd { return m.init }

// Update routes msg, then lays the screen out again if the help bar
// changed height (another screen, a focus change, full help toggled).
func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.update(msg)
	if next.width > 0 && next.bodyHeight() != next.laidOut {
		next.layout()
	}
	return next, cmd
}

func (m model) update(msg tea.Msg) (model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.restyle()
		return m, nil
	case tea.ColorProfileMsg:
		m.profile = msg.Profile
		m.restyle()
		return m, nil
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case eventMsg:
		return m.handleEvent(workroom.Event(msg))
	case staleMsg:
		cmd := m.reload()
		return m, tea.Batch(waitEvent(m.sub), cmd)
	case subClosedMsg:
		return m, nil
	case quitMsg:
		return m.quit()
	}
	if m.sess == nil {
		return m.updateSignup(msg)
	}
	return m.route(msg)
}

// route hands a message to the screen it belongs to: results of service
// calls go to the model that asked, even when another screen is showing
// meanwhile; navigation is the app's.
func (m model) route(msg tea.Msg) (model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case openRoomMsg:
		cmd = m.openRoom(msg.id)
		return m, cmd
	case backToListMsg:
		cmd = m.showList()
		return m, cmd
	case showJobsMsg:
		m.jobs.pane = paneJobList
		m.screen = screenJobs
		m.layout()
		return m, m.jobs.load()
	case showVerifyMsg:
		m.verify = newVerify(m.sess, m.st)
		m.screen = screenVerify
		m.layout()
		return m, nil
	case verifyDoneMsg:
		cmd = m.verifyDone(msg.verified)
		return m, cmd
	case roomsLoadedMsg:
		m.rooms, cmd = m.rooms.update(msg)
	case roomOpenedMsg:
		if msg.err != nil && m.screen == screenRoom && msg.id == m.room.id && msg.gen == m.room.gen {
			// No such workroom (or not ours: the same words): back to the
			// list, which says so.
			cmd = m.showList()
			m.rooms.notice = errorNotice(msg.err)
			return m, cmd
		}
		m.room, cmd = m.room.update(msg)
	case olderLoadedMsg, gapLoadedMsg, postedMsg:
		m.room, cmd = m.room.update(msg)
	case verifiedMsg, resentMsg:
		m.verify, cmd = m.verify.update(msg)
	case awardedMsg:
		m.jobs, cmd = m.jobs.update(msg, m.st)
		if msg.err == nil {
			m.jobs.pane = paneJobList
			m.rooms.selectID = msg.room.ID
			cmd = m.showList()
			m.rooms.notice = okNotice(fmt.Sprintf("Awarded: workroom #%d is open for you and the freelancer.", msg.room.ID))
		}
	case jobsLoadedMsg, jobPaneDoneMsg, jobPostedMsg, proposedMsg, proposalsLoadedMsg:
		m.jobs, cmd = m.jobs.update(msg, m.st)
	default:
		return m.updateScreen(msg)
	}
	return m, cmd
}

// updateScreen hands input (keys, pastes, cursor blinks) to the screen
// showing.
func (m model) updateScreen(msg tea.Msg) (model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.screen {
	case screenVerify:
		m.verify, cmd = m.verify.update(msg)
	case screenRooms:
		m.rooms, cmd = m.rooms.update(msg)
	case screenRoom:
		m.room, cmd = m.room.update(msg)
	case screenJobs:
		m.jobs, cmd = m.jobs.update(msg, m.st)
	}
	return m, cmd
}

// updateSignup runs the sign-up screen until the account exists.
func (m model) updateSignup(msg tea.Msg) (model, tea.Cmd) {
	if msg, ok := msg.(signedUpMsg); ok && msg.err == nil {
		cmd := m.signIn(msg.user, msg.sub)
		if msg.linked {
			m.rooms.notice = okNotice("This key is now linked to your account.")
			return m, cmd
		}
		m.verify = newVerify(m.sess, m.st)
		m.screen = screenVerify
		m.layout()
		return m, cmd
	}
	a, base, k := m.app, m.base, m.key
	var cmd tea.Cmd
	m.signup, cmd = m.signup.update(msg, func(name, email string) tea.Cmd {
		return signUp(a.svc, a.log, base, k, name, email)
	}, func(code string) tea.Cmd {
		return linkKey(a.svc, a.log, base, code) // as the key in use, which has no account yet
	})
	return m, cmd
}

func (m model) handleKey(k tea.KeyPressMsg) (model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.ForceQuit):
		return m.quit()
	case m.stopping:
		return m, nil
	case m.tooSmall():
		if key.Matches(k, m.keys.Quit) {
			return m.quit()
		}
		return m, nil
	case !m.capturesKeys() && key.Matches(k, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.layout()
		return m, nil
	case !m.capturesKeys() && key.Matches(k, m.keys.Quit):
		return m.quit()
	}
	if m.sess == nil {
		return m.updateSignup(k)
	}
	return m.updateScreen(k)
}

// capturesKeys reports whether a text field has the focus. Then every key
// but ctrl+c is text: "q" and "?" in a message are letters, not commands.
func (m model) capturesKeys() bool {
	switch m.screen {
	case screenSignup, screenVerify:
		return true
	case screenRoom:
		return m.room.capturesKeys()
	case screenJobs:
		return m.jobs.capturesKeys()
	}
	return false
}

// handleEvent applies one live event and waits for the next.
func (m model) handleEvent(ev workroom.Event) (model, tea.Cmd) {
	switch ev.Kind {
	case workroom.EventShutdown:
		m.stopping = true
		m.sub.Close()
		return m, tea.Tick(m.app.stoppingNotice(), func(time.Time) tea.Msg { return quitMsg{} })
	case workroom.EventMessage:
		m.rooms.applyRow(ev.Row)
		var cmd tea.Cmd
		if m.screen == screenRoom && ev.RoomID == m.room.id && ev.Message != nil {
			cmd = m.room.arrived(*ev.Message)
		}
		return m, tea.Batch(waitEvent(m.sub), cmd)
	case workroom.EventRoom:
		m.rooms.applyRow(ev.Row)
	}
	return m, waitEvent(m.sub)
}

// reload reads what is shown afresh, after the hub dropped events for this
// session.
func (m *model) reload() tea.Cmd {
	cmds := []tea.Cmd{m.rooms.reload()}
	switch m.screen {
	case screenRoom:
		cmds = append(cmds, m.room.reload())
	case screenJobs:
		if m.jobs.pane == paneJobList {
			cmds = append(cmds, m.jobs.load())
		}
	}
	return tea.Batch(cmds...)
}

// openRoom shows a workroom, once the service let the session in
// (presence; outsiders get "no such workroom" on the list). Entering is
// done here rather than in a command because the order of entering and
// leaving matters and commands run concurrently; it is one read of the
// membership, which never waits for writers.
func (m *model) openRoom(id workroom.RoomID) tea.Cmd {
	visit, err := m.app.svc.Enter(m.sess.ctx, m.sub, id)
	if err != nil {
		logFailure(m.app.log, "enter", m.sess.user.ID, err)
		cmd := m.showList()
		m.rooms.notice = errorNotice(err)
		return cmd
	}
	m.room = newRoom(m.sess, id, m.st)
	m.room.visit = visit
	m.screen = screenRoom
	m.layout()
	return m.room.load()
}

// showList goes back to the workroom list, leaving any room.
func (m *model) showList() tea.Cmd {
	if m.screen == screenRoom {
		m.room.visit.Leave()
	}
	m.screen = screenRooms
	m.rooms.notice = notice{}
	m.layout()
	return m.rooms.reload()
}

func (m *model) verifyDone(verified bool) tea.Cmd {
	if verified {
		u := *m.sess.user
		u.EmailVerified = true
		m.sess.user = &u
		m.rooms.setVerified(true)
	}
	cmd := m.showList()
	if verified {
		m.rooms.notice = okNotice(oneLine(m.sess.user.Email) + " is verified.")
	}
	return cmd
}

// quit ends the program and leaves the hub at once.
func (m model) quit() (model, tea.Cmd) {
	if m.sub != nil {
		m.sub.Close()
	}
	return m, tea.Quit
}

func (m *model) restyle() {
	m.st = newStyles(m.isDark, m.profile)
	m.help.Styles = m.st.Help
	m.signup.setStyles(m.st)
	m.verify.code.SetStyles(m.st.Input)
	if m.sess != nil {
		m.room.composer.setStyles(m.st)
		m.jobs.setStyles(m.st)
	}
}

// helpKeys is the keymap of what is showing; the help bar is drawn from it.
func (m model) helpKeys() help.KeyMap {
	switch m.screen {
	case screenSignup:
		return m.signup.keys
	case screenVerify:
		return m.verify.keys
	case screenRoom:
		return m.room.helpKeys()
	case screenJobs:
		return m.jobs.helpKeys()
	}
	return m.rooms.keys
}

// layout gives the screens their sizes: the window less the header line
// and the help bar.
func (m *model) layout() {
	if m.width == 0 {
		return
	}
	m.help.SetWidth(m.width)
	h := m.bodyHeight()
	m.laidOut = h
	m.signup.setWidth(m.width)
	m.rooms.setSize(h)
	m.room.setSize(m.width, h)
	m.jobs.setSize(m.width, h)
}

func (m model) bodyHeight() int {
	return max(m.height-1-lipgloss.Height(m.help.View(m.helpKeys())), 1)
}

func (m model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

func (m model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "workroom"
	return v
}

func (m model) render() string {
	switch {
	case m.width == 0:
		return ""
	case m.tooSmall():
		text := fmt.Sprintf("window too small — need at least %d×%d, have %d×%d", minWidth, minHeight, m.width, m.height)
		return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center,
			m.st.Warn.Width(m.width).Align(lipgloss.Center).Render(text))
	case m.stopping:
		return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center,
			m.st.Warn.Render("The server is stopping. Your messages are saved; connect again in a moment."))
	}
	var body string
	h := m.bodyHeight()
	switch m.screen {
	case screenSignup:
		body = m.signup.view(m.st, m.width, h)
	case screenVerify:
		body = m.verify.view(m.st, m.width, h)
	case screenRooms:
		body = m.rooms.view(m.st, m.width, h)
	case screenRoom:
		body = m.room.view(m.st, m.width, h)
	case screenJobs:
		body = m.jobs.view(m.st, m.width, h)
	}
	return m.header() + "\n" + fit(body, m.width, h) + "\n" + m.help.View(m.helpKeys())
}

// header is the top line: where the user is, and who they are.
func (m model) header() string {
	var where string
	switch m.screen {
	case screenSignup:
		where = "sign up"
		if m.signup.linking {
			where = "add this key"
		}
	case screenVerify:
		where = "verify email"
	case screenRooms:
		where = "workrooms"
	case screenRoom:
		where = m.room.title()
	case screenJobs:
		where = m.jobs.title()
	}
	left := " workroom › " + where
	right := ""
	if m.sess != nil {
		right = oneLine(m.sess.user.Name) + " "
	}
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return m.st.Header.Render(padRight(left, m.width))
	}
	return m.st.Header.Render(left) + m.st.HeaderDim.Render(strings.Repeat(" ", gap)+right)
}
