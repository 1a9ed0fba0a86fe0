package sshd

import (
	"context"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/cmdline"
	"github.com/workroom/workroom/workroomtest"
)

// awardedRoom signs up a client and a freelancer, and takes a job from
// post to award; it returns the workroom's id.
func awardedRoom(t *testing.T, ts *testServer, client, freelancer gossh.Signer) string {
	t.Helper()
	ts.signUp(t, client, "Clara")
	ts.signUp(t, freelancer, "Fred")
	job := strings.TrimSpace(ts.must(t, client, "job post --title Logo design", ""))
	proposal := strings.TrimSpace(ts.must(t, freelancer, "propose "+job+" --text I can do it", ""))
	return strings.TrimSpace(ts.must(t, client, "award "+job+" "+proposal, ""))
}

func TestCommand_ExitStatusAndReasonPropagate(t *testing.T) {
	ts := startServer(t)
	key := newKey(t)
	ts.signUp(t, key, "Ada")
	r := ts.run(t, key, "post 999 hello", "")
	if r.status != 1 || strings.TrimSpace(r.stderr) != "no such workroom: 999" || r.stdout != "" {
		t.Fatalf("post to a missing room: exit %d, stdout %q, stderr %q; want exit 1 and the reason", r.status, r.stdout, r.stderr)
	}
}

func TestCommand_ReadsStdin(t *testing.T) {
	ts := startServer(t)
	client, freelancer := newKey(t), newKey(t)
	room := awardedRoom(t, ts, client, freelancer)

	ts.must(t, client, "post "+room, "hello from stdin\nsecond line\n")
	out := ts.must(t, freelancer, "messages "+room, "")
	if !strings.Contains(out, "hello from stdin") || !strings.Contains(out, "second line") {
		t.Fatalf("the freelancer does not see the posted body:\n%s", out)
	}
}

func TestCommand_RunsWithATerminalToo(t *testing.T) {
	ts := startServer(t)
	key := newKey(t)
	ts.signUp(t, key, "Ada")
	term := openTerminal(t, ts.connect(t, key), "whoami")
	if err := waitErr(t, "whoami's end", term.done, 5*time.Second); err != nil {
		t.Fatalf("whoami on a terminal: %v", err)
	}
	term.waitFor(t, "Ada")
}

func TestCommand_PutOnATerminalAsksBeforeReadingTheText(t *testing.T) {
	ts := startServer(t)
	client, freelancer := newKey(t), newKey(t)
	room := awardedRoom(t, ts, client, freelancer)
	ts.must(t, freelancer, "put "+room+" notes.txt", "first\n")

	term := openTerminal(t, ts.connect(t, client), "put "+room+" notes.txt")
	term.waitFor(t, "notes.txt exists (v1, 6 B, by Fred). [v]ersion / [r]ename / [c]ancel?")
	term.emu.SendText("r")
	term.waitFor(t, "Ctrl-D ends it")
	term.emu.SendText("typed\r\x04")
	if err := waitErr(t, "put's end", term.done, 5*time.Second); err != nil {
		t.Fatalf("put on a terminal: %v\n%s", err, term.screen())
	}
	term.waitFor(t, "notes (2).txt: stored version 1")
	if got := ts.must(t, client, "get "+room+" notes (2).txt", ""); got != "typed\n" {
		t.Fatalf("the typed text stored as %q", got)
	}
	if got := ts.must(t, client, "get "+room+" notes.txt", ""); got != "first\n" {
		t.Fatalf("the rename touched the first file: %q", got)
	}
}

func TestSession_NoTerminalAndNoCommandGetsAHint(t *testing.T) {
	ts := startServer(t)
	sess, err := ts.connect(t, newKey(t)).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	sess.Stderr = &stderr
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	bounded(t, "the hint", sess, func() { err = sess.Wait() })
	if ee, ok := err.(*gossh.ExitError); !ok || ee.ExitStatus() != 1 {
		t.Fatalf("got %v, want exit status 1", err)
	}
	if !strings.Contains(stderr.String(), "ssh -t") || !strings.Contains(stderr.String(), "help") {
		t.Errorf("hint %q does not say how to get the UI or the commands", stderr.String())
	}
}

