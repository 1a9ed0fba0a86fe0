package command

import (
	"context"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestMessages_MarksAMailFromAnUnverifiedSender(t *testing.T) {
	w := newWorld(t)
	client, fred := w.signUp("Carla"), w.signUp("Fred")
	room := w.awardedRoom(client, fred, "Logo")
	id, err := w.Svc.Authenticate(context.Background(), fred)
	if err != nil {
		t.Fatal(err)
	}
	m := &workroom.Message{RoomID: workroom.RoomID(room), AuthorID: id.User.ID, AuthorName: "Fred", Body: "by mail", Source: workroom.SourceEmail, Created: w.Now(), Unverified: true}
	if _, _, err := w.DB.AppendMessage(context.Background(), m, nil); err != nil {
		t.Fatal(err)
	}
	if out := w.ok(client, "messages", itoa(room)); !strings.Contains(out, "via email (unverified sender)") {
		t.Errorf("messages = %q, want the mail marked unverified", out)
	}
	if page := decode[workroom.Page](t, w.ok(client, "messages", itoa(room), "--json")); !page.Messages[0].Unverified {
		t.Errorf("JSON message %+v, want unverified true", page.Messages[0])
	}
}

func TestWhoami_SaysWhenMailToTheAddressBounced(t *testing.T) {
	w := newWorld(t)
	ada := w.signUp("Ada")
	w.ok(ada, "verify", w.Code(t, workroomtest.Email("Ada")))
	if _, err := w.Svc.MailBounced(context.Background(), []string{workroomtest.Email("Ada")}); err != nil {
		t.Fatal(err)
	}
	if out := w.ok(ada, "whoami"); !strings.Contains(out, "undeliverable: mail to it bounced, so notifications stopped; fix the mailbox, then run `verify --resend` and `verify CODE`") {
		t.Errorf("whoami = %q", out)
	}
	w.Advance(2 * 60e9)
	w.ok(ada, "verify", "--resend")
	w.ok(ada, "verify", w.Code(t, workroomtest.Email("Ada")))
	if out := w.ok(ada, "whoami"); !strings.Contains(out, "(verified)") {
		t.Errorf("after verifying again, whoami = %q", out)
	}
}
