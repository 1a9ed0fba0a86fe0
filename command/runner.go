package command

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/workroom/workroom/cmdline"

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

// Run executes one command line, as the client sent it (split once by
// ParseLine; free text is cut from it by the grammar in grammar.go), for the
// identity behind the connection and returns the exit status: 0 on success,
// 1 on a refusal or error (one line on stderr with the reason, from
// workroom.ErrorMessage), 2 on a usage error, including a line that cannot
// be read without guessing.
//
// stdin must return io.EOF only when the input ended cleanly, and an error
// when it was cut off; a command then stores nothing (stdin.go).
func (r *Runner) Run(ctx context.Context, id *workroom.Identity, line cmdline.Line, stdin io.Reader, stdout, stderr io.Writer) int {
	if id == nil {
		id = &workroom.Identity{}
	}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	if id.Terminal {
		stdout, stderr = crlfWriter{stdout}, crlfWriter{stderr}
	}
	s := &session{Runner: r, id: id, in: stdin, out: stdout}
	root := s.root()
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)

	var cmd *cobra.Command
	args, err := cobraArgs(root, line)
	switch {
	case isCompletionRequest(line):
		err = errUnknownCommand(line.Word(0))
	case err == nil:
		// A nil slice would make cobra read os.Args: always pass a non-nil one.
		root.SetArgs(args)
		cmd, err = root.ExecuteContextC(workroom.NewContextWithIdentity(ctx, id))
	}
	status := exitStatus(err)
	if err != nil {
		fmt.Fprintln(stderr, errorLine(err))
	}
	r.logCommand(id, commandName(root, cmd, line), status, err)
	return status
}

// isCompletionRequest spots cobra's hidden shell-completion commands, which
// mean nothing over SSH and must not list the command tree to anyone.
func isCompletionRequest(l cmdline.Line) bool {
	return l.Len() > 0 && strings.HasPrefix(l.Word(0), "__complete")
}

// commandName names a command for the log: its path without the root
// ("job post"), or the unknown word that was given.
func commandName(root, cmd *cobra.Command, l cmdline.Line) string {
	if cmd != nil && cmd != root {
		return strings.TrimPrefix(cmd.CommandPath(), root.Name()+" ")
	}
	return cmdline.LogName(l)
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
