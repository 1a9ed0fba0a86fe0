package command

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// adminUsage lists the admin subcommands, for a refusal of a wrong one.
const adminUsage = "admin users | admin disable USER | admin quota ROOM SIZE | admin sweep | admin backup > workroom.db"

// adminCmd holds what only the server's administrators may do. It is not
// listed in help: nobody else can use it, and the service refuses them.
func (s *session) adminCmd() *cobra.Command {
	c := &cobra.Command{
		Use:    "admin",
		Short:  "administer the server (administrators only)",
		Hidden: true,
		Args:   cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command admin %s; usage: %s", args[0], adminUsage)
			}
			return usagef("admin needs a subcommand; usage: %s", adminUsage)
		},
	}
	c.AddCommand(s.adminUsersCmd(), s.adminDisableCmd(), s.adminQuotaCmd(), s.adminSweepCmd(), s.adminBackupCmd())
	return c
}

// adminDisableCmd disables an account, ending its open sessions at once.
func (s *session) adminDisableCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "disable USER",
		Short: "disable an account by its id (whoami --json shows it): its keys stop working and its open sessions end",
		Args:  exactArgs("USER"),
		RunE: func(c *cobra.Command, args []string) error {
			id, err := ParseID("USER", args[0])
			if err != nil {
				return err
			}
			if err := s.svc.DisableUser(c.Context(), workroom.UserID(id)); err != nil {
				return err
			}
			return s.emit(done, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "Disabled account %d; its open sessions have ended.\n", id)
				return err
			})
		},
	}
}
