package tui

import (
	"context"
	"log/slog"
	"strings"

	"github.com/workroom/workroom"
)

// Time zones. Every time on screen is shown in the user's own zone
// (session.when). A new account's zone is guessed on the sign-up screen
// from the TZ variable of the client's terminal, which an SSH client
// sends only when set up to (OpenSSH: `SendEnv TZ` on the client and
// `AcceptEnv TZ` on a server that honours it; ours takes every variable
// the client sends), and is UTC otherwise. The settings pane (S on the
// workroom list, settings.go) or `settings --tz ZONE` changes it later.

// zoneFromEnv is the IANA zone named by a TZ value ("Europe/Berlin", or
// POSIX's ":Europe/Berlin"); "" for none, UTC, or a value that is not a
// zone the server knows (a POSIX rule such as "CET-1CEST").
func zoneFromEnv(tz string) string {
	tz = strings.TrimPrefix(strings.TrimSpace(tz), ":")
	loc, err := workroom.CheckTimeZone(tz)
	if err != nil || loc.String() == "UTC" {
		return ""
	}
	return loc.String()
}

// zoneLabel is how the sign-up screen names the zone it will save.
func zoneLabel(zone string) string {
	if zone == "" {
		return "UTC"
	}
	return zone
}

// saveZone sets the guessed zone on the account just made; the account
// stands if it fails (it is logged), and then reads in UTC. It returns
// the account as stored.
func saveZone(svc *workroom.Service, log *slog.Logger, base context.Context, u *workroom.User, zone string) *workroom.User {
	if zone == "" {
		return u
	}
	id := *workroom.IdentityFromContext(base)
	id.User = u
	after, err := svc.SetTimeZone(workroom.NewContextWithIdentity(base, &id), zone)
	if err != nil {
		logFailure(log, "set time zone", u.ID, err)
		return u
	}
	return after
}
