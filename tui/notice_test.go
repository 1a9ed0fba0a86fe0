package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/workroom/workroom/workroomtest"
)

// layoutSizes are the windows every screen is checked at: the smallest
// the app draws, the classic terminal, a large one and a very wide one.
var layoutSizes = [][2]int{{60, 16}, {80, 24}, {120, 40}, {200, 50}}

// joined is the screen's text as one line: rows trimmed and joined by a
// space, so a notice wrapped over rows reads as it was written.
func joined(screen string) string {
	var rows []string
	for _, l := range strings.Split(screen, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			rows = append(rows, l)
		}
	}
	return strings.Join(rows, " ")
}

// forEachSize runs a subtest per layout size.
func forEachSize(t *testing.T, run func(t *testing.T, w, h int)) {
	for _, s := range layoutSizes {
		t.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(t *testing.T) { run(t, s[0], s[1]) })
	}
}

func TestNotice_WrapsInsteadOfBeingCut(t *testing.T) {
	resend := regexp.MustCompile(`a code was sent less than a minute ago; check ada@example\.com, or wait a minute \(until [^)]+\) and ask again; press ctrl\+r to ask`)
	forEachSize(t, func(t *testing.T, w, h int) {
		f := newFixture(t)
		ada := f.SignUp(t, "Ada")
		tm := f.start(t, ada, 0, w, h)
		tm.waitText("not verified yet")
		tm.press("v")
		tm.waitText("Confirm your email address")
		tm.press(keyCtrlR)
		tm.waitFor("the whole resend refusal", func(s string) bool { return resend.MatchString(joined(s)) })
	})
}

func TestNotice_AwardQuestionKeepsItsYesNo(t *testing.T) {
	forEachSize(t, func(t *testing.T, w, h int) {
		f := newFixture(t)
		ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bartholomew Cornelius Fitzgerald-Smythe")
		j, err := f.Svc.PostJob(workroomtest.As(ada), "Logo", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Svc.Propose(workroomtest.As(bob), j.ID, "I can do it"); err != nil {
			t.Fatal(err)
		}
		tm := f.start(t, ada, 0, w, h)
		tm.waitText("No workrooms yet")
		tm.press("J")
		tm.waitText("1 proposal")
		tm.press(keyEnter)
		tm.waitText("Proposals on job")
		tm.press("a")
		want := "Award job #1 to Bartholomew Cornelius Fitzgerald-Smythe? This creates the workroom and closes the job. y/n"
		tm.waitFor("the whole award question", func(s string) bool { return strings.Contains(joined(s), want) })
	})
}
