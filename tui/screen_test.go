package tui

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// screenOn is a screen drawing on a terminal emulator of w×h, with the
// raw bytes of each write kept.
type screenOn struct {
	scr    *screen
	emu    *vt.SafeEmulator
	writes [][]byte
}

func newScreenOn(t *testing.T, w, h int, p colorprofile.Profile) *screenOn {
	so := &screenOn{emu: vt.NewSafeEmulator(w, h)}
	// The emulator answers the background colour question on its pipe.
	go func() { _, _ = io.Copy(io.Discard, so.emu) }()
	t.Cleanup(func() {
		if c, ok := so.emu.InputPipe().(io.Closer); ok {
			c.Close()
		}
	})
	so.scr = newScreen(writerFunc(func(b []byte) (int, error) {
		so.writes = append(so.writes, bytes.Clone(b))
		return so.emu.Write(b)
	}), "workroom")
	so.scr.resize(w, h)
	so.scr.setProfile(p)
	return so
}

// shown is the emulator's screen as plain rows, trailing blanks cut.
func (so *screenOn) shown() []string {
	rows := strings.Split(ansi.Strip(so.emu.Render()), "\n")
	for i := range rows {
		rows[i] = strings.TrimRight(rows[i], " ")
	}
	return rows
}

// want is what frame should show on h rows.
func want(frame string, h int) []string {
	rows := strings.Split(ansi.Strip(frame), "\n")
	out := make([]string, h)
	for i := range min(h, len(rows)) {
		out[i] = strings.TrimRight(rows[i], " ")
	}
	return out
}

func (so *screenOn) check(t *testing.T, what, frame string) {
	t.Helper()
	if err := so.scr.draw(strings.Split(frame, "\n")); err != nil {
		t.Fatal(err)
	}
	got, w := so.shown(), want(frame, so.scr.height)
	for i := range w {
		if got[i] != w[i] {
			t.Fatalf("%s: row %d shows %q, want %q\nscreen:\n%s", what, i, got[i], w[i], strings.Join(got, "\n"))
		}
	}
}

// Frame after frame — rows changing, appearing, going, styled, wide, as
// wide as the window — the terminal shows exactly the last frame, and
// after a resize the whole new frame.
func TestScreen_TerminalShowsEachFrame(t *testing.T) {
	words := []string{"meeting", "Ada", "Bob", "日本語", "café", "🙂", "", "  ", "a longer line of text that goes on"}
	style := lipgloss.NewStyle().Foreground(lipgloss.Color("212")).Bold(true)
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		w, h := 20+rng.IntN(60), 5+rng.IntN(20)
		so := newScreenOn(t, w, h, colorprofile.ANSI256)
		var prev []string
		for step := range 30 {
			if rng.IntN(10) == 0 {
				w, h = 20+rng.IntN(60), 5+rng.IntN(20)
				so.emu.Resize(w, h)
				so.scr.resize(w, h)
			}
			rows := make([]string, rng.IntN(h+3))
			for i := range rows {
				switch {
				case i < len(prev) && rng.IntN(3) > 0:
					rows[i] = ansi.Truncate(prev[i], w, "") // unchanged, if the width is
				default:
					var b strings.Builder
					for b.Len() < rng.IntN(3*w) {
						wd := words[rng.IntN(len(words))]
						if rng.IntN(2) == 0 {
							wd = style.Render(wd)
						}
						b.WriteString(wd + " ")
					}
					rows[i] = ansi.Truncate(b.String(), w, "")
				}
			}
			prev = rows
			so.check(t, fmt.Sprintf("seed %d step %d (%d×%d)", seed, step, w, h), strings.Join(rows, "\n"))
		}
	}
}

