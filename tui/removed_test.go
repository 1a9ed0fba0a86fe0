package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestInvite_RoomAppearsLiveInTheInviteesList(t *testing.T) {
	f := newFixture(t)
	ada, bob, tess := f.SignUp(t, "Ada"), f.SignUp(t, "Bob"), f.SignUp(t, "Tess")
	f.Verify(t, tess)
	room := f.Room(t, ada, bob, "Bakery logo").ID
	tm := f.start(t, tess, 0, 80, 24)
	tm.waitText("No workrooms yet")
	if _, err := f.Svc.Invite(workroomtest.As(ada), room, tess.User.Email, workroom.RoleGuest); err != nil {
		t.Fatal(err)
	}
	tm.waitFor("the room in Tess's list", func(s string) bool {
		return regexp.MustCompile(`Bakery logo\s+guest`).MatchString(s)
	})
}

func TestRemove_OpenRoomLeavesWithANoticeAndTheListDropsIt(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Bakery logo").ID
	other := f.Room(t, ada, bob, "Menu card").ID
	tess := f.Member(t, ada, room, "Tess", workroom.RoleTeam)
	if _, err := f.Svc.Invite(workroomtest.As(ada), other, tess.User.Email, workroom.RoleTeam); err != nil {
		t.Fatal(err)
	}
	f.Post(t, ada, room, "welcome, Tess")
	tm := f.start(t, tess, room, 80, 24)
	tm.waitText("welcome, Tess")

	if _, err := f.Svc.Remove(workroomtest.As(ada), room, "Tess"); err != nil {
		t.Fatal(err)
	}
	screen := tm.waitText(fmt.Sprintf("You were removed from workroom #%d", room), "Menu card")
	if strings.Contains(screen, "Bakery logo") || strings.Contains(screen, "welcome, Tess") {
		t.Fatalf("the room still shows after removal:\n%s", screen)
	}
}
