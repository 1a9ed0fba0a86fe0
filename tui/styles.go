package tui

import (
	"sync"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// The theme is designed for 256 colours: OpenSSH does not forward
// COLORTERM, so most sessions arrive as xterm-256color. Every colour below
// is an index of the 256-colour palette, which a true-colour terminal shows
// the same way; Bubble Tea downsamples them for 16-colour terminals. Each
// colour has a light-background and a dark-background variant, chosen by
// the background colour the terminal reports (dark until it answers).
type palette struct {
	accent, accentText, text, subtle, faint, border, selectBg, selectFg, errorFg, okFg, warnFg, unread string
}

var darkPalette = palette{
	accent: "62", accentText: "231", text: "252", subtle: "245", faint: "240", border: "239",
	selectBg: "237", selectFg: "231", errorFg: "203", okFg: "78", warnFg: "214", unread: "212",
}

var lightPalette = palette{
	accent: "62", accentText: "231", text: "235", subtle: "243", faint: "248", border: "250",
	selectBg: "254", selectFg: "232", errorFg: "160", okFg: "28", warnFg: "130", unread: "162",
}

// styles holds every style the TUI uses, so the look is decided here and
// nowhere else.
type styles struct {
	Header      lipgloss.Style // the bar at the top of each screen
	HeaderDim   lipgloss.Style
	Title       lipgloss.Style // headings inside a screen
	Text        lipgloss.Style
	Subtle      lipgloss.Style // secondary text: times, roles, counts
	Faint       lipgloss.Style
	Selected    lipgloss.Style // the row under the cursor
	Unread      lipgloss.Style // unread counts
	Author      lipgloss.Style
	MyAuthor    lipgloss.Style // the author line of the user's own messages
	Source      lipgloss.Style
	Body        lipgloss.Style
	Error       lipgloss.Style // a refusal or failure, with the service's words
	OK          lipgloss.Style
	Warn        lipgloss.Style // gentle notices (unverified email)
	Pane        lipgloss.Style // the border around a focused composer or form
	PaneBlurred lipgloss.Style
	Label       lipgloss.Style // form labels
	Key         lipgloss.Style // a key name inside a sentence
	Help        help.Styles
	Composer    textarea.Styles
	Box         boxPaints // Composer as the composer's text box draws it
	Input       textinput.Styles
}

// themes holds the styles built so far, one set per background and
// profile: they never change once built, so every session with the same
// terminal shares one (about 40 KB each).
var themes sync.Map // themeKey → *styles

type themeKey struct {
	isDark  bool
	profile colorprofile.Profile
}

// themeFor returns the shared styles for a background and colour profile.
func themeFor(isDark bool, profile colorprofile.Profile) *styles {
	k := themeKey{isDark, profile}
	if st, ok := themes.Load(k); ok {
		return st.(*styles)
	}
	st := newStyles(isDark, profile)
	actual, _ := themes.LoadOrStore(k, &st)
	return actual.(*styles)
}

// newStyles builds the theme for a background and colour profile. Without
// colour (Ascii), the selection is shown in reverse video so it stays
// visible.
func newStyles(isDark bool, profile colorprofile.Profile) styles {
	p := lightPalette
	if isDark {
		p = darkPalette
	}
	c := lipgloss.Color
	s := styles{
		Header:      lipgloss.NewStyle().Background(c(p.accent)).Foreground(c(p.accentText)).Bold(true),
		HeaderDim:   lipgloss.NewStyle().Background(c(p.accent)).Foreground(c(p.accentText)),
		Title:       lipgloss.NewStyle().Foreground(c(p.accent)).Bold(true),
		Text:        lipgloss.NewStyle().Foreground(c(p.text)),
		Subtle:      lipgloss.NewStyle().Foreground(c(p.subtle)),
		Faint:       lipgloss.NewStyle().Foreground(c(p.faint)),
		Selected:    lipgloss.NewStyle().Background(c(p.selectBg)).Foreground(c(p.selectFg)).Bold(true),
		Unread:      lipgloss.NewStyle().Foreground(c(p.unread)).Bold(true),
		Author:      lipgloss.NewStyle().Foreground(c(p.unread)).Bold(true),
		MyAuthor:    lipgloss.NewStyle().Foreground(c(p.accent)).Bold(true),
		Source:      lipgloss.NewStyle().Foreground(c(p.faint)).Italic(true),
		Body:        lipgloss.NewStyle().Foreground(c(p.text)),
		Error:       lipgloss.NewStyle().Foreground(c(p.errorFg)).Bold(true),
		OK:          lipgloss.NewStyle().Foreground(c(p.okFg)),
		Warn:        lipgloss.NewStyle().Foreground(c(p.warnFg)),
		Pane:        lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(c(p.accent)),
		PaneBlurred: lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(c(p.border)),
		Label:       lipgloss.NewStyle().Foreground(c(p.subtle)).Bold(true),
		Key:         lipgloss.NewStyle().Foreground(c(p.accent)).Bold(true),
	}
	if profile <= colorprofile.Ascii {
		s.Selected = lipgloss.NewStyle().Reverse(true)
	}

	s.Help = help.DefaultStyles(isDark)
	s.Help.ShortKey = lipgloss.NewStyle().Foreground(c(p.subtle)).Bold(true)
	s.Help.ShortDesc = lipgloss.NewStyle().Foreground(c(p.faint))
	s.Help.FullKey = s.Help.ShortKey
	s.Help.FullDesc = s.Help.ShortDesc

	s.Composer = textarea.DefaultStyles(isDark)
	s.Composer.Focused.CursorLine = lipgloss.NewStyle()
	s.Composer.Focused.Text = s.Text
	s.Composer.Blurred.Text = s.Subtle
	s.Composer.Focused.Placeholder = s.Faint
	s.Composer.Blurred.Placeholder = s.Faint
	s.Composer.Cursor.Blink = false
	s.Box = newBoxPaints(s.Composer)

	s.Input = textinput.DefaultStyles(isDark)
	s.Input.Focused.Text = s.Text
	s.Input.Focused.Placeholder = s.Faint
	s.Input.Blurred.Placeholder = s.Faint
	s.Input.Focused.Prompt = s.Title
	s.Input.Blurred.Prompt = s.Faint
	s.Input.Cursor.Blink = false
	return s
}
