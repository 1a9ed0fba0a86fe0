package tui

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// echoPane is a pane a test opens in a running program: it counts its
// key x, shows what it was typed while it takes typing, and takes typing
// until tab. It stands for the next pane someone adds.
type echoPane struct {
	paneBase
	keys    echoKeys
	pressed int
	typed   string
	typing  bool
}

type echoKeys struct{ Count, Leave key.Binding }

func (k echoKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Count, k.Leave} }
func (k echoKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func newEchoPane(e *env) (pane, tea.Cmd, error) {
	return &echoPane{
		paneBase: e.newBase(),
		keys: echoKeys{
			Count: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "count an echo")),
			Leave: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "stop typing")),
		},
	}, nil, nil
}

func (p *echoPane) Title() string     { return "echo" }
func (p *echoPane) Typing() bool      { return p.typing }
func (p *echoPane) Keys() help.KeyMap { return p.keys }
func (p *echoPane) Resize(_, _ int)   {}

func (p *echoPane) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	switch {
	case !ok:
	case key.Matches(k, p.keys.Leave):
		p.typing = !p.typing
	case p.typing:
		p.typed += k.Text
	case key.Matches(k, p.keys.Count):
		p.pressed++
	}
	return nil
}

func (p *echoPane) View(_, _ int) string {
	return "echoes: " + strings.Repeat("x", p.pressed) + "\ntyped: [" + p.typed + "]"
}

// A pane opened in a running app gets its keys, its help in the help bar
// and the title in the header, and while it takes typing "q" is text
// rather than quit.
func TestPane_GetsItsKeysHelpAndTyping(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("LAST ACTIVITY")
	tm.prog.Send(openMsg{open: newEchoPane})

	s := tm.waitText("workroom › echo", "x count an echo", "tab stop typing", "? more keys", "q quit")
	if strings.Contains(s, "J jobs") {
		t.Fatalf("the list's keys are offered over the pane:\n%s", s)
	}
	tm.press("x")
	tm.press("x")
	tm.waitText("echoes: xx")

	tm.press(keyTab)
	tm.waitFor("the app's single keys to leave the help bar", func(s string) bool {
		return strings.Contains(s, "ctrl+c quit") && !strings.Contains(s, "? more keys")
	})
	tm.typeText("q?x")
	tm.waitText("typed: [q?x]", "echoes: xx")
	if tm.ended() {
		t.Fatal("q quit the program while the pane took typing")
	}

	tm.press(keyTab)
	tm.waitText("? more keys")
	tm.press("q")
	tm.waitEnded()
}
