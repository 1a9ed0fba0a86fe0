package tui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// fixture is the service fixture, on the real clock as the TUI's server
// runs, with the App under test.
type fixture struct {
	*workroomtest.World
	app *App
	// environ is added to the terminal's environment (TERM), as an SSH
	// client's SendEnv would.
	environ []string
	// ada is the first user of a scene with two terminals (meeting_test.go).
	ada *workroom.Identity
}

func newFixture(t testing.TB, opts ...workroomtest.Option) *fixture {
	t.Helper()
	w := workroomtest.New(t, append([]workroomtest.Option{workroomtest.NoSync(), workroomtest.WithRealClock()}, opts...)...)
	return &fixture{World: w, app: New(w.Svc, slog.New(slog.DiscardHandler))}
}

// term runs the real program of NewProgram against a terminal emulator, as
// an SSH session would: output goes to the emulator (and is kept raw),
// keys are written as the bytes a terminal sends.
type term struct {
	t      *testing.T
	emu    *vt.SafeEmulator
	in     *io.PipeWriter
	prog   *tea.Program
	done   chan struct{}
	cancel context.CancelFunc

	mu  sync.Mutex
	raw bytes.Buffer
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// start runs the program in a 256-colour terminal, which is what OpenSSH
// clients usually announce.
func (f *fixture) start(t *testing.T, id *workroom.Identity, room workroom.RoomID, w, h int) *term {
	t.Helper()
	return f.startIn(t, id, room, w, h, colorprofile.ANSI256)
}

// startIn runs the program in a terminal with the given colour profile.
func (f *fixture) startIn(t *testing.T, id *workroom.Identity, room workroom.RoomID, w, h int, profile colorprofile.Profile) *term {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	inR, inW := io.Pipe()
	tm := &term{t: t, emu: vt.NewSafeEmulator(w, h), in: inW, done: make(chan struct{}), cancel: cancel}
	// The emulator's answers to terminal queries are drained and dropped:
	// feeding them back could block its writes while the program is busy.
	go func() { _, _ = io.Copy(io.Discard, tm.emu) }()
	out := writerFunc(func(p []byte) (int, error) {
		tm.mu.Lock()
		tm.raw.Write(p)
		tm.mu.Unlock()
		// Without a TTY for input, Bubble Tea expects the terminal to map
		// newline to CR LF (ONLCR), as an SSH session's PTY does.
		if _, err := tm.emu.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
			return 0, err
		}
		return len(p), nil
	})
	tm.prog = f.app.NewProgram(ctx, id, room, inR, out,
		tea.WithWindowSize(w, h),
		tea.WithEnvironment(append([]string{"TERM=xterm-256color"}, f.environ...)),
		tea.WithColorProfile(profile), tea.WithoutSignals())
	go func() {
		defer close(tm.done)
		_, _ = tm.prog.Run()
	}()
	t.Cleanup(func() {
		cancel()
		inW.Close()
		select {
		case <-tm.done:
		case <-time.After(5 * time.Second):
			t.Error("program did not end after its context was cancelled")
		}
		// Ends the goroutine draining the emulator's answers.
		if c, ok := tm.emu.InputPipe().(io.Closer); ok {
			c.Close()
		}
	})
	return tm
}

// screen is the emulator's screen as plain text.
func (tm *term) screen() string { return ansi.Strip(tm.emu.Render()) }

// lines is the screen split into rows.
func (tm *term) lines() []string { return strings.Split(tm.screen(), "\n") }

// output is every byte the program wrote.
func (tm *term) output() []byte {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return bytes.Clone(tm.raw.Bytes())
}

const waitLimit = 10 * time.Second

// waitFor polls the screen until cond holds.
func (tm *term) waitFor(what string, cond func(screen string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		s := tm.screen()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out waiting for %s; screen:\n%s", what, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitText waits until every text is on the screen.
func (tm *term) waitText(texts ...string) string {
	tm.t.Helper()
	return tm.waitFor(fmt.Sprintf("%q", texts), func(s string) bool {
		for _, x := range texts {
			if !strings.Contains(s, x) {
				return false
			}
		}
		return true
	})
}

// Keys as a terminal sends them.
const (
	keyEnter     = "\r"
	keyTab       = "\t"
	keyEsc       = "\x1b"
	keyPgDown    = "\x1b[6~"
	keyCtrlC     = "\x03"
	keyCtrlR     = "\x12"
	keyCtrlL     = "\x0c"
	keyBackspace = "\x7f"
	keyAltEnter  = "\x1b\r"
)

// typeText sends bytes as typed.
func (tm *term) typeText(s string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.in, s); err != nil {
		tm.t.Fatalf("typing %q: %v", s, err)
	}
}

// press sends one key. As on a real terminal, an esc followed at once by
// another key reads as alt+that key, so tests wait for the screen to show
// what an esc did before typing on.
func (tm *term) press(k string) { tm.typeText(k) }

// paste sends text as a bracketed paste.
func (tm *term) paste(s string) { tm.typeText("\x1b[200~" + s + "\x1b[201~") }

// resize changes the window as an SSH client reports it.
func (tm *term) resize(w, h int) {
	tm.emu.Resize(w, h)
	tm.prog.Send(tea.WindowSizeMsg{Width: w, Height: h})
}

// ended reports whether the program has ended.
func (tm *term) ended() bool {
	select {
	case <-tm.done:
		return true
	default:
		return false
	}
}

// waitEnded waits for the program to end.
func (tm *term) waitEnded() {
	tm.t.Helper()
	select {
	case <-tm.done:
	case <-time.After(waitLimit):
		tm.t.Fatalf("program did not end; screen:\n%s", tm.screen())
	}
}
