package tui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/vt"
)

// oldComposerArea is the bubbles textarea as the composer set it up
// before it had its own text box: what the box must look like.
func oldComposerArea(st *styles, width int) *textarea.Model {
	ta := textarea.New()
	ta.Prompt = ""
	ta.ShowLineNumbers = false
	ta.Placeholder = composerFocusedPlaceholder
	ta.CharLimit = 0
	ta.MaxHeight = 0
	ta.MaxWidth = 0
	ta.KeyMap.InsertNewline.SetEnabled(false)
	ta.KeyMap.Paste.SetEnabled(false)
	ta.SetHeight(composerRows)
	ta.SetStyles(st.Composer)
	ta.SetWidth(width)
	ta.Focus()
	return &ta
}

// screenCell is what a terminal shows in a cell: its text, and the
// colours and attributes that show. A space's foreground colour does
// not show.
type screenCell struct {
	text       string
	fg, bg     string
	attrs      uint8
	underlined bool
}

// emulators are terminals kept to show views on, by size: a new one
// costs megabytes.
var emulators = map[[2]int]*vt.Emulator{}

// onScreen is how a terminal width cells wide shows the lines of s.
func onScreen(s string, width int) [][]screenCell {
	lines := strings.Split(s, "\n")
	emu := emulators[[2]int{width, len(lines)}]
	if emu == nil {
		emu = vt.NewEmulator(width, len(lines))
		emulators[[2]int{width, len(lines)}] = emu
	}
	_, _ = emu.WriteString("\x1b[m\x1b[2J\x1b[H" + strings.Join(lines, "\r\n"))
	out := make([][]screenCell, len(lines))
	for y := range lines {
		for x := range width {
			c := emu.CellAt(x, y)
			if c == nil {
				out[y] = append(out[y], screenCell{})
				continue
			}
			sc := screenCell{text: c.Content, bg: fmt.Sprint(c.Style.Bg), attrs: c.Style.Attrs, underlined: c.Style.Underline != 0}
			if strings.TrimSpace(c.Content) != "" || c.Style.Attrs != 0 {
				sc.fg = fmt.Sprint(c.Style.Fg)
			}
			out[y] = append(out[y], sc)
		}
	}
	return out
}

// sameScreen fails the test where the two views differ on screen.
func sameScreen(t *testing.T, what string, got, want string, width int) {
	t.Helper()
	g, w := onScreen(got, width), onScreen(want, width)
	if len(g) != len(w) {
		t.Fatalf("%s: %d rows, want %d\n got %q\nwant %q", what, len(g), len(w), got, want)
	}
	for y := range w {
		for x := range w[y] {
			if g[y][x] != w[y][x] {
				t.Fatalf("%s: row %d, column %d is %+v, want %+v\n got %q\nwant %q", what, y, x, g[y][x], w[y][x], got, want)
			}
		}
	}
}

