package command

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// adminUsersCmd lists every account, newest first, a page at a time.
func (s *session) adminUsersCmd() *cobra.Command {
	var pg paging
	c := &cobra.Command{
		Use:   "users [--limit N] [--before ID]",
		Short: "every account, newest first: id, name, verified email, keys, disabled, created",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := pg.check(c); err != nil {
				return err
			}
			page, err := s.svc.AdminUsers(c.Context(), workroom.UserID(pg.before), pg.size())
			if err != nil {
				return err
			}
			return s.emit(page, func(w io.Writer) error {
				if len(page.Users) == 0 {
					_, err := fmt.Fprintln(w, "No further accounts.")
					return err
				}
				t := newTable(w, "ID", "NAME", "EMAIL", "VERIFIED", "KEYS", "DISABLED", "CREATED")
				for _, u := range page.Users {
					t.row(u.ID, u.Name, u.Email, yesNo(u.EmailVerified && !u.EmailLost), u.Keys, yesNo(u.Disabled), s.when(u.Created))
				}
				if err := t.flush(); err != nil {
					return err
				}
				return pg.printNext(w, c, "older accounts", "admin users", uint64(page.Before))
			})
		},
	}
	pg.bind(c, "accounts")
	return c
}

// adminSweepCmd runs the retention sweep now and prints what it removed.
func (s *session) adminSweepCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "sweep",
		Short: "apply the retention rules now and print what was removed",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			rep, err := s.svc.AdminSweep(c.Context())
			if err != nil {
				return err
			}
			return s.emit(rep, func(w io.Writer) error { return printSweep(w, rep) })
		},
	}
}

// printSweep says what a sweep removed, a line per proposal, room and
// blob.
func printSweep(w io.Writer, rep *workroom.SweepReport) error {
	var err error
	line := func(format string, a ...any) {
		if err == nil {
			_, err = fmt.Fprintf(w, format+"\n", a...)
		}
	}
	if len(rep.Proposals)+len(rep.Rooms)+len(rep.Blobs) == 0 {
		line("Nothing to remove.")
		return err
	}
	for _, p := range rep.Proposals {
		line("proposal %d (job %d, awarded %s, not hired): deleted %d file(s): %v", p.ProposalID, p.JobID, p.Awarded.Format("2006-01-02"), len(p.Files), p.Files)
	}
	for _, r := range rep.Rooms {
		line("workroom %d (completed %s, idle since %s): deleted %d file(s), %d version(s), %s", r.RoomID,
			r.Completed.Format("2006-01-02"), r.LastActivity.Format("2006-01-02"), len(r.Files), r.Versions, workroom.FormatSize(r.Bytes))
	}
	for _, b := range rep.Blobs {
		line("blob %s: unused for %d hours, removed", b, int(workroom.BlobGrace.Hours()))
	}
	return err
}

// adminBackupCmd writes a consistent snapshot of the store to stdout.
func (s *session) adminBackupCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "backup",
		Short: "write a consistent snapshot of the store to stdout (ssh … admin backup > workroom.db) while the server keeps serving",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if s.json {
				return usagef("admin backup writes the store file itself; it has no --json")
			}
			// A terminal would turn the file's "\n" bytes into "\r\n";
			// only an administrator hears so, the others get the
			// service's refusal.
			if s.id.Terminal && s.svc.IsAdmin(c.Context(), s.id) {
				return usagef("admin backup writes binary data: run it without -t and redirect it, ssh … admin backup > workroom.db")
			}
			return s.svc.Backup(c.Context(), s.out)
		},
	}
}
