package sshd

import (
	"context"
	"fmt"
	"io"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"

	"github.com/workroom/workroom"
)

// Terminal is the terminal UI, as the server needs it (tui.App is one):
// a program for one session's identity — id.User nil for a key with no
// account, which gets the sign-up screen — opened on room when not 0.
// The program quits when ctx is done, reads the keys from in and draws on
// out; opts carry the session's size, colour profile and environment.
type Terminal interface {
	NewProgram(ctx context.Context, id *workroom.Identity, room workroom.RoomID, in io.Reader, out io.Writer, opts ...tea.ProgramOption) *tea.Program
}

// runTUI runs the terminal UI on the session. When the UI ended because
// the server is stopping, or ended it early (access revoked, idle), a last
// line says so on the restored screen.
func (s *Server) runTUI(ctx context.Context, x *session, id *workroom.Identity, room workroom.RoomID) {
	program := func(sess ssh.Session) *tea.Program {
		// The server's own SIGTERM is not the session's: without this,
		// every program would quit at once on it, before Shutdown could
		// tell it why. The filter replaces MakeOptions' own (see
		// programFilter).
		opts := append(bubbletea.MakeOptions(sess), tea.WithoutSignalHandler(), tea.WithFilter(s.cfg.programFilter))
		return s.term.NewProgram(ctx, id, room, sess, sess, opts...)
	}
	bubbletea.MiddlewareWithProgramHandler(program)(func(ssh.Session) {})(x)
	if reason := x.endedBecause(); reason != "" {
		// On stdout, after the program's own output: a line on stderr
		// could reach the terminal before the screen is restored, and
		// vanish with the alternate screen.
		fmt.Fprintln(x, "workroom: "+reason)
		_ = x.Exit(1)
		return
	}
	if s.sessions.closing() {
		fmt.Fprintln(x, "workroom: "+stoppingReason+".")
	}
	_ = x.Exit(0)
}
