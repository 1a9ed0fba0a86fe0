package sshd

import (
	"bufio"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// canConnect reports whether a connection with key gets in. It waits for
// the server's answer to a request before closing, so the server is done
// taking the connection (charm.land/ssh's Shutdown races with a handshake
// that completes while it runs).
func (ts *testServer) canConnect(t *testing.T, key gossh.Signer) bool {
	t.Helper()
	c, err := ts.dial(t, gossh.PublicKeys(key))
	if err != nil {
		return false
	}
	defer c.Close()
	_, _, err = c.SendRequest(keepaliveRequest, true, nil)
	return err == nil
}

// heapInUse is the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func TestTermSize_HugeTerminalLeavesTheHeapFlat(t *testing.T) {
	ts := startServer(t)
	// The client's screen is as large as the server allows, so the test
	// can see which width the program draws for.
	emu := vt.NewSafeEmulator(DefaultMaxTermWidth, DefaultMaxTermHeight)
	before := heapInUse()

	sess, err := ts.connect(t, newKey(t)).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	sess.Stdout, sess.Stderr = emu, emu
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(stdin, emu) }()
	const huge = 100000
	if err := sess.RequestPty("xterm-256color", huge, huge, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	// drawnTall waits until the help bar, the UI's last line, shows the
	// program drawing for a tall screen (the largest allowed), or for a
	// 24-row one.
	drawnTall := func(what string, tall bool) {
		t.Helper()
		want := 23
		if tall {
			want = DefaultMaxTermHeight - 1
		}
		workroomtest.WaitUntil(t, what, func() bool { return helpBarRow(ansi.Strip(emu.Render())) == want })
	}
	const bound = 50 << 20
	checkHeap := func(what string) {
		t.Helper()
		if grew := int64(heapInUse()) - int64(before); grew > bound {
			t.Fatalf("%s: the heap grew by %d MB; want under %d MB", what, grew>>20, bound>>20)
		}
	}
	drawnTall("the first screen, drawn for the largest size", true)
	checkHeap("a pty request of 100000×100000")

	resize := func(rows, cols int) {
		t.Helper()
		if err := sess.WindowChange(rows, cols); err != nil {
			t.Fatal(err)
		}
	}
	resize(24, 80)
	drawnTall("a redraw for 80 columns", false)
	resize(huge, huge)
	drawnTall("a redraw after a resize to 100000×100000", true)
	checkHeap("a resize to 100000×100000")

}

func TestTermSize_ProgramFilterClampsSizeReports(t *testing.T) {
	// The input parser turns a size report typed into stdin into a
	// resize; the program's filter clamps that one too.
	lim := Limits{}.withDefaults()
	got := lim.programFilter(nil, tea.WindowSizeMsg{Width: 100000, Height: 100000})
	if want := (tea.WindowSizeMsg{Width: DefaultMaxTermWidth, Height: DefaultMaxTermHeight}); got != want {
		t.Errorf("filter(100000×100000) = %v, want %v", got, want)
	}
	if got := lim.programFilter(nil, tea.SuspendMsg{}); got != (tea.ResumeMsg{}) {
		t.Errorf("filter(suspend) = %v, want a resume: a client must not suspend the server's program", got)
	}
}

// helpBarRow is the row of the sign-up screen's help bar, or -1. When
// the UI is drawn smaller than before, the old bar is cleared.
func helpBarRow(screen string) int {
	for i, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, "ctrl+c quit") {
			return i
		}
	}
	return -1
}

func TestTermSize_TUIDrawsAtTheClampedSize(t *testing.T) {
	ts := startServer(t, func(p *parts) { p.cfg.MaxTermWidth, p.cfg.MaxTermHeight = 80, 24 })
	// The client's screen is as big as the server allows; it asks for
	// far more.
	term := openTerminalAsking(t, ts.connect(t, newKey(t)), "", 5000, 5000)
	// The help bar is the last line of the UI: drawn at a height of
	// 5000 it would be far below the 24 rows the client shows.
	workroomtest.WaitUntil(t, "the help bar on the last row", func() bool {
		rows := strings.Split(term.screen(), "\n")
		return len(rows) >= 24 && strings.Contains(rows[23], "quit")
	})
}

