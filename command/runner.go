package command

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// Runner runs SSH commands against the service.
type Runner struct {
	svc *workroom.Service
	log *slog.Logger
	now func() time.Time
}

// New returns a Runner over the service; it logs one line per command.
func New(svc *workroom.Service, log *slog.Logger) *Runner {
	return &Runner{svc: svc, log: log, now: time.Now}
}

// Run executes one command line (args without the program name, already split
// like a shell would) for the identity behind the connection and returns the
// exit status: 0 on success, 1 on a refusal or error (one line on stderr with the
// reason, from workroom.ErrorMessage), 2 on a usage error.
func (r *Runner) Run(ctx context.Context, id *workroom.Identity, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if id == nil {
		id = &workroom.Identity{}
	}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	s := &session{Runner: r, id: id, in: stdin, out: stdout}
	root := s.root()
	// A nil slice would make cobra read os.Args: always pass a non-nil one.
	root.SetArgs(append(make([]string, 0, len(args)), args...))
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)

	var cmd *cobra.Command
	var err error
	if isCompletionRequest(args) {
		err = errUnknownCommand(args[0])
	} else {
		cmd, err = root.ExecuteContextC(workroom.NewContextWithIdentity(ctx, id))
	}
	status := exitStatus(err)
	if err != nil {
		fmt.Fprintln(stderr, errorLine(err))
	}
	r.logCommand(id, commandName(root, cmd, args), status, err)
	return status
}

// isCompletionRequest spots cobra's hidden shell-completion commands, which
// mean nothing over SSH and must not list the command tree to anyone.
func isCompletionRequest(args []string) bool {
	return len(args) > 0 && strings.HasPrefix(args[0], "__complete")
}

// commandName names a command for the log: its path without the root
// ("job post"), or the unknown word that was given.
func commandName(root, cmd *cobra.Command, args []string) string {
	if cmd != nil && cmd != root {
		return strings.TrimPrefix(cmd.CommandPath(), root.Name()+" ")
	}
	return LogName(args)
}

// LogName is how a command line is named in logs: its first word, cut
// short, since the rest (and an unknown first word) is the user's input,
// possibly someone's message text.
func LogName(args []string) string {
	if len(args) == 0 {
		return ""
	}
	const max = 32
	if len(args[0]) > max {
		return args[0][:max]
	}
	return args[0]
}

// logCommand writes the one log line of a command: who ran what, and how it
// ended; a server fault (internal, unavailable) is logged with its cause.
func (r *Runner) logCommand(id *workroom.Identity, name string, status int, err error) {
	attrs := []any{"command", name, "fingerprint", id.Key.Fingerprint, "status", status}
	if id.User != nil {
		attrs = append(attrs, "user", id.User.ID)
	}
	switch {
	case err == nil:
		r.log.Info("command", attrs...)
	case status == exitRefused && workroom.ServerFault(err):
		r.log.Error("command", append(attrs, "err", err)...)
	default:
		r.log.Info("command", append(attrs, "reason", errorLine(err))...)
	}
}
