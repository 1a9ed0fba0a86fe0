package sshd

import (
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// A terminal UI whose client stops reading its screen, while the
// connection itself stays healthy (keepalives answered), is closed once a
// write has been blocked for StalledOutput.
func TestTerminal_ClientThatStopsReadingIsDisconnected(t *testing.T) {
	ts := startServer(t, func(p *parts) { p.cfg.StalledOutput = 300 * time.Millisecond })
	client, free := newKey(t), newKey(t)
	room := awardedRoom(t, ts, client, free)
	long := strings.Repeat("a screenful of text to redraw ", 60)
	for range 40 {
		ts.must(t, free, "post "+room, long)
	}

	c := ts.connect(t, client)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.StdoutPipe(); err != nil { // never read: the client's window fills
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", DefaultMaxTermHeight, DefaultMaxTermWidth, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Start("open " + room); err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() {
		_ = c.Wait()
		close(closed)
	}()
	// Every resize redraws the whole screen, until the client's window is
	// full and the writes block.
	go func() {
		for i := 0; ; i++ {
			if sess.WindowChange(DefaultMaxTermHeight-i%2*100, DefaultMaxTermWidth-i%2*200) != nil {
				return
			}
			select {
			case <-closed:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	select {
	case <-closed:
	case <-time.After(60 * time.Second):
		t.Fatalf("the connection of a client that stopped reading is still open; logs:\n%s", ts.logs)
	}
	if !strings.Contains(ts.logs.String(), "terminal output stalled") {
		t.Errorf("no log line for the stalled terminal:\n%s", ts.logs)
	}
}
