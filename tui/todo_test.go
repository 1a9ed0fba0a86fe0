package tui

import (
	"regexp"
	"strings"
	"testing"
)

// Ada and Bob both have the room's to-do list open: what Ada adds, ticks
// off, dates and assigns shows on Bob's screen as it happens.
func TestTodo_ChangesAppearLiveInAnotherSession(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo").ID
	adaTm := f.start(t, ada, room, 100, 24)
	bobTm := f.start(t, bob, room, 100, 24)
	for _, tm := range []*term{adaTm, bobTm} {
		tm.waitText("hired")
		tm.press("w")
		tm.waitText("widgets · To-do", "Nothing to do yet")
	}
	adaTm.press("a")
	adaTm.waitText("New item:")
	adaTm.typeText("Draw three sketches")
	adaTm.press(keyEnter)
	adaTm.waitText("[ ]  Draw three sketches")
	bobTm.waitText("[ ]  Draw three sketches")

	adaTm.press("x")
	bobTm.waitText("[x]  Draw three sketches")

	adaTm.press("d")
	adaTm.waitText("Due (YYYY-MM-DD")
	adaTm.typeText("2026-12-24")
	adaTm.press(keyEnter)
	bobTm.waitText("2026-12-24")

	adaTm.press("p")
	adaTm.waitText("Assign item 1 to:", "nobody", "Bob (freelancer)")
	adaTm.press("j")
	adaTm.press("j")
	adaTm.press(keyEnter)
	bobTm.waitFor("the item assigned to Bob", func(s string) bool {
		for _, l := range strings.Split(s, "\n") {
			if strings.Contains(l, "Draw three sketches") && strings.Contains(l, "Bob") {
				return true
			}
		}
		return false
	})

	bobTm.press("e")
	bobTm.waitText("Edit: Draw three sketches")
	bobTm.typeText(" and a logo")
	bobTm.press(keyEnter)
	adaTm.waitText("Draw three sketches and a logo")

	// Removing asks first: D once asks, another key keeps the item, D
	// twice removes it, on both screens.
	bobTm.press("D")
	bobTm.waitText("Press D again to remove item")
	bobTm.press("k")
	bobTm.waitFor("the question gone, the item kept", func(s string) bool {
		return !strings.Contains(s, "Press D again") && strings.Contains(s, "and a logo")
	})
	bobTm.press("D")
	bobTm.waitText("Press D again to remove item")
	bobTm.press("D")
	for _, tm := range []*term{bobTm, adaTm} {
		tm.waitFor("the item removed", func(s string) bool {
			return strings.Contains(s, "Nothing to do yet") && !strings.Contains(s, "and a logo")
		})
	}
}

// Every to-do key is in the help, and the widget area is reached from the
// room's help.
func TestTodo_KeysAreInTheHelp(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo").ID
	tm := f.start(t, ada, room, 120, 30)
	tm.waitText("hired", "w to-do")
	tm.press("w")
	tm.waitText("Nothing to do yet")
	tm.press("a")
	tm.typeText("One")
	tm.press(keyEnter)
	tm.waitText("[ ]  One")
	tm.press("?")
	tm.waitFor("every to-do key in the full help", func(s string) bool {
		for _, k := range []string{`a\s+add`, `e\s+edit`, `x/space\s+done/undone`, `p\s+assign a person`, `d\s+due date`, `D\s+remove \(press twice\)`, `r\s+reload`, `esc\s+back to the workroom`} {
			if !regexp.MustCompile(k).MatchString(s) {
				return false
			}
		}
		return true
	})
}

// A refused change (a date that is no date) says why and changes nothing.
func TestTodo_RefusalShowsInTheNotice(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo").ID
	tm := f.start(t, ada, room, 100, 24)
	tm.waitText("hired")
	tm.press("w")
	tm.waitText("Nothing to do yet")
	tm.press("a")
	tm.typeText("One")
	tm.press(keyEnter)
	tm.waitText("[ ]  One")
	tm.press("d")
	tm.typeText("tomorrow")
	tm.press(keyEnter)
	tm.waitText(`"tomorrow" is not a date`)
}
