package sshd

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/cmdline"
	"github.com/workroom/workroom/workroomtest"
)

// shutdown runs Shutdown in the background and returns its result.
func (ts *testServer) shutdown(timeout time.Duration) <-chan error {
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		done <- ts.Shutdown(ctx)
	}()
	return done
}

func waitErr(t *testing.T, what string, ch <-chan error, within time.Duration) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(within):
		t.Fatalf("%s did not happen within %v", what, within)
		return nil
	}
}

func TestShutdown_EndsTerminalSessionsWithANotice(t *testing.T) {
	for _, c := range []struct {
		name   string
		signUp bool
		screen string
		told   bool // the UI itself shows the notice before it quits
	}{
		{"a member's workroom list", true, "No workrooms yet", true},
		// The sign-up screen has no live subscription to hear the news: it
		// is ended after the grace period.
		{"the sign-up screen", false, "Welcome to workroom", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Long enough for the test to see the notice on the screen.
			ts := startServer(t, func(p *parts) { p.cfg.TerminalGrace, p.notice = 400*time.Millisecond, 200*time.Millisecond })
			key := newKey(t)
			if c.signUp {
				ts.signUp(t, key, "Ada")
			}
			term := openTerminal(t, ts.connect(t, key), "")
			term.waitFor(t, c.screen)

			stopped := ts.shutdown(10 * time.Second)
			if c.told {
				workroomtest.WaitUntil(t, "the UI's own stopping notice", func() bool {
					return term.emu.IsAltScreen() && strings.Contains(strings.ToLower(term.screen()), "server is stopping")
				})
			}
			if err := waitErr(t, "the session's end", term.done, 8*time.Second); err != nil {
				t.Errorf("session ended with %v, want exit 0", err)
			}
			term.waitFor(t, "server is stopping")
			if term.emu.IsAltScreen() {
				t.Error("the client was left in the alternate screen")
			}
			if err := waitErr(t, "Shutdown", stopped, 5*time.Second); err != nil {
				t.Errorf("Shutdown: %v", err)
			}
		})
	}
}

func TestShutdown_LetsARunningCommandFinishAndTellsNewSessionsWhy(t *testing.T) {
	ts := startServer(t)
	client, freelancer := newKey(t), newKey(t)
	room := awardedRoom(t, ts, client, freelancer)
	other := ts.connect(t, freelancer) // open before the shutdown

	sess, err := ts.connect(t, client).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Start("post " + room); err != nil {
		t.Fatal(err)
	}
	workroomtest.WaitUntil(t, "the post command to start", func() bool {
		return strings.Contains(ts.logs.String(), `kind=command command=post`)
	})

	stopped := ts.shutdown(10 * time.Second)
	workroomtest.WaitUntil(t, "new sessions to be refused", func() bool {
		r := runOn(t, other, "rooms", "")
		return r.status == 1 && strings.TrimSpace(r.stderr) == "workroom: "+stoppingReason
	})
	// A new connection is not refused at the door: its sessions are told
	// why, a command on stderr, a terminal on the screen.
	late := ts.connect(t, freelancer)
	if r := runOn(t, late, "rooms", ""); r.status != 1 || strings.TrimSpace(r.stderr) != "workroom: "+stoppingReason || r.stdout != "" {
		t.Errorf("a command on a new connection during shutdown: exit %d, stdout %q, stderr %q; want exit 1 and %q on stderr", r.status, r.stdout, r.stderr, stoppingReason)
	}
	term := openTerminal(t, ts.connect(t, client), "")
	var exit *gossh.ExitError
	if err := waitErr(t, "the late terminal's end", term.done, 5*time.Second); !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("a terminal on a new connection during shutdown ended with %v, want exit 1", err)
	}
	term.waitFor(t, "workroom: "+stoppingReason)
	select {
	case err := <-stopped:
		t.Fatalf("Shutdown returned (%v) while a command was still running", err)
	default:
	}

	_, _ = io.WriteString(stdin, "written during the shutdown")
	_ = stdin.Close()
	if err := waitErr(t, "the running command's end", wait(sess), 5*time.Second); err != nil {
		t.Fatalf("the running command did not finish well: %v", err)
	}
	if err := waitErr(t, "Shutdown", stopped, 5*time.Second); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if c, err := ts.dial(t, gossh.PublicKeys(client)); err == nil {
		c.Close()
		t.Error("a connection was taken after Shutdown returned")
	}
}

