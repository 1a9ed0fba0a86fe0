package sshd

import (
	"context"
	"io"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/cmdline"
)

// Commands runs SSH commands, as the server needs them (command.Runner is
// one): one command line, split once, for id, with the session's stdin,
// stdout and stderr; it returns the exit status. stdin says io.EOF only
// when the client ended its input cleanly (see stdin.go).
type Commands interface {
	Run(ctx context.Context, id *workroom.Identity, line cmdline.Line, stdin io.Reader, stdout, stderr io.Writer) int
}

// runCommand runs the session's command line and exits with its status;
// a command the server ended early (access revoked, shutdown deadline)
// exits saying why, before the session's channel closes.
func (s *Server) runCommand(ctx context.Context, x *session, id *workroom.Identity) {
	status := s.cmds.Run(ctx, id, x.line, cleanStdin(ctx, x), x, x.Stderr())
	if reason := x.endedBecause(); reason != "" {
		s.refuse(x, reason)
		return
	}
	_ = x.Exit(status)
}
