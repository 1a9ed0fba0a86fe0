package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/timefmt"
)

// settingsPane shows the account's settings and changes them, as the
// `settings` command does over SSH: for now the time zone every time is
// shown in. It opens from the workroom list (S). The field starts with
// the zone as stored, read afresh, since `settings --tz` in another
// session may have changed it; saving puts the account as stored into
// the session, so every time on screen follows the new zone at once.
type settingsPane struct {
	paneBase
	sess *session
	keys settingsKeys
	zone textinput.Model
	// edited is set by the first key typed: the stored zone, when it
	// arrives, then no longer replaces what the user typed.
	edited bool
	busy   bool
}

type (
	// settingsLoadedMsg brings the account as stored, on opening.
	settingsLoadedMsg struct {
		user *workroom.User
		err  error
	}
	// zoneSavedMsg brings the account after a new zone, or the refusal.
	zoneSavedMsg struct {
		user *workroom.User
		err  error
	}
)

func newSettings(e *env) (pane, tea.Cmd, error) {
	zone := textinput.New()
	zone.Prompt = "Time zone "
	zone.Placeholder = "an IANA name, e.g. Europe/Berlin"
	zone.CharLimit = workroom.MaxTimeZoneLength
	zone.SetValue(e.sess.user.Location().String())
	m := &settingsPane{paneBase: e.newBase(), sess: e.sess, keys: newSettingsKeys(), zone: zone}
	m.Restyle()
	svc, ctx, log, uid := e.svc, e.sess.ctx, e.log, e.sess.user.ID
	load := m.do(func() tea.Msg {
		u, err := svc.Settings(ctx)
		logFailure(log, "settings", uid, err)
		return settingsLoadedMsg{user: u, err: err}
	})
	return m, tea.Batch(m.zone.Focus(), load), nil
}

func (m *settingsPane) Title() string     { return "settings" }
func (m *settingsPane) Typing() bool      { return true }
func (m *settingsPane) Keys() help.KeyMap { return m.keys }
func (m *settingsPane) Restyle()          { m.zone.SetStyles(m.env.st.Input) }

func (m *settingsPane) Resize(width, _ int) {
	m.zone.SetWidth(max(width-len(m.zone.Prompt)-4, 10))
}

func (m *settingsPane) save() tea.Cmd {
	svc, ctx, log, uid, zone := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID, m.zone.Value()
	return m.do(func() tea.Msg {
		u, err := svc.SetTimeZone(ctx, zone)
		logFailure(log, "set time zone", uid, err)
		return zoneSavedMsg{user: u, err: err}
	})
}

func (m *settingsPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case settingsLoadedMsg:
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return nil
		}
		m.sess.setUser(msg.user)
		if !m.edited {
			m.zone.SetValue(msg.user.Location().String())
			m.zone.CursorEnd()
		}
		return nil
	case zoneSavedMsg:
		m.busy = false
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return nil
		}
		m.sess.setUser(msg.user)
		return closePaneCmd(okNotice("Times now show in " + msg.user.Location().String() + "."))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Save):
			if m.busy {
				return nil
			}
			m.busy = true
			m.notice = notice{text: "saving…"}
			return m.save()
		case key.Matches(msg, m.keys.Back):
			return closePaneCmd(notice{})
		}
		m.edited = true
	}
	var cmd tea.Cmd
	m.zone, cmd = m.zone.Update(msg)
	return cmd
}

// View draws the roomiest layout that fits (compact.go).
func (m *settingsPane) View(width, height int) string {
	return compact(height, func(c compaction) string { return m.view(width, c) })
}

func (m *settingsPane) view(width int, c compaction) string {
	st := m.env.st
	measure := min(width-4, maxMeasure)
	loc := m.sess.user.Location()
	var b strings.Builder
	b.WriteString(c.spacer())
	b.WriteString(st.Title.Render("  Settings") + "\n\n")
	b.WriteString("  " + m.zone.View() + "\n\n")
	b.WriteString(paragraph(st.Subtle, "Saved zone: "+loc.String()+", where it is now "+timefmt.Date(time.Now(), loc)+".", measure))
	if !c.brief {
		b.WriteString(paragraph(st.Subtle, "Every time in the terminal and in commands shows in this zone (--json stays UTC). "+
			"Give an IANA name such as Europe/Berlin, America/New_York or UTC; names are case-sensitive.", measure))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// settingsKeys are the settings pane's keys: the field has the focus, so
// only keys that cannot be text act.
type settingsKeys struct {
	Save, Back key.Binding
}

func newSettingsKeys() settingsKeys {
	return settingsKeys{
		Save: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

func (k settingsKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Save, k.Back} }
func (k settingsKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
