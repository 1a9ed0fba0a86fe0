// Package timefmt is the one rule for showing a time to a person, used by
// the SSH commands and the terminal UI alike: how long ago for the last
// day ("just now", "5 min ago", "3 h ago"), else the date with the year
// and the clock in the person's own time zone, labelled with the zone
// ("2026-11-29 23:50 CET"), so a date never reads as someone else's clock.
// Machine output (--json) does not use it: it stays RFC 3339 UTC.
package timefmt

import (
	"fmt"
	"time"
)

// Recent is how far back a time is shown as how long ago.
const Recent = 24 * time.Hour

// dateLayout is a date with the year, the clock and the zone's name.
const dateLayout = "2006-01-02 15:04 MST"

// When shows t as seen at now by a person in loc (nil: UTC). The zero
// time is "-". A time in the future beyond a minute (an expiry, a clock
// ahead) is a date.
func When(t, now time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	if loc == nil {
		loc = time.UTC
	}
	d := now.Sub(t)
	switch {
	case d < -time.Minute || d >= Recent:
		return Date(t, loc)
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	default:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	}
}

// Date shows t as a date and clock in loc, with the zone's name. A zone
// with no abbreviation shows its offset ("+0530"), which Go prints as
// "+0530" or "+05" — either way, never a bare clock.
func Date(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(dateLayout)
}
