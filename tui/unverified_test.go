package tui

import (
	"context"
	"testing"

	"github.com/workroom/workroom"
)

func TestRoom_MarksAMailFromAnUnverifiedSender(t *testing.T) {
	f := newFixture(t)
	ada, bob := f.SignUp(t, "Ada"), f.SignUp(t, "Bob")
	room := f.Room(t, ada, bob, "Logo design").ID
	m := &workroom.Message{RoomID: room, AuthorID: bob.User.ID, AuthorName: "Bob", Body: "sent by mail", Source: workroom.SourceEmail, Created: f.Now(), Unverified: true}
	if _, _, err := f.DB.AppendMessage(context.Background(), m, nil); err != nil {
		t.Fatal(err)
	}
	tm := f.start(t, ada, room, 100, 24)
	tm.waitText("sent by mail", "via email (unverified sender)")
}