// wait waits for a session in the background.
func wait(sess *gossh.Session) <-chan error {
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()
	return done
}

func TestShutdown_ClosesIdleConnectionsAtOnce(t *testing.T) {
	ts := startServer(t)
	c := ts.connect(t, newKey(t))
	closed := make(chan error, 1)
	go func() { closed <- c.Wait() }()
	start := time.Now()
	if err := waitErr(t, "Shutdown", ts.shutdown(30*time.Second), 10*time.Second); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	waitErr(t, "the idle connection to close", closed, 5*time.Second)
	if d := time.Since(start); d > testTerminalGrace+time.Second {
		t.Errorf("Shutdown took %v with only an idle connection; the terminal grace is %v", d, testTerminalGrace)
	}
}

// stuckCommands runs every command until its context ends, and says when
// it has returned.
type stuckCommands struct{ returned chan struct{} }

func (c stuckCommands) Run(ctx context.Context, _ *workroom.Identity, _ cmdline.Line, _ io.Reader, _, _ io.Writer) int {
	defer close(c.returned)
	<-ctx.Done()
	return 1
}

func TestShutdown_EndsACommandStillRunningAtTheDeadlineAndWaitsForIt(t *testing.T) {
	stuck := stuckCommands{returned: make(chan struct{})}
	ts := startServer(t, func(p *parts) { p.commands = stuck })
	key := newKey(t)
	sess, err := ts.connect(t, key).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stderr workroomtest.Buffer
	sess.Stderr = &stderr
	if err := sess.Start("put 1 big.bin"); err != nil {
		t.Fatal(err)
	}
	workroomtest.WaitUntil(t, "the command to start", func() bool {
		return strings.Contains(ts.logs.String(), `kind=command`)
	})

	if err := waitErr(t, "Shutdown", ts.shutdown(300*time.Millisecond), 5*time.Second); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	// What the command was storing is discarded before the store closes:
	// it has returned by the time Shutdown does.
	select {
	case <-stuck.returned:
	default:
		t.Fatal("Shutdown returned while the command it ended was still running")
	}
	var exit *gossh.ExitError
	if err := waitErr(t, "the command's end", wait(sess), 5*time.Second); !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("the command ended with %v, want exit 1", err)
	}
	if !strings.Contains(stderr.String(), "workroom: "+stoppingReason) {
		t.Errorf("stderr %q; want it told %q", stderr.String(), stoppingReason)
	}
}

// finishingEcho is the echo subsystem as a Finisher.
type finishingEcho struct{ *echoSubsystem }

func (finishingEcho) FinishesAtShutdown() {}

func TestShutdown_AFinisherSessionOutlivesTheTerminalGrace(t *testing.T) {
	echo := newEcho()
	ts := startServer(t, func(p *parts) { p.cfg.Subsystems = map[string]Subsystem{"echo": finishingEcho{echo}} })
	key := newKey(t)
	ts.signUp(t, key, "Ada")
	s := openSubsystem(t, ts.connect(t, key), "echo")
	s.line(t)

	stopped := ts.shutdown(10 * time.Second)
	workroomtest.WaitUntil(t, "the terminal grace to pass", func() bool {
		return strings.Contains(ts.logs.String(), `msg="ssh: terminal grace over" ended=0`)
	})
	s.write(t, "still uploading\n")
	if got := s.line(t); got != "still uploading\n" {
		t.Fatalf("after the terminal grace the session echoed %q", got)
	}
	_ = s.ch.CloseWrite() // the session ends itself: its work is done
	if err := waitErr(t, "Shutdown", stopped, 5*time.Second); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := waitErr(t, "the subsystem to return", echo.ended, 5*time.Second); err != nil {
		t.Errorf("the subsystem was ended (%v), want it to end by itself", err)
	}
}
