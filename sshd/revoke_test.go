package sshd

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// identity is who key is to the service.
func (ts *testServer) identity(t *testing.T, key gossh.Signer) *workroom.Identity {
	t.Helper()
	id, err := ts.svc.Authenticate(context.Background(), workroom.KeyOf(key.PublicKey()))
	if err != nil || id.User == nil {
		t.Fatalf("identity of %s: %+v, %v", fingerprint(key), id, err)
	}
	return id
}

// pendingPost starts `post ROOM` on its own connection and leaves it
// reading stdin, with part of a message sent.
type pendingPost struct {
	sess   *gossh.Session
	stderr *workroomtest.Buffer
	done   chan error
}

func startPendingPost(t *testing.T, ts *testServer, key gossh.Signer, room string) *pendingPost {
	t.Helper()
	sess, err := ts.connect(t, key).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sess.Close() })
	p := &pendingPost{sess: sess, stderr: &workroomtest.Buffer{}, done: make(chan error, 1)}
	sess.Stderr = p.stderr
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Start("post " + room); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(stdin, "half a mess"); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- sess.Wait() }()
	workroomtest.WaitUntil(t, "the post to start", func() bool {
		return strings.Contains(ts.logs.String(), `msg="session start" user=`+strconv.FormatUint(uint64(ts.identity(t, key).User.ID), 10)) &&
			strings.Contains(ts.logs.String(), "kind=command command=post")
	})
	return p
}

// endsWith waits for the post's session to end with exit 1 and reason on
// stderr, then for the command itself to have returned.
func (p *pendingPost) endsWith(t *testing.T, ts *testServer, reason string) {
	t.Helper()
	var exit *gossh.ExitError
	if err := waitErr(t, "the pending post's end", p.done, 5*time.Second); !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Fatalf("pending post ended with %v, want exit 1", err)
	}
	if !strings.Contains(p.stderr.String(), "workroom: "+reason) {
		t.Errorf("pending post's stderr %q; want it to say %q", p.stderr.String(), reason)
	}
	workroomtest.WaitUntil(t, "the post command to return", func() bool {
		return strings.Contains(ts.logs.String(), "msg=command command=post")
	})
}

// messages is the bodies in a room, as its member key sees them.
func (ts *testServer) messages(t *testing.T, member gossh.Signer, room string) string {
	t.Helper()
	return ts.must(t, member, "messages "+room, "")
}

func TestRevoke_RemovedKeyEndsItsOpenSessionsAtOnce(t *testing.T) {
	ts := startServer(t)
	desk, laptop, fred := newKey(t), newKey(t), newKey(t)
	room := awardedRoom(t, ts, desk, fred)
	ts.addKey(t, desk, laptop)

	deskTUI := openTerminal(t, ts.connect(t, desk), "")
	deskTUI.waitFor(t, "Logo design")
	laptopConn := ts.connect(t, laptop)
	laptopTUI := openTerminal(t, laptopConn, "")
	laptopTUI.waitFor(t, "Logo design")
	post := startPendingPost(t, ts, desk, room)

	ts.must(t, laptop, "keys remove "+fingerprint(desk), "")

	var exit *gossh.ExitError
	if err := waitErr(t, "the removed key's TUI to end", deskTUI.done, 5*time.Second); !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Fatalf("the removed key's TUI ended with %v, want exit 1", err)
	}
	deskTUI.waitFor(t, "workroom: "+workroom.ReasonKeyRemoved)
	if deskTUI.emu.IsAltScreen() {
		t.Error("the client was left in the alternate screen")
	}
	post.endsWith(t, ts, workroom.ReasonKeyRemoved)
	if got := ts.messages(t, laptop, room); strings.Contains(got, "half a mess") {
		t.Fatalf("the removed key's pending post was stored:\n%s", got)
	}

	// The account's other key keeps working, in the sessions it had open.
	select {
	case err := <-laptopTUI.done:
		t.Fatalf("the other key's TUI ended too: %v", err)
	default:
	}
	if r := runOn(t, laptopConn, "post "+room+" still here", ""); r.status != 0 {
		t.Fatalf("post with the other key: exit %d, %q", r.status, r.stderr)
	}
	laptopTUI.waitFor(t, "Logo design")
}

func TestRevoke_DisabledAccountEndsItsOpenSessionsAtOnce(t *testing.T) {
	admin := newKey(t)
	ts := startServer(t, func(p *parts) { p.admins = []string{fingerprint(admin)} })
	clara, fred := newKey(t), newKey(t)
	room := awardedRoom(t, ts, clara, fred)
	ts.signUp(t, admin, "Admin")

	claraTUI := openTerminal(t, ts.connect(t, clara), "")
	claraTUI.waitFor(t, "Logo design")
	fredTUI := openTerminal(t, ts.connect(t, fred), "")
	fredTUI.waitFor(t, "Logo design")
	post := startPendingPost(t, ts, clara, room)

	asAdmin := workroom.NewContextWithIdentity(context.Background(), ts.identity(t, admin))
	if err := ts.svc.DisableUser(asAdmin, ts.identity(t, clara).User.ID); err != nil {
		t.Fatal(err)
	}

	var exit *gossh.ExitError
	if err := waitErr(t, "the disabled account's TUI to end", claraTUI.done, 5*time.Second); !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Fatalf("the disabled account's TUI ended with %v, want exit 1", err)
	}
	claraTUI.waitFor(t, "workroom: "+workroom.ReasonDisabled)
	post.endsWith(t, ts, workroom.ReasonDisabled)
	if got := ts.messages(t, fred, room); strings.Contains(got, "half a mess") {
		t.Fatalf("the disabled account's pending post was stored:\n%s", got)
	}
	select {
	case err := <-fredTUI.done:
		t.Fatalf("another account's TUI ended too: %v", err)
	default:
	}
}
