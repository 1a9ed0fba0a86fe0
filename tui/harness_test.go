package tui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
	"github.com/workroom/workroom/store"
)

// fixture is a real service over a bbolt file and a live hub.
type fixture struct {
	db  *store.DB
	hub *live.Hub
	svc *workroom.Service
	app *App
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "workroom.db"), store.NoSync())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	hub := live.New()
	log := slog.New(slog.DiscardHandler)
	svc := workroom.NewService(db, hub, workroom.Config{MailDomain: "test.localhost"}, log)
	return &fixture{db: db, hub: hub, svc: svc, app: New(svc, log)}
}

// key is a made-up public key: the service only needs its fingerprint and
// authorized form.
func testKey(name string) workroom.Key {
	return workroom.Key{Fingerprint: "SHA256:" + name, Authorized: "ssh-ed25519 AAAAC3Nza" + name}
}

// user signs a user up through the service.
func (f *fixture) user(t *testing.T, name string) *workroom.Identity {
	t.Helper()
	k := testKey(name)
	u, err := f.svc.SignUp(context.Background(), k, name, strings.ToLower(name)+"@example.com")
	if err != nil {
		t.Fatal(err)
	}
	return &workroom.Identity{Key: k, User: u}
}

func as(id *workroom.Identity) context.Context {
	return workroom.NewContextWithUser(context.Background(), id.User)
}

// room makes a workroom the way people do: a job, a proposal, an award.
func (f *fixture) room(t *testing.T, client, freelancer *workroom.Identity, title string) workroom.RoomID {
	t.Helper()
	j, err := f.svc.PostJob(as(client), title, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.Propose(as(freelancer), j.ID, "I can do it")
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.Award(as(client), j.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func (f *fixture) post(t *testing.T, id *workroom.Identity, room workroom.RoomID, body string) *workroom.Message {
	t.Helper()
	m, err := f.svc.Post(as(id), room, body, workroom.SourceCommand)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// code reads the newest verification code mailed to an address.
func (f *fixture) code(t *testing.T, email string) string {
	t.Helper()
	mails, err := f.svc.PendingMail(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^Verification code: (\d+)$`)
	code := ""
	for _, m := range mails {
		if m.To == email {
			if c := re.FindStringSubmatch(m.Body); c != nil {
				code = c[1]
			}
		}
	}
	if code == "" {
		t.Fatalf("no verification code mailed to %s", email)
	}
	return code
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

func (f *fixture) start(t *testing.T, id *workroom.Identity, room workroom.RoomID, w, h int) *term {
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
	tm.prog = f.app.NewProgram(ctx, id, room,
		tea.WithInput(inR), tea.WithOutput(out), tea.WithWindowSize(w, h),
		tea.WithEnvironment([]string{"TERM=xterm-256color"}),
		tea.WithColorProfile(colorprofile.ANSI256), tea.WithoutSignals())
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
	keyEnter    = "\r"
	keyTab      = "\t"
	keyEsc      = "\x1b"
	keyPgDown   = "\x1b[6~"
	keyCtrlC    = "\x03"
	keyCtrlR    = "\x12"
	keyAltEnter = "\x1b\r"
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

// waitUntil polls a condition outside the screen (the store, the hub).
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
