package timefmt

import (
	"testing"
	"time"
)

func TestWhen_RelativeWithinADayThenDateWithYearAndZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	saoPaulo, _ := time.LoadLocation("America/Sao_Paulo")
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		ago  time.Duration
		loc  *time.Location
		want string
	}{
		{"this instant", 0, berlin, "just now"},
		{"59 s", 59 * time.Second, berlin, "just now"},
		{"one minute", time.Minute, berlin, "1 min ago"},
		{"59 min", 59*time.Minute + 59*time.Second, berlin, "59 min ago"},
		{"one hour", time.Hour, berlin, "1 h ago"},
		{"just under a day", Recent - time.Second, berlin, "23 h ago"},
		{"a day: a date in the user's zone, labelled", Recent, berlin, "2026-11-29 13:00 CET"},
		{"a year back keeps the year", 400 * 24 * time.Hour, berlin, "2025-10-26 13:00 CET"},
		{"summer time is labelled as such", 200 * 24 * time.Hour, berlin, "2026-05-14 14:00 CEST"},
		{"UTC by default", Recent, nil, "2026-11-29 12:00 UTC"},
		{"a zone without an abbreviation shows its offset", Recent, saoPaulo, "2026-11-29 09:00 -03"},
		{"the future beyond a minute is a date", -10 * time.Minute, berlin, "2026-11-30 13:10 CET"},
		{"a clock a little ahead is just now", -30 * time.Second, berlin, "just now"},
	} {
		if got := When(now.Add(-c.ago), now, c.loc); got != c.want {
			t.Errorf("%s: When = %q, want %q", c.name, got, c.want)
		}
	}
	if got := When(time.Time{}, now, berlin); got != "-" {
		t.Errorf("zero time = %q, want -", got)
	}
}
