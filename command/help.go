package command

import (
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/spf13/cobra"
)

// helpCmd replaces cobra's help command, which can exit the process on a
// write error and words its output for local programs.
func (s *session) helpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "this list, or how to use one command",
		Args:  cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			root := c.Root()
			target, _, err := root.Find(args)
			if err != nil || target == root && len(args) > 0 {
				return errUnknownCommand(strings.Join(args, " "))
			}
			s.help(target)
			return nil
		},
	}
}

// help prints the command list for the root and for help itself, and one
// command's usage and flags for any other.
func (s *session) help(c *cobra.Command) {
	if !c.HasParent() || c.Name() == "help" {
		s.commandList(s.out)
		return
	}
	fmt.Fprintf(s.out, "usage: %s\n\n", usageLine(c))
	if c.Long != "" {
		fmt.Fprintln(s.out, c.Long)
	} else if c.Short != "" {
		fmt.Fprintln(s.out, c.Short)
	}
	if flags := c.LocalFlags().FlagUsages(); flags != "" {
		fmt.Fprintf(s.out, "\nflags:\n%s", flags)
	}
	fmt.Fprintln(s.out, "\nAdd --json for one JSON object on stdout.")
}

// commandList prints every command with what it does, in a sensible order
// rather than cobra's alphabetical one.
func (s *session) commandList(w io.Writer) {
	fmt.Fprintf(w, "usage: %s COMMAND [ARGS…]\n", s.sshCommand())
	fmt.Fprintln(w)
	t := newTable(w)
	for _, c := range s.listed {
		if c.Short != "" {
			t.row("  "+usageLine(c), c.Short)
		}
		for _, sub := range c.Commands() {
			t.row("  "+usageLine(sub), sub.Short)
		}
	}
	_ = t.flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands that print data take --json. Run help COMMAND for one command's flags.")
}

// usageLine is a command's synopsis as typed over SSH: its path without the
// program name, then its arguments ("job post --title T [--description D]").
func usageLine(c *cobra.Command) string {
	if p := c.Parent(); p != nil && p.HasParent() {
		return pathOf(p) + " " + c.Use
	}
	return c.Use
}

// pathOf is a command's name as typed over SSH ("job post").
func pathOf(c *cobra.Command) string {
	name := c.Name()
	for p := c.Parent(); p != nil && p.HasParent(); p = p.Parent() {
		name = p.Name() + " " + name
	}
	return name
}

// sshCommand is the ssh command line that reaches this server, from the
// address the client connected to: "ssh -p 2222 127.0.0.1", "ssh HOST"
// on port 22. The server cannot know the name the client typed (SSH does
// not send it), so it shows the address; "HOST" when even that is unknown.
func (s *session) sshCommand() string {
	host, port, err := net.SplitHostPort(s.id.Server)
	switch {
	case err != nil || host == "":
		return "ssh -p 2222 HOST"
	case port == "22":
		return "ssh " + host
	}
	return fmt.Sprintf("ssh -p %s %s", port, host)
}
