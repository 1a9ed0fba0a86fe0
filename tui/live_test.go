package tui

import (
	"log/slog"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
	"github.com/workroom/workroom/workroomtest"
)

func TestProgram_EndOfSessionClosesSubscription(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("LAST ACTIVITY")
	if _, online := f.Hub.Where(ada.User.ID); !online {
		t.Fatal("a running TUI is not subscribed to the hub")
	}
	tm.cancel() // the SSH session ends
	tm.waitEnded()
	workroomtest.WaitUntil(t, "the subscription to close", func() bool {
		_, online := f.Hub.Where(ada.User.ID)
		return !online
	})
}

func TestProgram_QuitFromListClosesSubscription(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("LAST ACTIVITY")
	tm.press("q")
	tm.waitEnded()
	if _, online := f.Hub.Where(ada.User.ID); online {
		t.Fatal("the subscription outlived the program")
	}
}

func TestProgram_CtrlCQuitsFromTheComposer(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("hired") // the hired notice opens every room
	tm.press("i")
	tm.waitText("enter send")
	tm.press(keyCtrlC)
	tm.waitEnded()
}

func TestShutdown_ShowsNoticeAndQuits(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("LAST ACTIVITY")
	f.Svc.Shutdown()
	tm.waitText("server is stopping")
	tm.waitEnded()
}

// When the hub drops events for a slow session, the session reloads what it
// shows from the service.
func TestStale_ReloadsShownRoomFromService(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	tm := f.start(t, ada, room, 80, 24)
	tm.waitText("hired") // the hired notice opens every room

	// A message the hub never tells this session about: posted through a
	// service with a hub of its own.
	other := workroom.NewService(f.DB, live.New(), workroom.Config{MailDomain: "test.localhost", Limits: workroom.NoLimits}, slog.New(slog.DiscardHandler))
	if _, err := other.Post(workroomtest.As(bob), room, "missed by the hub", workroom.SourceCommand); err != nil {
		t.Fatal(err)
	}
	tm.prog.Send(staleMsg{})
	tm.waitText("missed by the hub")
}
