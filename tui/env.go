package tui

import (
	"context"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// env is what the app hands every pane: the service, the connection, the
// styles, and once the key has an account the session and its live
// subscription. The app owns it and changes it only in Update, where
// panes run too; commands capture what they need when they are made.
type env struct {
	svc  *workroom.Service
	log  *slog.Logger
	base context.Context // the SSH session's context with its key and address, without a user
	key  workroom.Key
	// st is the one set of styles, built from the session's colour
	// profile and background (styles.go); panes read it when they draw,
	// and never change it: sessions with the same terminal share it.
	st *styles

	sess *session          // nil until the key has an account
	sub  *workroom.Session // nil until the key has an account

	lastID paneID // the last pane id handed out (newBase)

	// send hands a message to the program; nil for a model driven
	// without one (tests).
	send func(tea.Msg)

	// typingIn is the room whose composer the message being handled
	// changed; the model signals typing for it once that message (all
	// the keys of one read) is handled (model.typingCmd).
	typingIn *roomPane

	// zone is the time zone the client's terminal announced (its TZ
	// variable, when the SSH client sends it), "" when it sent none or
	// one the server does not know; sign-up saves it as the account's
	// zone (zone.go).
	zone string
}

// after delivers msg to the program once d has passed (a frame put off,
// a pause in typing, a request expiring). It runs in Update, and sets a
// timer there: nothing waits in a goroutine, as in tea.Tick, for the
// goroutines of a thousand sessions are what every garbage collection
// scans, and a meeting request waits a minute. Without a program
// (tests that drive the model alone) it is tea.Tick.
func (e *env) after(d time.Duration, msg tea.Msg) tea.Cmd {
	if e.send == nil {
		return tea.Tick(d, func(time.Time) tea.Msg { return msg })
	}
	send := e.send
	time.AfterFunc(d, func() { send(msg) }) // set now: no command to run
	return nil
}