// Only the rows that changed are written; a frame like the last writes
// nothing at all.
func TestScreen_WritesOnlyTheRowsThatChanged(t *testing.T) {
	so := newScreenOn(t, 40, 6, colorprofile.ANSI256)
	so.check(t, "first", "title\nfirst line\nsecond line\n\ncomposer\nhelp")
	so.writes = nil
	so.check(t, "one row changed", "title\nfirst line\nsecond line\nthird line\ncomposer\nhelp")
	out := string(bytes.Join(so.writes, nil))
	if len(so.writes) != 1 || !strings.Contains(out, "third line") {
		t.Fatalf("the changed row was not written in one write: %q", so.writes)
	}
	for _, same := range []string{"title", "first line", "second line", "composer", "help"} {
		if strings.Contains(out, same) {
			t.Errorf("row %q did not change but was written again: %q", same, out)
		}
	}
	so.writes = nil
	so.check(t, "unchanged", "title\nfirst line\nsecond line\nthird line\ncomposer\nhelp")
	if len(so.writes) != 0 {
		t.Fatalf("an unchanged frame wrote %q", so.writes)
	}
}

// Colours are brought down to what the terminal announced: 24-bit ones
// to the 256-colour palette, and none at all without colour, where
// reverse video stays (the selection).
func TestScreen_DownsamplesToTheProfile(t *testing.T) {
	frame := lipgloss.NewStyle().Foreground(lipgloss.Color("#ff8700")).Render("orange") + "\n" +
		lipgloss.NewStyle().Reverse(true).Render("selected")
	for _, c := range []struct {
		p          colorprofile.Profile
		want, dont []string
	}{
		{colorprofile.TrueColor, []string{"38;2;255;135;0"}, nil},
		{colorprofile.ANSI256, []string{"38;5;208"}, []string{"38;2;"}},
		{colorprofile.ANSI, []string{"9"}, []string{"38;2;", "38;5;"}},
		{colorprofile.Ascii, []string{"\x1b[7m"}, []string{"38;2;", "38;5;", "[9"}},
		{colorprofile.NoTTY, []string{"\x1b[7m"}, []string{"38;2;", "38;5;", "[9"}},
	} {
		so := newScreenOn(t, 20, 3, c.p)
		so.check(t, c.p.String(), frame)
		out := string(bytes.Join(so.writes, nil))
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: %q not in %q", c.p, w, out)
			}
		}
		for _, d := range c.dont {
			if strings.Contains(out, d) {
				t.Errorf("%v: %q in %q", c.p, d, out)
			}
		}
	}
}

// Nothing is drawn before the terminal's size and colour profile are
// known; the first frame takes the terminal over and close gives it back,
// once, after which nothing is drawn.
func TestScreen_TakesTheTerminalAndGivesItBack(t *testing.T) {
	var out bytes.Buffer
	s := newScreen(&out, "workroom")
	s.resize(40, 5)
	if err := s.draw([]string{"too early"}); err != nil || out.Len() != 0 {
		t.Fatalf("drew %q before the colour profile was known", out.String())
	}
	s.setProfile(colorprofile.ANSI256)
	if err := s.draw([]string{"hello"}); err != nil {
		t.Fatal(err)
	}
	for _, seq := range []string{ansi.SetModeAltScreenSaveCursor, ansi.HideCursor, ansi.ResetModeAutoWrap, ansi.SetModeBracketedPaste, ansi.SetWindowTitle("workroom"), ansi.RequestBackgroundColor, "hello"} {
		if !strings.Contains(out.String(), seq) {
			t.Errorf("the first frame lacks %q: %q", seq, out.String())
		}
	}
	out.Reset()
	_ = s.close()
	_ = s.close()
	_ = s.draw([]string{"after"})
	if out.String() != endSeq {
		t.Fatalf("closing wrote %q, want %q once and nothing after", out.String(), endSeq)
	}
	for _, seq := range []string{ansi.ResetModeAltScreenSaveCursor, ansi.ShowCursor, ansi.SetModeAutoWrap, ansi.ResetModeBracketedPaste} {
		if !strings.Contains(endSeq, seq) {
			t.Errorf("closing does not write %q", seq)
		}
	}
}