// boxKey is a key as the program hands it to the composer.
func boxKey(k string) tea.Msg {
	switch k {
	case "newline":
		return k
	case " ":
		return tea.KeyPressMsg{Code: ' ', Text: " "}
	}
	if named, ok := namedKeys[k]; ok {
		return named
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

var namedKeys = map[string]tea.KeyPressMsg{
	"backspace":      {Code: tea.KeyBackspace},
	"delete":         {Code: tea.KeyDelete},
	"left":           {Code: tea.KeyLeft},
	"right":          {Code: tea.KeyRight},
	"up":             {Code: tea.KeyUp},
	"down":           {Code: tea.KeyDown},
	"home":           {Code: tea.KeyHome},
	"end":            {Code: tea.KeyEnd},
	"pgup":           {Code: tea.KeyPgUp},
	"pgdown":         {Code: tea.KeyPgDown},
	"ctrl+w":         {Code: 'w', Mod: tea.ModCtrl},
	"ctrl+k":         {Code: 'k', Mod: tea.ModCtrl},
	"ctrl+u":         {Code: 'u', Mod: tea.ModCtrl},
	"ctrl+a":         {Code: 'a', Mod: tea.ModCtrl},
	"ctrl+e":         {Code: 'e', Mod: tea.ModCtrl},
	"ctrl+t":         {Code: 't', Mod: tea.ModCtrl},
	"alt+f":          {Code: 'f', Mod: tea.ModAlt},
	"alt+b":          {Code: 'b', Mod: tea.ModAlt},
	"alt+d":          {Code: 'd', Mod: tea.ModAlt},
	"alt+u":          {Code: 'u', Mod: tea.ModAlt},
	"alt+l":          {Code: 'l', Mod: tea.ModAlt},
	"alt+c":          {Code: 'c', Mod: tea.ModAlt},
	"alt+<":          {Code: '<', Mod: tea.ModAlt},
	"alt+>":          {Code: '>', Mod: tea.ModAlt},
	"alt+backspace":  {Code: tea.KeyBackspace, Mod: tea.ModAlt},
	"ctrl+home":      {Code: tea.KeyHome, Mod: tea.ModCtrl},
	"ctrl+end":       {Code: tea.KeyEnd, Mod: tea.ModCtrl},
	"ctrl+backspace": {Code: tea.KeyBackspace, Mod: tea.ModCtrl},
}

// press gives both the same key: the textarea as the old composer did
// (a new line by InsertRune), the box as the composer does.
func press(ta *textarea.Model, b *textBox, k string) {
	msg := boxKey(k)
	if k == "newline" {
		ta.InsertRune('\n')
		*ta, _ = ta.Update(nil) // the old composer's view followed an Update
		b.insert("\n")
		return
	}
	*ta, _ = ta.Update(msg)
	b.update(msg)
}

func typeInto(ta *textarea.Model, b *textBox, text string) {
	for _, r := range text {
		k := string(r)
		if r == '\n' {
			k = "newline"
		}
		press(ta, b, k)
	}
}

func boxView(b *textBox, st *styles) string {
	return strings.Join(b.rows(&st.Box, composerFocusedPlaceholder), "\n")
}

// The box draws what the textarea drew, cell for cell, as text is typed
// and edited with every key the textarea had (but selection), and holds
// the same text.
func TestTextBox_LooksLikeTheTextArea(t *testing.T) {
	for _, dark := range []bool{true, false} {
		st := newStyles(dark, colorprofile.ANSI256)
		for _, width := range []int{12, 40, 78, 118} {
			t.Run(fmt.Sprintf("dark=%v/width=%d", dark, width), func(t *testing.T) {
				ta := oldComposerArea(&st, width)
				b := newTextBox(width, composerRows)
				b.focused = true
				check := func(what string) {
					t.Helper()
					if got, want := b.value(), ta.Value(); got != want {
						t.Fatalf("%s: value %q, want %q", what, got, want)
					}
					sameScreen(t, what, boxView(b, &st), ta.View(), width)
				}
				if width >= 60 { // the placeholder fits on a row
					check("empty")
				}
				typeInto(ta, b, "hello")
				check("a word")
				typeInto(ta, b, " world, this is a line long enough to wrap at least once on a narrow box")
				check("a wrapped line")
				typeInto(ta, b, "\nsecond\nthird\n\nfifth line")
				check("lines below, scrolled")
				for _, k := range []string{"up", "up", "up", "home", "right", "right", "down", "end", "left", "ctrl+a", "ctrl+e",
					"alt+b", "alt+b", "alt+f", "backspace", "delete", "ctrl+w", "ctrl+k", "ctrl+u", "pgup", "pgdown", "up",
					"ctrl+home", "ctrl+end", "alt+<", "alt+u", "alt+>", "ctrl+t"} {
					press(ta, b, k)
					check(k)
				}
				typeInto(ta, b, strings.Repeat("x", 2*width+3))
				check("a word longer than a row")
				typeInto(ta, b, " 日本語のテキスト 混在 mixed")
				check("wide characters")
			})
		}
	}
}

// Random keys on both, compared after each: what people do that a
// list of cases would not think of.
func TestTextBox_RandomEditsLookLikeTheTextArea(t *testing.T) {
	keys := []string{"a", "b", "c", " ", " ", " ", "w", "x", "newline", "backspace", "delete", "left", "right", "up", "down",
		"home", "end", "ctrl+w", "ctrl+k", "ctrl+u", "alt+f", "alt+b", "alt+d", "alt+backspace", "ctrl+t", "alt+u", "alt+l", "alt+c",
		"pgup", "pgdown", "ctrl+home", "ctrl+end"}
	st := newStyles(true, colorprofile.ANSI256)
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 1))
		width := 10 + rng.IntN(30)
		ta := oldComposerArea(&st, width)
		b := newTextBox(width, composerRows)
		b.focused = true
		var done []string
		for range 300 {
			k := keys[rng.IntN(len(keys))]
			k = avoidTextAreaBugs(b, k)
			done = append(done, k)
			press(ta, b, k)
			if got, want := b.value(), ta.Value(); got != want {
				t.Fatalf("seed %d, width %d, after %q: value %q, want %q", seed, width, done, got, want)
			}
			if ta.Value() == "" && width < 60 {
				continue // the wrapped placeholder's second row: faint now
			}
			sameScreen(t, fmt.Sprintf("seed %d, width %d, after %q", seed, width, done), boxView(b, &st), ta.View(), width)
		}
	}
}

