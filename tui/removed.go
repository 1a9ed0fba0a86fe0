package tui

import (
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// Removal from a workroom shows at once: the room leaves the list, and a
// terminal showing it (or anything opened from it) goes back to the list
// with a notice saying why, so nobody keeps typing into a room that will
// refuse them.

// removedNotice is what a person removed from a room is told.
func removedNotice(room workroom.RoomID) notice {
	return notice{text: fmt.Sprintf("You were removed from workroom #%d by its client; it is no longer in your list.", room), kind: noticeError}
}

// leaveRemovedRoom closes the panes of a room the person was removed
// from: the room and every pane above it.
func (m *model) leaveRemovedRoom(room workroom.RoomID) tea.Cmd {
	at := slices.IndexFunc(m.stack, func(p pane) bool {
		r, ok := p.(*roomPane)
		return ok && r.id == room
	})
	if at < 1 {
		return nil
	}
	return m.reveal(at, removedNotice(room), nil)
}

// dropRoom takes a room out of the list (and out of a broadcast's
// selection).
func (m *roomList) dropRoom(room workroom.RoomID) {
	delete(m.chosen, room)
	m.rooms = slices.DeleteFunc(m.rooms, func(x workroom.Membership) bool { return x.ID == room })
	m.cursor = min(m.cursor, max(len(m.rooms)-1, 0))
	m.offset = windowStart(m.offset, m.cursor, m.rows, len(m.rooms))
}
