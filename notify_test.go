package workroom_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/workroomtest"
)

// verified signs name up and verifies their address with the mailed code.
func verified(t *testing.T, w *workroomtest.World, name string) *workroom.Identity {
	t.Helper()
	id := w.SignUp(t, name)
	if err := w.Svc.Verify(workroomtest.As(id), w.Code(t, workroomtest.Email(name))); err != nil {
		t.Fatal(err)
	}
	return id
}

// notificationsTo returns the pending notification mails to email (those
// threaded under a room), oldest first.
func notificationsTo(t *testing.T, w *workroomtest.World, email string) []workroom.Mail {
	t.Helper()
	mails, err := w.Outbox.Pending(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []workroom.Mail
	for _, m := range mails {
		if m.To == email && m.References != "" {
			out = append(out, m)
		}
	}
	return out
}

func TestPost_NotifiesOtherMemberWithVerifiedAddress(t *testing.T) {
	w := workroomtest.New(t, workroomtest.WithConnectHint("ssh -p 2222 workroom.example"))
	ada, bob := verified(t, w, "Ada"), verified(t, w, "Bob")
	r := w.Room(t, ada, bob, "Logo design")
	before := len(notificationsTo(t, w, workroomtest.Email("Bob")))
	w.Post(t, ada, r.ID, "First sketches are in the files.")

	got := notificationsTo(t, w, workroomtest.Email("Bob"))
	if len(got) != before+1 {
		t.Fatalf("Bob has %d notifications after Ada posted, want %d", len(got), before+1)
	}
	m := got[len(got)-1]
	root := "<room-" + itoa(r.ID) + "." + strconv.FormatUint(uint64(bob.User.ID), 10) + "@" + workroomtest.MailDomain + ">"
	if m.Subject != "[workroom] Logo design" || m.InReplyTo != root || m.References != root {
		t.Errorf("subject %q, In-Reply-To %q, References %q; want [workroom] Logo design and %s", m.Subject, m.InReplyTo, m.References, root)
	}
	for _, want := range []string{"Ada wrote", "Logo design", "First sketches are in the files.",
		"ssh -t -p 2222 workroom.example open " + itoa(r.ID),
		"ssh -p 2222 workroom.example notify " + itoa(r.ID) + " off"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Body)
		}
	}
	if n := len(notificationsTo(t, w, workroomtest.Email("Ada"))); n != 0 {
		t.Errorf("the author got %d notifications of their own message", n)
	}
}

func TestPost_NoNotificationToUnverifiedMember(t *testing.T) {
	w := workroomtest.New(t)
	ada, bob := verified(t, w, "Ada"), w.SignUp(t, "Bob")
	r := w.Room(t, ada, bob, "Logo design")
	w.Post(t, ada, r.ID, "hello")
	if n := len(notificationsTo(t, w, workroomtest.Email("Bob"))); n != 0 {
		t.Fatalf("unverified Bob got %d notifications", n)
	}
}

func TestPost_NoNotificationToMemberLookingAtTheRoom(t *testing.T) {
	w := workroomtest.New(t)
	ada, bob := verified(t, w, "Ada"), verified(t, w, "Bob")
	r := w.Room(t, ada, bob, "Logo design")
	before := len(notificationsTo(t, w, workroomtest.Email("Bob")))
	enter(t, w, bob, subscribe(t, w, bob), r.ID)
	w.Post(t, ada, r.ID, "hello")
	if n := len(notificationsTo(t, w, workroomtest.Email("Bob"))); n != before {
		t.Fatalf("Bob, looking at the room, got %d new notifications", n-before)
	}
}

func TestSetNotify_OffStopsNotificationsAndOnResumes(t *testing.T) {
	w := workroomtest.New(t)
	ada, bob := verified(t, w, "Ada"), verified(t, w, "Bob")
	r := w.Room(t, ada, bob, "Logo design")
	before := len(notificationsTo(t, w, workroomtest.Email("Bob")))
	if err := w.Svc.SetNotify(workroomtest.As(bob), r.ID, false); err != nil {
		t.Fatal(err)
	}
	w.Post(t, ada, r.ID, "quiet")
	if n := len(notificationsTo(t, w, workroomtest.Email("Bob"))); n != before {
		t.Fatalf("Bob turned notifications off and got %d", n-before)
	}
	if m, err := w.Svc.Room(workroomtest.As(bob), r.ID); err != nil || m.Notify {
		t.Fatalf("Bob's row = %+v, %v; want notify off", m, err)
	}
	if err := w.Svc.SetNotify(workroomtest.As(bob), r.ID, true); err != nil {
		t.Fatal(err)
	}
	w.Post(t, ada, r.ID, "loud")
	if n := len(notificationsTo(t, w, workroomtest.Email("Bob"))); n != before+1 {
		t.Fatalf("Bob turned notifications on and has %d new, want 1", n-before)
	}
}

func TestSetNotify_OutsiderHearsNoSuchRoom(t *testing.T) {
	w := workroomtest.New(t)
	ada, bob, eve := verified(t, w, "Ada"), verified(t, w, "Bob"), w.SignUp(t, "Eve")
	r := w.Room(t, ada, bob, "Logo design")
	wantCode(t, w.Svc.SetNotify(workroomtest.As(eve), r.ID, false), workroom.ENOTFOUND)
}

func TestPost_NotificationOnlyWithTheStoredMessage(t *testing.T) {
	var fail bool
	w := workroomtest.New(t, workroomtest.WithStore(func(db *store.DB) workroom.Store {
		return switchable{DB: db, fail: &fail}
	}))
	ada, bob := verified(t, w, "Ada"), verified(t, w, "Bob")
	r := w.Room(t, ada, bob, "Logo design")
	before := len(notificationsTo(t, w, workroomtest.Email("Bob")))
	fail = true
	if _, err := w.Svc.Post(workroomtest.As(ada), r.ID, "lost", workroom.SourceCommand); err == nil {
		t.Fatal("post succeeded over a failing store")
	}
	if n := len(notificationsTo(t, w, workroomtest.Email("Bob"))); n != before {
		t.Fatalf("a message that was not stored left %d notifications in the outbox", n-before)
	}
	// The same wrapper lets a message through: its mail is in the outbox
	// the moment the post returns, written by the same AppendMessage.
	fail = false
	w.Post(t, ada, r.ID, "kept")
	if n := len(notificationsTo(t, w, workroomtest.Email("Bob"))); n != before+1 {
		t.Fatalf("a stored message left %d notifications, want 1", n-before)
	}
}

// switchable is a store whose AppendMessage fails while *fail is set,
// writing nothing, mails included.
type switchable struct {
	*store.DB
	fail *bool
}

func (s switchable) AppendMessage(ctx context.Context, m *workroom.Message, mails []workroom.Mail) (*workroom.Room, []workroom.Member, error) {
	if *s.fail {
		return nil, nil, errors.New("disk full")
	}
	return s.DB.AppendMessage(ctx, m, mails)
}
