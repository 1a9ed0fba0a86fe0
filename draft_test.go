package workroom_test

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestDraft_KeptPerMemberShownInTheListClearedOnPost(t *testing.T) {
	w := newWorld(t)
	carla, fred, olga := w.SignUp(t, "Carla"), w.SignUp(t, "Fred"), w.SignUp(t, "Olga")
	r := w.Room(t, carla, fred, "Logo")
	client, free := workroomtest.As(carla), workroomtest.As(fred)

	if err := w.Svc.SaveDraft(client, r.ID, "half a thought"); err != nil {
		t.Fatal(err)
	}
	if d, err := w.Svc.Draft(client, r.ID); err != nil || d != "half a thought" {
		t.Fatalf("Draft = %q, %v", d, err)
	}
	if d, _ := w.Svc.Draft(free, r.ID); d != "" {
		t.Fatalf("the freelancer sees the client's draft %q", d)
	}
	if rooms := roomsOf(t, w, client); !rooms[0].Draft {
		t.Fatal("the room list does not say the client keeps a draft")
	}
	if rooms := roomsOf(t, w, free); rooms[0].Draft {
		t.Fatal("the room list says the freelancer keeps a draft")
	}
	if m, _ := w.Svc.Room(client, r.ID); !m.Draft {
		t.Fatal("Room does not say the client keeps a draft")
	}
	_, err := w.Svc.Draft(workroomtest.As(olga), r.ID)
	wantCode(t, err, workroom.ENOTFOUND)
	wantCode(t, w.Svc.SaveDraft(workroomtest.As(olga), r.ID, "let me in"), workroom.ENOTFOUND)
	wantCode(t, w.Svc.SaveDraft(client, r.ID, strings.Repeat("x", workroom.MaxBodyLength+1)), workroom.EINVALID)

	// Another member posting leaves the draft; the author posting drops it.
	w.Post(t, fred, r.ID, "hello")
	if d, _ := w.Svc.Draft(client, r.ID); d != "half a thought" {
		t.Fatalf("someone else's post dropped the draft: %q", d)
	}
	w.Post(t, carla, r.ID, "the whole thought")
	if d, _ := w.Svc.Draft(client, r.ID); d != "" {
		t.Fatalf("posting left the draft %q", d)
	}
	if rooms := roomsOf(t, w, client); rooms[0].Draft {
		t.Fatal("the room list still shows a draft after posting")
	}
	// Spaces only is no draft.
	_ = w.Svc.SaveDraft(client, r.ID, "x")
	_ = w.Svc.SaveDraft(client, r.ID, "  \n ")
	if rooms := roomsOf(t, w, client); rooms[0].Draft {
		t.Fatal("a draft of spaces is kept")
	}
}
