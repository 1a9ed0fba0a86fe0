package command

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/timefmt"
)

// settingsCmd shows the account's settings, or changes them: for now the
// time zone every time is shown in.
func (s *session) settingsCmd() *cobra.Command {
	var tz string
	c := &cobra.Command{
		Use:   "settings [--tz ZONE]",
		Short: "your settings: the time zone times are shown in (--tz Europe/Berlin to set it)",
		Long: "Shows your settings. --tz ZONE sets your time zone, an IANA name such as\n" +
			"Europe/Berlin, America/New_York or UTC; every time a command or the terminal UI\n" +
			"shows you is in it (--json times stay RFC 3339 UTC).",
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			get := s.svc.Settings
			if c.Flags().Changed("tz") {
				get = func(ctx context.Context) (*workroom.User, error) { return s.svc.SetTimeZone(ctx, tz) }
			}
			u, err := get(c.Context())
			if err != nil {
				return err
			}
			loc := u.Location()
			return s.emit(struct {
				TZ string `json:"tz"`
			}{loc.String()}, func(w io.Writer) error {
				t := newTable(w)
				t.row("time zone", loc.String())
				t.row("now", timefmt.Date(s.now(), loc))
				if err := t.flush(); err != nil {
					return err
				}
				if !c.Flags().Changed("tz") {
					_, err := fmt.Fprintln(w, "\nSet the time zone with: settings --tz ZONE (e.g. Europe/Berlin)")
					return err
				}
				return nil
			})
		},
	}
	c.Flags().StringVar(&tz, "tz", "", "your time zone, an IANA name (Europe/Berlin, America/New_York, UTC)")
	return c
}