func TestTUI_TerminalWithNoCommandShowsSignUpForAnUnknownKey(t *testing.T) {
	ts := startServer(t)
	term := openTerminal(t, ts.connect(t, newKey(t)), "")
	term.waitFor(t, "Welcome to workroom")
}

func TestTUI_OpenRoomShowsThatWorkroom(t *testing.T) {
	ts := startServer(t)
	client, freelancer := newKey(t), newKey(t)
	room := awardedRoom(t, ts, client, freelancer)
	ts.must(t, freelancer, "post "+room+" first words from Fred", "")

	term := openTerminal(t, ts.connect(t, client), "open "+room)
	term.waitFor(t, "first words from Fred")
}

func TestLog_SessionStartAndEnd(t *testing.T) {
	ts := startServer(t)
	key := newKey(t)
	ts.signUp(t, key, "Ada")
	ts.run(t, key, "post 999 hi", "")
	line := regexp.MustCompile(`msg="session end" user=1 fingerprint=` + regexp.QuoteMeta(fingerprint(key)) +
		` remote=127\.0\.0\.1:\d+ kind=command command=post status=1 duration=\S+`)
	workroomtest.WaitUntil(t, "the session end line", func() bool { return line.MatchString(ts.logs.String()) })
	if !strings.Contains(ts.logs.String(), `msg="session start" user=1`) {
		t.Errorf("no session start line:\n%s", ts.logs.String())
	}
}

// panickingCommands panics on every command.
type panickingCommands struct{}

func (panickingCommands) Run(context.Context, *workroom.Identity, cmdline.Line, io.Reader, io.Writer, io.Writer) int {
	panic("a command that panics")
}

func TestRecover_APanicEndsOnlyItsSession(t *testing.T) {
	ts := startServer(t, func(p *parts) { p.commands = panickingCommands{} })
	key := newKey(t)
	if r := ts.run(t, key, "whoami", ""); r.status != 1 || !strings.Contains(r.stderr, panicReason) {
		t.Errorf("panicked session: exit %d, stderr %q; want 1 and the reason", r.status, r.stderr)
	}
	workroomtest.WaitUntil(t, "the panic to be logged with its stack", func() bool {
		return strings.Contains(ts.logs.String(), `level=ERROR msg="session panic"`) && strings.Contains(ts.logs.String(), `panic="a command that panics" stack=`)
	})
	term := openTerminal(t, ts.connect(t, key), "")
	term.waitFor(t, "Welcome to workroom")
}

func TestLog_SessionEndNamesTheAccountSignedUpInIt(t *testing.T) {
	ts := startServer(t)
	key := newKey(t)
	conn := ts.connect(t, key)
	term := openTerminal(t, conn, "")
	term.waitFor(t, "Welcome to workroom")
	term.emu.SendText("Ada\r" + workroomtest.Email("Ada") + "\r")
	workroomtest.WaitUntil(t, "the account made on the sign-up screen", func() bool {
		id, err := ts.svc.Authenticate(context.Background(), workroom.KeyOf(key.PublicKey()))
		return err == nil && id.User != nil
	})
	_ = conn.Close() // as a person closing the terminal window

	user := strconv.FormatUint(uint64(ts.identity(t, key).User.ID), 10)
	workroomtest.WaitUntil(t, "the session end line", func() bool { return strings.Contains(ts.logs.String(), `msg="session end" `) })
	if end := regexp.MustCompile(`msg="session end" user=(\d+) fingerprint=` + regexp.QuoteMeta(fingerprint(key))).FindStringSubmatch(ts.logs.String()); end == nil || end[1] != user {
		t.Errorf("session end line %q; want user=%s, the account the session signed up", end, user)
	}
}
