package command

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// session is one command run: who runs it and where its output goes. The
// command tree is built per run, because cobra keeps parsed flags in it.
type session struct {
	*Runner
	id   *workroom.Identity
	in   io.Reader
	out  io.Writer
	json bool
	// listed is the order of the command list that help prints.
	listed []*cobra.Command
}

// root builds the command tree. Only the commands of the fixed surface that
// exist are here; the others are unknown until they are built.
func (s *session) root() *cobra.Command {
	root := &cobra.Command{
		Use:           "workroom",
		Args:          cobra.ArbitraryArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return errUnknownCommandIn(s.listedNames(), args[0])
			}
			s.help(c)
			return nil
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.PersistentPreRunE = func(c *cobra.Command, _ []string) error { return s.readStdinFlags(c) }
	root.PersistentFlags().BoolVar(&s.json, "json", false, "print one JSON object instead of text")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usagef("%v; usage: %s", err, usageLine(c))
	})
	root.SetHelpFunc(func(c *cobra.Command, _ []string) { s.help(c) })

	s.listed = []*cobra.Command{
		s.signupCmd(), s.verifyCmd(), s.whoamiCmd(), s.keysCmd(),
		s.settingsCmd(), s.jobsCmd(), s.jobCmd(), s.proposeCmd(), s.proposalsCmd(), s.awardCmd(), s.completeCmd(),
		s.inviteCmd(), s.removeCmd(),
		s.roomsCmd(), s.openCmd(), s.membersCmd(), s.notifyCmd(), s.messagesCmd(), s.postCmd(), s.broadcastCmd(), s.todoCmd(),
		s.filesCmd(), s.putCmd(), s.getCmd(), s.rmCmd(), s.proposalCmd(),
	}
	root.AddCommand(s.listed...)
	root.AddCommand(s.adminCmd()) // hidden: administrators only
	// hidden: asked by sync tools (rclone), not people
	root.AddCommand(s.md5sumCmd(), s.sha1sumCmd())
	help := s.helpCmd()
	root.SetHelpCommand(help)
	s.listed = append(s.listed, help)
	return root
}

// listedNames are the names of the commands help lists: the ones worth
// suggesting for a typo.
func (s *session) listedNames() []string {
	names := make([]string, 0, len(s.listed))
	for _, c := range s.listed {
		names = append(names, c.Name())
	}
	return names
}
