// Command workroom is the workroom server: one binary, one data folder.
//
//	workroom serve [flags]   run the server (SSH terminal UI and commands, outgoing mail)
//	workroom help [command]  usage
//
// Every flag of serve can also be given in the environment as
// WORKROOM_<NAME> (--ssh-addr is WORKROOM_SSH_ADDR); a flag wins.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	os.Exit(run(os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr))
}

// run executes the command line and returns the process's exit status.
// SIGTERM and SIGINT cancel the context, which is how serve learns to
// stop.
func run(args []string, getenv func(string) (string, bool), stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	root := newRoot(getenv, serve)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "workroom:", err)
		return 1
	}
	return 0
}

// newRoot builds the command tree. serveFn runs the server; tests pass
// one that records the configuration instead.
func newRoot(getenv func(string) (string, bool), serveFn func(context.Context, serveConfig, io.Writer) error) *cobra.Command {
	root := &cobra.Command{
		Use:   "workroom",
		Short: "workroom: a shared room per job for a client and a freelancer, over SSH",
		Long: `workroom: a shared room per job for a client and a freelancer, over SSH.

Start the server with "workroom serve", then connect with the ssh you have:
  ssh -p 2222 localhost           the terminal UI (sign up on first visit)
  ssh -p 2222 localhost help      the commands, for scripts`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.AddCommand(newServeCmd(getenv, serveFn))
	return root
}

func newServeCmd(getenv func(string) (string, bool), serveFn func(context.Context, serveConfig, io.Writer) error) *cobra.Command {
	var cfg serveConfig
	c := &cobra.Command{
		Use:   "serve",
		Short: "run the server: SSH (terminal UI and commands) and outgoing mail",
		Long: `Run the server: SSH with the terminal UI and the commands, and outgoing
mail, on an embedded store under the data folder (or on PostgreSQL, shared
by several servers, with --store postgres://…). With no flags it serves
SSH on :2222 with data in ./data and writes outgoing mail as .eml files
into ./data/outbox/. SIGTERM or SIGINT stops it cleanly.

Every flag can also be set in the environment as WORKROOM_<NAME>
(--ssh-addr is WORKROOM_SSH_ADDR); a flag on the command line wins.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyEnv(c.Flags(), getenv); err != nil {
				return err
			}
			if err := cfg.validate(); err != nil {
				return err
			}
			return serveFn(c.Context(), cfg, c.ErrOrStderr())
		},
	}
	bindServeFlags(c.Flags(), &cfg)
	return c
}
