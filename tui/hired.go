package tui

import (
	"fmt"

	"github.com/workroom/workroom"
)

// hiredNotice is what the freelancer's screen says the moment a client
// awards them a job, whatever pane is showing: the award's room event
// carries the hired notice (the room's first message), and the room
// itself appears in the workroom list with it unread.
func hiredNotice(ev workroom.Event) (notice, bool) {
	if ev.Kind != workroom.EventRoom || ev.Message == nil || ev.Row == nil || ev.Row.Role != workroom.RoleFreelancer {
		return notice{}, false
	}
	return okNotice(fmt.Sprintf("%s hired you for “%s”: workroom #%d is open in your list.",
		oneLine(ev.Message.AuthorName), oneLine(ev.Row.Title), ev.Row.ID)), true
}
