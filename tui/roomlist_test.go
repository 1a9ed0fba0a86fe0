package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// unreadRow matches the list row of a room with the given unread count.
func unreadRow(title, unread string) *regexp.Regexp {
	return regexp.MustCompile(regexp.QuoteMeta(title) + `\s+(client|freelancer)\s+` + unread + `\s+(just now|\d+ min ago)`)
}

func TestRoomList_ShowsRoomsWithRoleUnreadAndActivity(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	f.Room(t, ada, bob, "Logo design")
	quiet := f.Room(t, ada, bob, "Website").ID
	busy := f.Room(t, ada, bob, "Translation").ID
	f.Post(t, bob, busy, "one")
	f.Post(t, bob, busy, "two")
	_ = quiet

	tm := f.start(t, ada, 0, 80, 24)
	s := tm.waitText("Translation", "Website", "Logo design")
	if !unreadRow("Translation", "2").MatchString(s) {
		t.Fatalf("Translation row does not show 2 unread:\n%s", s)
	}
	// Most recently active first.
	if strings.Index(s, "Translation") > strings.Index(s, "Logo design") {
		t.Fatalf("rooms not in order of last activity:\n%s", s)
	}
	if tm2 := f.start(t, bob, 0, 80, 24); !regexp.MustCompile(`Website\s+freelancer`).MatchString(tm2.waitText("Website")) {
		t.Fatalf("freelancer's list does not show their role:\n%s", tm2.screen())
	}
}

func TestRoomList_UnreadCountUpdatesLiveWhenAnotherUserPosts(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("Logo design")

	f.Post(t, bob, room, "first draft attached")
	tm.waitFor("1 unread", func(s string) bool { return unreadRow("Logo design", "1").MatchString(s) })
	f.Post(t, bob, room, "and a second one")
	tm.waitFor("2 unread", func(s string) bool { return unreadRow("Logo design", "2").MatchString(s) })

	// Opening the room reads it; back in the list the count is gone.
	tm.press(keyEnter)
	tm.waitText("and a second one")
	tm.press(keyEsc)
	tm.waitFor("no unread", func(s string) bool {
		return strings.Contains(s, "LAST ACTIVITY") && !unreadRow("Logo design", "[0-9]+").MatchString(s)
	})
}

func TestOpen_RoomOfOthersIsRefusedLikeAMissingOne(t *testing.T) {
	f := newFixture(t)
	ada, bob, eve := f.SignUp(t, "Ada"), f.SignUp(t, "Bob"), f.SignUp(t, "Eve")
	theirs := f.Room(t, ada, bob, "Secret project").ID

	// Eve asks for a real room she is not in, then for one that does not exist.
	tm := f.start(t, eve, theirs, 80, 24)
	got := tm.waitText("no such workroom")
	missing := theirs + 1000
	tm2 := f.start(t, eve, missing, 80, 24)
	got2 := tm2.waitText("no such workroom")

	noticeLine := func(s string) string {
		for _, l := range strings.Split(s, "\n") {
			if strings.Contains(l, "no such workroom") {
				return strings.TrimSpace(l)
			}
		}
		return ""
	}
	a := strings.Replace(noticeLine(got), fmt.Sprint(theirs), "N", 1)
	b := strings.Replace(noticeLine(got2), fmt.Sprint(missing), "N", 1)
	if a != b {
		t.Fatalf("outsider told apart a real room from a missing one:\n%q\n%q", a, b)
	}
	if strings.Contains(got, "Secret project") {
		t.Fatalf("outsider saw the room's title:\n%s", got)
	}
}

func TestRoomList_AwardedRoomAppearsLiveForTheFreelancer(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	tm := f.start(t, bob, 0, 80, 24)
	tm.waitText("No workrooms yet")

	f.Room(t, ada, bob, "Bakery logo") // Ada posts, Bob proposes, Ada awards
	tm.waitFor("the new room in Bob's list", func(s string) bool {
		return regexp.MustCompile(`Bakery logo\s+freelancer`).MatchString(s)
	})
}

func TestRoomList_ScrollingDownLoadsFurtherPagesToTheOldest(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	const n = workroom.DefaultPageSize + 12
	for i := range n {
		f.Room(t, ada, bob, fmt.Sprintf("Room %03d", i))
	}
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText(fmt.Sprintf("Room %03d", n-1))
	for i := 0; !strings.Contains(tm.screen(), "Room 000"); i++ {
		if i > n {
			t.Fatalf("never reached the oldest workroom; screen:\n%s", tm.screen())
		}
		before := tm.screen()
		tm.press(keyPgDown)
		tm.waitFor("the list to move or load", func(s string) bool { return s != before })
	}
	if s := tm.screen(); strings.Contains(s, "loading more") {
		t.Fatalf("still promises more after the oldest workroom:\n%s", s)
	}
}

func TestRoomList_CompletedRoomIsMarkedLive(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.start(t, bob, 0, 80, 24)
	tm.waitText("Logo design")
	if strings.Contains(tm.screen(), "(completed)") {
		t.Fatalf("a room in progress shows completed:\n%s", tm.screen())
	}
	if _, err := f.Svc.Complete(workroomtest.As(ada), room); err != nil {
		t.Fatal(err)
	}
	tm.waitText("Logo design (completed)")
	tm.press(keyEnter)
	tm.waitText("· completed", "marked the job complete")
}