// avoidTextAreaBugs swaps a key the textarea gets wrong, where it would
// (the box does it right), for one it gets right.
func avoidTextAreaBugs(b *textBox, k string) string {
	line := b.lines[b.row]
	switch {
	case k == "delete" && b.col == len(line)-1:
		// It deletes the last character and joins the next line too.
		return "backspace"
	case (k == "down" || k == "pgdown") && b.row == len(b.lines)-1 && len(b.wrap(b.row)) > 1 && b.wrap(b.row)[len(b.wrap(b.row))-1].start == len(line):
		// It cannot move down onto the row after a full last row, where
		// the cursor goes at the line's end.
		return "home"
	case (k == "ctrl+w" || k == "alt+backspace") && b.col > 0:
		// Deleting a word that starts after one space at the start of
		// the line, it deletes that space too (and keeps it after
		// any other space).
		from := b.col
		for from > 0 && b.spaceAt(b.row, from-1) {
			from--
		}
		for from > 0 && !b.spaceAt(b.row, from-1) {
			from--
		}
		if from == 1 {
			return "left"
		}
	}
	return k
}

// A letter with its accent and an emoji of several code points are one
// character to the cursor and to backspace.
func TestTextBox_EditsWholeGraphemes(t *testing.T) {
	b := newTextBox(40, composerRows)
	b.update(tea.KeyPressMsg{Code: 'e', Text: "e"})
	b.update(tea.KeyPressMsg{Code: '\u0301', Text: "\u0301"}) // a combining accent, typed after
	b.insert("👩‍💻x")
	if len(b.lines[0]) != 3 {
		t.Fatalf("%q is %d clusters, want 3 (é, 👩‍💻, x)", b.value(), len(b.lines[0]))
	}
	b.update(boxKey("left"))
	b.update(boxKey("backspace"))
	if got := b.value(); got != "e\u0301x" {
		t.Fatalf("backspace before x left %q, want the emoji gone whole", got)
	}
	b.update(boxKey("backspace"))
	if got := b.value(); got != "x" {
		t.Fatalf("backspace left %q, want the accented e gone whole", got)
	}
}

// A pasted CR LF is one line break, a lone CR another, a tab four spaces,
// and other control characters are dropped.
func TestTextBox_CleansPastedText(t *testing.T) {
	b := newTextBox(40, composerRows)
	b.update(tea.PasteMsg{Content: "one\r\ntwo\rthree\n\tfour\x1b[31m\x07"})
	if got, want := b.value(), "one\ntwo\nthree\n    four[31m"; got != want {
		t.Fatalf("pasted text became %q, want %q", got, want)
	}
}

// The row with the cursor stays in sight, also right after a new line
// (the textarea showed it only at the next key), and the rows above are
// counted for the composer's note.
func TestTextBox_KeepsTheCursorInSight(t *testing.T) {
	b := newTextBox(40, composerRows)
	b.focused = true
	for _, l := range []string{"one", "two", "three", "four"} {
		b.insert(l)
		b.insert("\n")
	}
	if b.top != 2 {
		t.Fatalf("after five lines the first row shown is %d, want 2 (the cursor on the fifth)", b.top)
	}
	st := newStyles(true, colorprofile.ANSI256)
	rows := b.rows(&st.Box, "")
	if !strings.Contains(rows[2], "\x1b[7") {
		t.Fatalf("the cursor is not on the last row shown: %q", rows)
	}
	b.update(boxKey("ctrl+home"))
	if b.top != 0 {
		t.Fatalf("at the start the first row shown is %d, want 0", b.top)
	}
}

// A paste of more lines than the box holds keeps the first ones, as the
// textarea did.
func TestTextBox_HoldsAtMostItsLines(t *testing.T) {
	b := newTextBox(40, composerRows)
	b.insert(strings.Repeat("x\n", maxBoxLines+5))
	if len(b.lines) != maxBoxLines {
		t.Fatalf("the box holds %d lines, want %d", len(b.lines), maxBoxLines)
	}
	b.insert("\nmore")
	if len(b.lines) != maxBoxLines || !strings.HasSuffix(b.value(), "xmore") {
		t.Fatalf("after another line: %d lines, ending %q; want the text on the last line", len(b.lines), b.value()[len(b.value())-10:])
	}
}
