package tui

import (
	"context"
	"log/slog"

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

	// zone is the time zone the client's terminal announced (its TZ
	// variable, when the SSH client sends it), "" when it sent none or
	// one the server does not know; sign-up saves it as the account's
	// zone (zone.go).
	zone string
}
