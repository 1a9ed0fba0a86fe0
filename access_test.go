package workroom_test

import (
	"context"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// watchAccess watches id's access, as a session does, and returns a
// channel that gets the reason once it ends.
func watchAccess(w *workroomtest.World, id *workroom.Identity) (<-chan string, func()) {
	ch := make(chan string, 1)
	stop := w.Svc.WatchAccess(ctx, id, func(reason string) { ch <- reason })
	return ch, stop
}

// revokedWith returns the reason ch got, or "" when it got none.
func revokedWith(ch <-chan string) string {
	select {
	case r := <-ch:
		return r
	default:
		return ""
	}
}

func TestWatchAccess_RemovedKeyEndsItsSessionsOnly(t *testing.T) {
	w := newWorld(t)
	ada := w.SignUp(t, "Ada")
	second := workroomtest.Key("Ada laptop")
	w.AddKey(t, ada, second)
	laptop := &workroom.Identity{Key: second, User: ada.User}
	first1, stop1 := watchAccess(w, ada)
	defer stop1()
	first2, stop2 := watchAccess(w, ada) // a second session of the same key
	defer stop2()
	other, stop3 := watchAccess(w, laptop)
	defer stop3()

	if err := w.Svc.RemoveKey(workroom.NewContextWithIdentity(context.Background(), laptop), ada.Key.Fingerprint); err != nil {
		t.Fatal(err)
	}
	for i, ch := range []<-chan string{first1, first2} {
		if got := revokedWith(ch); got != workroom.ReasonKeyRemoved {
			t.Errorf("session %d of the removed key heard %q, want %q", i+1, got, workroom.ReasonKeyRemoved)
		}
	}
	if got := revokedWith(other); got != "" {
		t.Errorf("the account's other key was told %q; it must keep working", got)
	}
}

func TestWatchAccess_FiresAtOnceWhenAlreadyRevoked(t *testing.T) {
	w := newWorld(t)
	ada := w.SignUp(t, "Ada")
	w.AddKey(t, ada, workroomtest.Key("Ada laptop"))
	// The session authenticated before the key was removed, and only
	// subscribes after.
	if err := w.Svc.RemoveKey(workroomtest.As(ada), ada.Key.Fingerprint); err != nil {
		t.Fatal(err)
	}
	ch, stop := watchAccess(w, ada)
	defer stop()
	if got := revokedWith(ch); got != workroom.ReasonKeyRemoved {
		t.Errorf("watching a key already removed heard %q, want %q", got, workroom.ReasonKeyRemoved)
	}
}

func TestDisableUser_EndsEverySessionOfTheAccount(t *testing.T) {
	w := newWorld(t)
	admin, ada, bob := w.SignUp(t, "admin-key"), w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	laptop := workroomtest.Key("Ada laptop")
	w.AddKey(t, ada, laptop)
	adaCh, stop1 := watchAccess(w, ada)
	defer stop1()
	laptopCh, stop2 := watchAccess(w, &workroom.Identity{Key: laptop, User: ada.User})
	defer stop2()
	bobCh, stop3 := watchAccess(w, bob)
	defer stop3()

	asAdmin := workroom.NewContextWithIdentity(context.Background(), admin)
	if err := w.Svc.DisableUser(asAdmin, ada.User.ID); err != nil {
		t.Fatal(err)
	}
	for name, ch := range map[string]<-chan string{"first key": adaCh, "laptop key": laptopCh} {
		if got := revokedWith(ch); got != workroom.ReasonDisabled {
			t.Errorf("%s heard %q, want %q", name, got, workroom.ReasonDisabled)
		}
	}
	if got := revokedWith(bobCh); got != "" {
		t.Errorf("another account was told %q", got)
	}
	_, err := w.Svc.Authenticate(context.Background(), ada.Key)
	wantCode(t, err, workroom.EFORBIDDEN)
}

func TestDisableUser_OnlyByAnAdministrator(t *testing.T) {
	w := newWorld(t)
	admin, ada, bob := w.SignUp(t, "admin-key"), w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	as := func(id *workroom.Identity) context.Context {
		return workroom.NewContextWithIdentity(context.Background(), id)
	}
	wantCode(t, w.Svc.DisableUser(as(ada), bob.User.ID), workroom.EFORBIDDEN)
	wantCode(t, w.Svc.DisableUser(context.Background(), bob.User.ID), workroom.EFORBIDDEN)
	wantCode(t, w.Svc.DisableUser(as(admin), admin.User.ID), workroom.EINVALID)
	wantCode(t, w.Svc.DisableUser(as(admin), 999), workroom.ENOTFOUND)
	if _, err := w.Svc.Authenticate(context.Background(), bob.Key); err != nil {
		t.Errorf("bob after refused disables: %v", err)
	}
}

func TestWrites_RefusedOnceTheSessionEnded(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	room := w.Room(t, ada, bob, "Logo")
	ended, cancel := context.WithCancel(workroomtest.As(ada))
	cancel()

	_, err := w.Svc.Post(ended, room.ID, "half a message", workroom.SourceCommand)
	wantCode(t, err, workroom.EUNAVAILABLE)
	_, err = w.Svc.PostJob(ended, "A job", "")
	wantCode(t, err, workroom.EUNAVAILABLE)
	page, err := w.Svc.Messages(workroomtest.As(ada), room.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) != 1 || page.Messages[0].Source != workroom.SourceSystem {
		t.Errorf("a post from an ended session stored: %+v, want only the hired notice", page.Messages)
	}
	if jobs, _ := w.Svc.MyJobs(workroomtest.As(ada), 0, 0); len(jobs.Jobs) != 1 {
		t.Errorf("ada has %d jobs, want only the one the room came from", len(jobs.Jobs))
	}
}
