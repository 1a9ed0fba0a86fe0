package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/workroom/workroom"
)

// jobForm is the pane that posts a job: a one-line title and a free
// description.
type jobForm struct {
	paneBase
	sess        *session
	keys        formKeys
	title       textinput.Model
	description textarea.Model
	focusDesc   bool
	busy        bool
}

type jobPostedMsg struct {
	job *workroom.Job
	err error
}

func newJobForm(e *env) (pane, tea.Cmd, error) {
	title := textinput.New()
	title.Prompt = ""
	title.Placeholder = "e.g. Logo design for a bakery"
	title.CharLimit = workroom.MaxTitleLength
	title.SetStyles(e.st.Input)
	desc := newTextArea("What needs doing, by when, and anything a freelancer should know.", e.st)
	m := &jobForm{paneBase: e.newBase(), sess: e.sess, keys: newFormKeys(), title: title, description: desc}
	return m, m.focus(), nil
}

func (m *jobForm) Title() string     { return "post a job" }
func (m *jobForm) Typing() bool      { return true }
func (m *jobForm) Keys() help.KeyMap { return m.keys }

func (m *jobForm) Restyle() {
	m.title.SetStyles(m.env.st.Input)
	m.description.SetStyles(m.env.st.Composer)
}

// newTextArea is a multi-line field for forms: enter is left to the form
// (submit), alt+enter or ctrl+j add a line.
func newTextArea(placeholder string, st *styles) textarea.Model {
	ta := textarea.New()
	ta.Prompt = ""
	ta.ShowLineNumbers = false
	ta.Placeholder = placeholder
	ta.CharLimit = 0
	ta.MaxHeight = 0
	ta.KeyMap.InsertNewline.SetEnabled(false)
	ta.KeyMap.Paste.SetEnabled(false)
	ta.SetStyles(st.Composer)
	return ta
}

func (m *jobForm) focus() tea.Cmd {
	m.keys.Newline.SetEnabled(m.focusDesc)
	if m.focusDesc {
		m.title.Blur()
		return m.description.Focus()
	}
	m.description.Blur()
	return m.title.Focus()
}

func (m *jobForm) Resize(width, height int) {
	m.title.SetWidth(max(width-6, 10))
	m.description.SetWidth(max(width-4, 10))
	// Heading, title label, title box (3), description label, the
	// description box's borders (2).
	m.description.SetHeight(max(height-8, 2))
}

func (m *jobForm) submit() tea.Cmd {
	svc, ctx, log, uid := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID
	title, desc := m.title.Value(), m.description.Value()
	return m.do(func() tea.Msg {
		j, err := svc.PostJob(ctx, title, desc)
		logFailure(log, "post job", uid, err)
		return jobPostedMsg{job: j, err: err}
	})
}

func (m *jobForm) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case jobPostedMsg:
		m.busy = false
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return nil
		}
		return closePaneCmd(okNotice(fmt.Sprintf("Job #%d is posted; proposals will show under My jobs.", msg.job.ID)))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Cancel):
			return closePaneCmd(notice{})
		case key.Matches(msg, m.keys.Next, m.keys.Prev) && !(m.focusDesc && isArrow(msg)):
			m.focusDesc = !m.focusDesc
			return m.focus()
		case key.Matches(msg, m.keys.Submit):
			if !m.focusDesc {
				m.focusDesc = true
				return m.focus()
			}
			if m.busy {
				return nil
			}
			m.busy = true
			return m.submit()
		case key.Matches(msg, m.keys.Newline):
			m.description.InsertRune('\n')
			return nil
		}
	}
	var cmd tea.Cmd
	if m.focusDesc {
		m.description, cmd = m.description.Update(msg)
	} else {
		m.title, cmd = m.title.Update(msg)
	}
	return cmd
}

// isArrow tells arrow keys apart from tab: in a multi-line field the
// arrows move the cursor between lines instead of between fields.
func isArrow(msg tea.KeyPressMsg) bool {
	s := msg.String()
	return s == "up" || s == "down"
}

func (m *jobForm) View(width, height int) string {
	st := m.env.st
	frame := func(focused bool) lipgloss.Style {
		if focused {
			return st.Pane
		}
		return st.PaneBlurred
	}
	var b strings.Builder
	b.WriteString(st.Title.Render(" Post a job") + "\n")
	b.WriteString(st.Label.Render(" Title") + "\n")
	b.WriteString(frame(!m.focusDesc).Width(width-2).Render(m.title.View()) + "\n")
	b.WriteString(st.Label.Render(" Description") + st.Subtle.Render(" (optional)") + "\n")
	b.WriteString(frame(m.focusDesc).Width(width-2).Render(m.description.View()) + "\n")
	return b.String()
}
