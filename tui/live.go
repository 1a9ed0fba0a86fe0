package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// Live events reach the program through the session's own pump: one
// goroutine that takes the subscription's events one at a time and hands
// each to the program (Program.Send waits while the program is busy, which
// holds up only this session). The hub only ever offers events to the
// subscription's bounded queue, so a busy or slow session never holds
// anyone else up, and nothing on the hub's side calls Program.Send.
//
// The pump is a goroutine rather than a command the app re-issues after
// each event: Bubble Tea runs a batch of commands on a goroutine that
// waits for all of them, so a wait for the next event inside a batch
// would hold that goroutine (and its stack) for as long as the session is
// idle.
//
// Events carry what changed — the message, the one row of the room list as
// this user sees it — so applying one reads nothing: one event, one
// redraw. Only a stale mark (events were dropped) reloads.

// eventMsg is one event from the hub.
type eventMsg workroom.Event

// staleMsg says events were dropped: reload what is shown from the service.
type staleMsg struct{}

// pump hands sub's events and staleness to prog until the session's
// context ends, and then tells the program to quit. The subscription may
// close first (quitting, shutdown): then only the end is waited for.
func pump(ctx context.Context, sub *workroom.Session, prog *tea.Program) {
	events := sub.Events()
	for {
		var msg tea.Msg
		select {
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			msg = eventMsg(ev)
		case <-sub.Stale():
			msg = staleMsg{}
		case <-sub.Dropped():
			// The hub gave up on this session (it stopped taking its
			// events, so it got here late): the program ends.
			prog.Send(quitMsg{})
			return
		case <-ctx.Done():
			prog.Send(quitMsg{})
			return
		}
		prog.Send(msg)
	}
}
