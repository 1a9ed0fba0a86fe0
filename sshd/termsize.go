package sshd

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
)

// A client says how big its terminal is three ways: in the pty request,
// in window-change requests, and — since the TUI parses its input — as
// terminal size reports typed into stdin. The TUI allocates a cell
// buffer of width × height for whatever it is told, so each way is
// clamped before the TUI hears it: the session's Pty and window channel
// (what wish's bubbletea middleware reads) by the session wrapper, and
// size reports in the input by the program's filter.

// clampWindow returns w no larger than the limits allow.
func (l Limits) clampWindow(w ssh.Window) ssh.Window {
	w.Width = min(max(w.Width, 0), l.MaxTermWidth)
	w.Height = min(max(w.Height, 0), l.MaxTermHeight)
	return w
}

// clampedWindows forwards the library's window changes, clamped. It
// always reads, so the library's request loop (which blocks sending a
// resize nobody takes) never waits on a consumer, and it keeps only the
// newest size for a consumer that is behind. out is closed when in is.
func (l Limits) clampedWindows(in <-chan ssh.Window) <-chan ssh.Window {
	out := make(chan ssh.Window, 1)
	go func() {
		defer close(out)
		for w := range in {
			w = l.clampWindow(w)
			select {
			case out <- w:
			default:
				select { // replace the size the consumer has not taken yet
				case <-out:
				default:
				}
				out <- w
			}
		}
	}()
	return out
}

// programFilter is the TUI program's message filter. tea.WithFilter keeps
// only the last filter given, so this one also does what wish's
// MakeOptions filter does (a client cannot suspend the server's program:
// a suspend becomes a resume), and it clamps every window size.
func (l Limits) programFilter(_ tea.Model, msg tea.Msg) tea.Msg {
	switch m := msg.(type) {
	case tea.SuspendMsg:
		return tea.ResumeMsg{}
	case tea.WindowSizeMsg:
		w := l.clampWindow(ssh.Window{Width: m.Width, Height: m.Height})
		return tea.WindowSizeMsg{Width: w.Width, Height: w.Height}
	}
	return msg
}
