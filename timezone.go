package workroom

import (
	"context"
	"strings"
	"time"
)

// Every account has a time zone, so the times people see (a message's,
// a job's) read as their own clock. It is an IANA name ("Europe/Berlin",
// "America/New_York"); an account without one sees UTC. People set it with
// `settings --tz ZONE`; the sign-up screen may set a guess with
// SetTimeZone. Times in --json stay RFC 3339 UTC whatever the zone.

// MaxTimeZoneLength bounds a zone name; the longest IANA names are about 30.
const MaxTimeZoneLength = 64

// CheckTimeZone returns the location of an IANA zone name; "" and "UTC"
// are UTC. EINVALID, with what to give instead, for a name the server's
// zone database does not know.
func CheckTimeZone(zone string) (*time.Location, error) {
	zone = strings.TrimSpace(zone)
	switch {
	case zone == "":
		return time.UTC, nil
	case len(zone) > MaxTimeZoneLength || strings.ContainsFunc(zone, isControl) || strings.EqualFold(zone, "local"):
		return nil, Errorf(EINVALID, "%q is not a time zone; give an IANA name such as Europe/Berlin, America/New_York or UTC", zone)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, Errorf(EINVALID, "unknown time zone %q; give an IANA name such as Europe/Berlin, America/New_York or UTC (names are case-sensitive)", zone)
	}
	return loc, nil
}

// Location is the user's time zone; UTC when none is set or the stored
// name is no longer known to the zone database.
func (u *User) Location() *time.Location {
	if u == nil || u.TZ == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(u.TZ)
	if err != nil {
		return time.UTC
	}
	return loc
}

// SetTimeZone sets the actor's time zone and returns the account as
// stored. EINVALID for an unknown zone.
func (s *Service) SetTimeZone(ctx context.Context, zone string) (*User, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	loc, err := CheckTimeZone(zone)
	if err != nil {
		return nil, err
	}
	name := loc.String()
	if name == "UTC" {
		name = ""
	}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	if err := s.store.SetTimeZone(ctx, u.ID, name); err != nil {
		return nil, err
	}
	s.log.Info("time zone set", "user", u.ID, "tz", loc.String())
	return s.store.User(ctx, u.ID)
}

// Settings returns the actor's account as stored, with its settings.
func (s *Service) Settings(ctx context.Context) (*User, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.User(ctx, u.ID)
}
