package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// The composer's box is drawn without lipgloss; it must be exactly what
// lipgloss draws around the text box's rows, for every state of the box.
func TestBoxEdges_DrawsWhatLipglossDraws(t *testing.T) {
	for _, dark := range []bool{true, false} {
		st := newStyles(dark, colorprofile.ANSI256)
		for _, width := range []int{3, 12, 40, 120} {
			b := newTextBox(boxWidth(width), composerRows)
			b.focused = true
			var e boxEdges
			check := func(what string, focused bool) {
				t.Helper()
				frame := st.PaneBlurred
				if focused {
					frame = st.Pane
				}
				b.focused = focused
				rows := b.rows(&st.Box, composerFocusedPlaceholder)
				want := frame.Width(width).Render(strings.Join(rows, "\n"))
				if got := e.rows(frame, width, &st, focused, rows, b.width); got != want {
					t.Fatalf("dark %v, width %d, %s:\n got %q\nwant %q", dark, width, what, got, want)
				}
			}
			check("empty, focused", true)
			check("empty, blurred", false)
			for _, text := range []string{"hello", "日本語のテキスト🙂 mixed", strings.Repeat("word ", 60), "a\nb\nc\nd\ne", "tab\there"} {
				b.setValue(text)
				check(text, true)
				check(text+", blurred", false)
			}
			for _, k := range []rune{'x', 'y'} {
				b.update(tea.KeyPressMsg{Code: k, Text: string(k)})
				check("typed", true)
			}
		}
	}
}
