package workroomtest

import (
	"context"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
)

// UsersAsStored is a WithStore wrap under which every user the store
// returns first passes through edit. A test uses it to give someone a name
// the service refuses at sign-up but a store may still hold (written
// before the rule, or by another front end): every way out must show such
// text safely too. Signing in reads the user from the store, so the edited
// name is the one the service stamps on that person's jobs, proposals and
// messages.
func UsersAsStored(edit func(*workroom.User)) func(*store.DB) workroom.Store {
	return func(db *store.DB) workroom.Store { return editedUsers{DB: db, edit: edit} }
}

type editedUsers struct {
	*store.DB
	edit func(*workroom.User)
}

func (s editedUsers) User(ctx context.Context, id workroom.UserID) (*workroom.User, error) {
	u, err := s.DB.User(ctx, id)
	if err == nil {
		s.edit(u)
	}
	return u, err
}

// JobAsStored puts an open job of client's straight into the store, past
// the service's rules on titles, as a store may hold it (written before a
// rule, or by another front end). Proposals and awards on it then go
// through the service as usual; the room an award makes takes its title.
func (w *World) JobAsStored(t testing.TB, client *workroom.Identity, title, description string) *workroom.Job {
	t.Helper()
	j := &workroom.Job{
		ClientID: client.User.ID, ClientName: client.User.Name, Title: title, Description: description,
		Status: workroom.JobOpen, Created: w.Now(),
	}
	if err := w.DB.CreateJob(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	return j
}
