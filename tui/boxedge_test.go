package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// The composer's box is drawn without lipgloss in meeting mode; it must
// be exactly what lipgloss draws, for every state of the text area.
func TestBoxEdges_DrawsWhatLipglossDraws(t *testing.T) {
	for _, dark := range []bool{true, false} {
		st := newStyles(dark, colorprofile.ANSI256)
		for _, width := range []int{3, 12, 40, 120} {
			ta := newComposerArea(&st, width)
			ta.Focus()
			var e boxEdges
			check := func(what string, focused bool, content string) {
				t.Helper()
				frame := st.PaneBlurred
				if focused {
					frame = st.Pane
				}
				want := frame.Width(width).Render(content)
				if got := e.box(frame, width, &st, focused, content); got != want {
					t.Fatalf("dark %v, width %d, %s:\n got %q\nwant %q", dark, width, what, got, want)
				}
			}
			check("empty, focused", true, ta.View())
			check("empty, blurred", false, ta.View())
			for _, text := range []string{"hello", "日本語のテキスト🙂 mixed", strings.Repeat("word ", 60), "a\nb\nc\nd\ne", "tab\there"} {
				ta.SetValue(text)
				check(text, true, ta.View())
			}
			for _, k := range []rune{'x', 'y'} {
				*ta, _ = ta.Update(tea.KeyPressMsg{Code: k, Text: string(k)})
				check("typed", true, ta.View())
			}
			check("too wide", true, strings.Repeat("w", width+3))
			check("carriage return", true, "a\rb")
			check("blank", true, "")
		}
	}
}