func TestSessions_TheEleventhOnAConnectionIsRefused(t *testing.T) {
	ts := startServer(t)
	c := ts.connect(t, newKey(t))
	var open []*gossh.Session
	for i := range DefaultMaxSessions {
		s, err := c.NewSession()
		if err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
		open = append(open, s)
	}
	_, err := c.NewSession()
	var reject *gossh.OpenChannelError
	if !errors.As(err, &reject) || reject.Reason != gossh.ResourceShortage || !strings.Contains(reject.Message, "at most 10 sessions") {
		t.Fatalf("11th session: %v; want rejected for resource shortage, saying at most 10", err)
	}
	_ = open[0].Close()
	workroomtest.WaitUntil(t, "a session to be let in once one closed", func() bool {
		s, err := c.NewSession()
		if err == nil {
			_ = s.Close()
		}
		return err == nil
	})
}

// TestSessions_OpenedTooFastAreRefusedWithTheWait: a client opening
// sessions faster than the session rate gets the next one rejected, with
// how long to wait, and is let in again once it has waited.
func TestSessions_OpenedTooFastAreRefusedWithTheWait(t *testing.T) {
	ts := startServer(t, func(p *parts) {
		p.limits = &workroom.Limits{Sessions: workroom.Rate{N: 3, Per: time.Second}}
	})
	c := ts.connect(t, newKey(t))
	for i := range 3 {
		s, err := c.NewSession()
		if err != nil {
			t.Fatalf("session %d of a burst of 3: %v", i+1, err)
		}
		_ = s.Close()
	}
	_, err := c.NewSession()
	var reject *gossh.OpenChannelError
	if !errors.As(err, &reject) || reject.Reason != gossh.ResourceShortage || !strings.Contains(reject.Message, "too many sessions: wait 1s and try again") {
		t.Fatalf("4th session within a second: %v; want rejected, saying to wait", err)
	}
	workroomtest.WaitUntil(t, "a session to be let in after the wait", func() bool {
		s, err := c.NewSession()
		if err == nil {
			_ = s.Close()
		}
		return err == nil
	})
}

func TestConns_PerAddressLimitRefusesAndRecovers(t *testing.T) {
	ts := startServer(t, func(p *parts) { p.cfg.MaxConnsPerAddr = 2 })
	key := newKey(t)
	first := ts.connect(t, key)
	ts.connect(t, key)
	if c, err := ts.dial(t, gossh.PublicKeys(key)); err == nil {
		c.Close()
		t.Fatal("a third connection from one address got in; the limit is 2")
	}
	workroomtest.WaitUntil(t, "the refusal logged", func() bool {
		return strings.Contains(ts.logs.String(), "connections already open from this address")
	})
	_ = first.Close()
	workroomtest.WaitUntil(t, "a connection to be let in once one closed", func() bool { return ts.canConnect(t, key) })
}

func TestConns_PerAccountLimitRefusesAndRecovers(t *testing.T) {
	ts := startServer(t, func(p *parts) { p.cfg.MaxConnsPerAccount = 2 })
	key, other := newKey(t), newKey(t)
	ts.signUp(t, key, "Ada")
	ts.signUp(t, other, "Bob")
	first, second, third := ts.connect(t, key), ts.connect(t, key), ts.connect(t, key)
	for _, c := range []*gossh.Client{first, second, first} {
		if r := runOn(t, c, "whoami", ""); r.status != 0 {
			t.Fatalf("whoami within the limit: exit %d, %q", r.status, r.stderr)
		}
	}
	r := runOn(t, third, "whoami", "")
	if r.status != 1 || !strings.Contains(r.stderr, "already has 2 connections open") {
		t.Fatalf("a session on a third connection: exit %d, %q; want refused, saying why", r.status, r.stderr)
	}
	if r := ts.run(t, other, "whoami", ""); r.status != 0 {
		t.Fatalf("another account was refused too: exit %d, %q", r.status, r.stderr)
	}
	_ = first.Close()
	workroomtest.WaitUntil(t, "the third connection to be let in once one closed", func() bool {
		return runOn(t, third, "whoami", "").status == 0
	})
}

