package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// BenchmarkComposerKey is one key press in the composer as meeting mode
// handles it: the key, then the box drawn in its border (Bubble Tea asks
// for a view after every message). A line of 60 letters is typed and
// sent, over and over, in a composer 120 cells wide. The textarea
// sub-benchmark is bubbles' textarea as the composer used it before it
// had its own text box, for comparison: its Update and View, without the
// border (which cost it little more):
//
//	go test -run '^$' -bench ComposerKey -benchmem ./tui/
func BenchmarkComposerKey(b *testing.B) {
	st := newStyles(true, colorprofile.ANSI256)
	const width, line = 120, 60
	keys := make([]tea.KeyPressMsg, line)
	for i := range keys {
		r := rune('a' + i%26)
		keys[i] = tea.KeyPressMsg{Code: r, Text: string(r)}
	}
	b.Run("textbox", func(b *testing.B) {
		c := newComposer(&env{st: &st})
		c.setWidth(width)
		c.focus()
		for i := 0; b.Loop(); i++ {
			if i%line == 0 {
				c.take()
			}
			c.update(keys[i%line])
			_ = c.view(&st, width)
		}
	})
	b.Run("textarea", func(b *testing.B) {
		ta := oldComposerArea(&st, width-2)
		for i := 0; b.Loop(); i++ {
			if i%line == 0 {
				ta.Reset()
			}
			*ta, _ = ta.Update(keys[i%line])
			_ = ta.View()
		}
	})
}
