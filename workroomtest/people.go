package workroomtest

import (
	"testing"

	"github.com/workroom/workroom"
)

// Verify verifies id's address with the code mailed to it, as a person
// does, and refreshes id.User.
func (w *World) Verify(t testing.TB, id *workroom.Identity) {
	t.Helper()
	if err := w.Svc.Verify(As(id), w.Code(t, id.User.Email)); err != nil {
		t.Fatal(err)
	}
	u, err := w.DB.User(As(id), id.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	id.User = u
}

// Member signs up a verified account called name and has client invite
// it into room with role (team or guest), so it is a member at once.
func (w *World) Member(t testing.TB, client *workroom.Identity, room workroom.RoomID, name string, role workroom.Role) *workroom.Identity {
	t.Helper()
	id := w.SignUp(t, name)
	w.Verify(t, id)
	if _, err := w.Svc.Invite(As(client), room, id.User.Email, role); err != nil {
		t.Fatal(err)
	}
	return id
}
