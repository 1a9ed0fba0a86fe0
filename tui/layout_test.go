package tui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/workroom/workroom/workroomtest"
)

func TestView_WindowTooSmallShowsNotice(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	tm := f.start(t, ada, 0, 50, 12)
	s := tm.waitText("window too small", "need at least 60×16", "have 50×12")
	if strings.Contains(s, "LAST ACTIVITY") {
		t.Fatalf("the list was drawn in a window below the minimum:\n%s", s)
	}
	tm.resize(80, 24)
	tm.waitText("LAST ACTIVITY")
	if strings.Contains(tm.screen(), "window too small") {
		t.Fatal("the notice stayed after the window grew")
	}
	tm.resize(59, 24)
	tm.waitText("have 59×24")
}

func TestView_FollowsResize(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	f.Post(t, bob, room, "hello")
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("hello")

	for _, size := range [][2]int{{120, 40}, {60, 16}, {80, 24}} {
		w, h := size[0], size[1]
		tm.resize(w, h)
		tm.waitFor("the layout to fill the window", func(string) bool {
			lines := tm.lines()
			return len(lines) == h &&
				strings.HasSuffix(strings.TrimRight(lines[0], " "), "Ada") && ansi.StringWidth(strings.TrimRight(lines[0], " ")) == w-1 &&
				strings.Contains(lines[h-1], "esc back") &&
				strings.HasPrefix(lines[h-7], "╭") && strings.HasSuffix(lines[h-7], "╮") && ansi.StringWidth(lines[h-7]) == w
		})
	}
}

func TestView_WideCharactersKeepBordersStraight(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo 🎨 design").ID
	f.Post(t, bob, room, strings.Repeat("👩‍💻🎨 ", 40))
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("👩‍💻")
	tm.press("i")
	tm.typeText("日本語 🎉 é")
	s := tm.waitText("日本語 🎉 é")
	for i, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "│") && !strings.HasSuffix(strings.TrimRight(l, " "), "│") {
			t.Fatalf("composer border broken on row %d:\n%s", i, s)
		}
		if w := ansi.StringWidth(l); w > 80 {
			t.Fatalf("row %d is %d cells wide:\n%s", i, w, s)
		}
	}
}

func TestView_HelpToggleShowsFullHelp(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("? more keys")
	if strings.Contains(tm.screen(), "refresh") {
		t.Fatal("short help shows the full key list")
	}
	tm.press("?")
	tm.waitText("refresh", "page down")
	tm.press("?")
	tm.waitFor("short help again", func(s string) bool { return !strings.Contains(s, "refresh") })
}

// TestView_SameLayoutIn256ColoursAndTrueColour opens the same room in a
// 256-colour terminal (what OpenSSH clients announce) and a true-colour
// one: the text on screen is identical, the 256-colour session receives
// no 24-bit colour sequence it could not show, and a colourless terminal
// gets no colour at all.
func TestView_SameLayoutIn256ColoursAndTrueColour(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design")
	m := f.Post(t, bob, room.ID, "a first sketch")
	// Read already, so no session shows the "new since" divider the first
	// one would.
	if err := f.Svc.MarkRead(workroomtest.As(ada), room.ID, m.ID); err != nil {
		t.Fatal(err)
	}

	screens := map[colorprofile.Profile]string{}
	outputs := map[colorprofile.Profile][]byte{}
	for _, p := range []colorprofile.Profile{colorprofile.ANSI256, colorprofile.TrueColor, colorprofile.Ascii} {
		tm := f.startIn(t, ada, room.ID, 80, 24, p)
		screens[p] = tm.waitText("a first sketch", "Logo design")
		outputs[p] = tm.output()
	}
	if screens[colorprofile.ANSI256] != screens[colorprofile.TrueColor] {
		t.Fatalf("256-colour screen:\n%s\ntrue-colour screen:\n%s", screens[colorprofile.ANSI256], screens[colorprofile.TrueColor])
	}
	if !bytes.Contains(outputs[colorprofile.ANSI256], []byte("38;5;")) {
		t.Error("the 256-colour session shows no colour at all")
	}
	if bytes.Contains(outputs[colorprofile.ANSI256], []byte("38;2;")) || bytes.Contains(outputs[colorprofile.ANSI256], []byte("48;2;")) {
		t.Error("the 256-colour session was sent 24-bit colour sequences")
	}
	if bytes.Contains(outputs[colorprofile.Ascii], []byte("38;5;")) || bytes.Contains(outputs[colorprofile.Ascii], []byte("38;2;")) {
		t.Error("a terminal without colour was sent colours")
	}
}

// The body's fit keeps the lines it cut; what it gives must be what fit
// gives, view after view, whatever changed between them.
func TestFitCache_GivesWhatFitGives(t *testing.T) {
	var c fitCache
	long := strings.Repeat("long line ", 20)
	views := []struct {
		s             string
		width, height int
	}{
		{"a\nb\n" + long, 40, 5},
		{"a\nb\n" + long, 40, 5},
		{"a\nc\n" + long + "\nd", 40, 5},
		{"a\nc\n" + long + "\nd", 30, 5},
		{"x\ny\nz\nw\nv\nu\nt", 30, 3},
		{"x\n" + long, 30, 4},
		{"", 30, 2},
		{"x", 30, 0},
	}
	for i, v := range views {
		if got, want := c.fit(v.s, v.width, v.height), fit(v.s, v.width, v.height); got != want {
			t.Fatalf("view %d: got %q, want %q", i, got, want)
		}
	}
}