func TestConns_HandshakesInFlightAreLimited(t *testing.T) {
	ts := startServer(t, func(p *parts) { p.cfg.MaxStartups = 2 })
	raw := func() net.Conn {
		c, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		// The server's version line says it has taken the connection.
		if line, err := bufio.NewReader(c).ReadString('\n'); err != nil || !strings.HasPrefix(line, "SSH-2.0-") {
			t.Fatalf("server's version line: %q, %v", line, err)
		}
		return c
	}
	silent := raw()
	raw()
	key := newKey(t)
	if c, err := ts.dial(t, gossh.PublicKeys(key)); err == nil {
		c.Close()
		t.Fatal("a connection got in with 2 handshakes already in flight; the limit is 2")
	}
	workroomtest.WaitUntil(t, "the refusal logged", func() bool {
		return strings.Contains(ts.logs.String(), "connections already in their handshake")
	})
	_ = silent.Close()
	workroomtest.WaitUntil(t, "a connection to be let in once a handshake left", func() bool { return ts.canConnect(t, key) })
	// Once authenticated, a connection no longer counts as a handshake:
	// with one still in flight, two more get in.
	ts.connect(t, key)
	ts.connect(t, key)
}

func TestConns_HandshakeTimeoutClosesASilentConnection(t *testing.T) {
	ts := startServer(t, func(p *parts) { p.cfg.HandshakeTimeout = 200 * time.Millisecond })
	c, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = io.ReadAll(c) // the server's version line, then the close
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("a connection that never began its handshake was still open after 5 s; the timeout is 200 ms")
	}
}

func TestIdle_ConnectionWithNoSessionIsClosed(t *testing.T) {
	ts := startServer(t, func(p *parts) { p.cfg.IdleTimeout = 300 * time.Millisecond })
	key := newKey(t)
	ts.signUp(t, key, "Ada")
	busy, idle := ts.connect(t, key), ts.connect(t, key)
	held, err := busy.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	closed := func(c *gossh.Client) <-chan error {
		ch := make(chan error, 1)
		go func() { ch <- c.Wait() }()
		return ch
	}
	idleDone, busyDone := closed(idle), closed(busy)
	waitErr(t, "the idle connection's close", idleDone, 5*time.Second)
	select {
	case <-busyDone:
		t.Fatal("a connection with a session open was closed as idle")
	default:
	}
	if r := runOn(t, busy, "whoami", ""); r.status != 0 {
		t.Fatalf("whoami on the busy connection: exit %d, %q", r.status, r.stderr)
	}
	_ = held.Close()
	waitErr(t, "the close once its last session ended", busyDone, 5*time.Second)
}

func TestIdle_SignUpScreenLeftIdleEnds(t *testing.T) {
	ts := startServer(t, func(p *parts) { p.cfg.IdleTimeout = 500 * time.Millisecond })
	member := newKey(t)
	ts.signUp(t, member, "Ada")
	memberTerm := openTerminal(t, ts.connect(t, member), "")
	memberTerm.waitFor(t, "No workrooms yet")

	term := openTerminal(t, ts.connect(t, newKey(t)), "")
	term.waitFor(t, "Welcome to workroom")
	var exit *gossh.ExitError
	if err := waitErr(t, "the idle sign-up session's end", term.done, 5*time.Second); !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Fatalf("idle sign-up session ended with %v, want exit 1", err)
	}
	term.waitFor(t, "closed after 500ms without input")
	select {
	case err := <-memberTerm.done:
		t.Fatalf("a member's idle terminal was ended too: %v", err)
	default:
	}
}
