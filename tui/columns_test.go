package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A title longer than any column, with wide characters in it.
const longTitle = "日本語のロゴ 🎨 Logo design for a bakery with a name far too long for any column"

func TestLayout_ColumnsKeepTheirGapWithLongWideTitles(t *testing.T) {
	roomRow := regexp.MustCompile(`#1\s+日本語.*…  +client +(\d+ +)?just now`)
	jobRow := regexp.MustCompile(`#1\s+日本語.*…  +awarded → workroom #1`)
	forEachSize(t, func(t *testing.T, w, h int) {
		f := newFixture(t)
		ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
		f.Room(t, ada, bob, longTitle)
		tm := f.start(t, ada, 0, w, h)
		s := tm.waitFor("the room's row, cut with a gap", roomRow.MatchString)
		role := strings.Index(lineWith(s, "ROLE"), "ROLE")
		if ansiCol := ansi.StringWidth(lineWith(s, "ROLE")[:role]); ansiCol > 90 {
			t.Errorf("ROLE starts at column %d of %d: the columns float right", ansiCol, w)
		}
		for _, l := range tm.lines() {
			if ansi.StringWidth(l) > w {
				t.Fatalf("a row is wider than the window:\n%s", s)
			}
		}
		tm.press("J")
		tm.waitFor("the job's row, cut with a gap", jobRow.MatchString)
	})
}

func TestLayout_MessagesKeepAComfortableMeasureAndMarkers(t *testing.T) {
	forEachSize(t, func(t *testing.T, w, h int) {
		f := newFixture(t)
		ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
		room := f.Room(t, ada, bob, "Logo").ID
		f.Post(t, bob, room, strings.Repeat("word ", 40)+"END")
		tm := f.start(t, ada, room, w, h)
		s := tm.waitText("END")
		for _, l := range strings.Split(s, "\n") {
			if strings.Contains(l, "word") && ansi.StringWidth(strings.TrimRight(l, " ")) > maxMeasure+2 {
				t.Fatalf("a body line is %d cells wide, over the measure:\n%s", ansi.StringWidth(strings.TrimRight(l, " ")), s)
			}
			if strings.HasPrefix(l, "newest first") {
				t.Fatalf("a stray label at column 0:\n%s", s)
			}
		}
		if h >= 24 { // below the long message: out of sight at 16 rows
			tm.waitText("new since you last read", "start of the workroom")
		}
	})
}

func TestLayout_FullHelpDoesNotOfferMoreKeys(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("? more keys")
	tm.press("?")
	s := tm.waitText("? fewer keys", "refresh")
	if strings.Contains(s, "more keys") {
		t.Fatalf("full help still offers more keys:\n%s", s)
	}
}

func TestComposer_SaysWhenLinesAreHiddenAbove(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo").ID
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("i or tab to start")
	tm.press("i")
	s := tm.waitText("enter sends")
	if strings.Contains(s, "i or tab to start") {
		t.Fatalf("the focused composer still says how to start:\n%s", s)
	}
	for _, l := range []string{"one", "two", "three", "four", "five"} {
		tm.typeText(l)
		tm.press(keyAltEnter)
	}
	tm.waitFor("a note of the lines above", regexp.MustCompile(`↑ \d more lines`).MatchString)
}
