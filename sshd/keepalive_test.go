package sshd

import (
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom/workroomtest"
)

// fastKeepalive makes keepalives quick enough to test.
func fastKeepalive(p *parts) {
	p.cfg.KeepaliveInterval = 20 * time.Millisecond
	p.cfg.KeepaliveMax = 3
}

// rawClient connects and hands the server's global requests (the
// keepalives) to answer, which replies to them or not.
func rawClient(t *testing.T, ts *testServer, answer func(*gossh.Request)) *gossh.Client {
	t.Helper()
	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	c, chans, reqs, err := gossh.NewClientConn(conn, ts.addr, &gossh.ClientConfig{
		User: "x", Auth: []gossh.AuthMethod{gossh.PublicKeys(newKey(t))}, HostKeyCallback: gossh.InsecureIgnoreHostKey(),
	})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for r := range reqs {
			answer(r)
		}
	}()
	client := gossh.NewClient(c, chans, nil)
	t.Cleanup(func() { _ = client.Close() })
	return client
}

func TestKeepalive_ClosesAConnectionThatStopsAnswering(t *testing.T) {
	ts := startServer(t, fastKeepalive)
	var asked atomic.Int32
	c := rawClient(t, ts, func(r *gossh.Request) {
		if r.Type == keepaliveRequest {
			asked.Add(1) // and never answer, like a client that vanished
		}
	})
	closed := make(chan error, 1)
	go func() { closed <- c.Wait() }()
	waitErr(t, "the server to close the connection", closed, 10*time.Second)
	if asked.Load() == 0 {
		t.Error("the connection was closed without a keepalive asked")
	}
	if !strings.Contains(ts.logs.String(), "closing unresponsive connection") {
		t.Errorf("no log line for the closed connection:\n%s", ts.logs.String())
	}
}

func TestKeepalive_KeepsAnIdleConnectionThatAnswers(t *testing.T) {
	ts := startServer(t, fastKeepalive)
	var asked atomic.Int32
	c := rawClient(t, ts, func(r *gossh.Request) {
		if r.Type == keepaliveRequest {
			asked.Add(1)
		}
		_ = r.Reply(false, nil) // what OpenSSH answers
	})
	workroomtest.WaitUntil(t, "ten keepalives", func() bool { return asked.Load() >= 10 })
	if r := runOn(t, c, "help", ""); r.status != 0 {
		t.Fatalf("the idle connection no longer works: exit %d %s", r.status, r.stderr)
	}
}
