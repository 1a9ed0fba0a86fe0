package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// Live events reach the program through a command that waits on the
// subscription's channels and returns one message; the app issues it again
// after each one. The hub only ever offers events to the subscription's
// bounded queue, so a busy or slow session never holds anyone else up, and
// nothing on the hub's side calls Program.Send.
//
// Events carry what changed — the message, the one row of the room list as
// this user sees it — so applying one reads nothing: one event, one
// redraw. Only a stale mark (events were dropped) reloads.

// eventMsg is one event from the hub.
type eventMsg workroom.Event

// staleMsg says events were dropped: reload what is shown from the service.
type staleMsg struct{}

// subClosedMsg says the subscription was closed (the session is ending).
type subClosedMsg struct{}

// waitEvent returns the next event or staleness of sub, or quits when
// the session's context ends: one goroutine waits for both, so an idle
// session holds one rather than two.
func waitEvent(ctx context.Context, sub *workroom.Session) tea.Cmd {
	if sub == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case ev, ok := <-sub.Events():
			if !ok {
				return subClosedMsg{}
			}
			return eventMsg(ev)
		case <-sub.Stale():
			return staleMsg{}
		case <-ctx.Done():
			return quitMsg{}
		}
	}
}
