package command

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/workroomtest"
)

// fullDisk is a store whose disk is full: each message write fails as the
// bbolt store reports it, EUNAVAILABLE for people with the cause inside.
type fullDisk struct{ *store.DB }

var errDiskFull = fmt.Errorf("disk full at /srv/data/workroom.db: write: %w%w", syscall.ENOSPC,
	workroom.Errorf(workroom.EUNAVAILABLE, "the server cannot store anything right now; try again later"))

func (fullDisk) AppendMessage(context.Context, *workroom.Message, []workroom.Mail) (*workroom.Room, []workroom.Member, error) {
	return nil, nil, errDiskFull
}

func TestPost_OnAFullDiskTellsTheUserToRetryAndLogsTheCause(t *testing.T) {
	w := newWorld(t, workroomtest.WithStore(func(db *store.DB) workroom.Store { return fullDisk{db} }))
	client, fred := w.signUp("Carla"), w.signUp("Fred")
	room := itoa(w.awardedRoom(client, fred, "Logo"))

	refused(t, w.run(client, "", "post", room, "hello"), "the server cannot store anything right now; try again later")
	logs := w.logs.String()
	if !strings.Contains(logs, `"level":"ERROR"`) || !strings.Contains(logs, "disk full at /srv/data/workroom.db") {
		t.Errorf("the log does not name the cause:\n%s", logs)
	}
}
