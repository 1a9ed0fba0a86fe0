package sshd

import (
	"testing"
	"time"

	"charm.land/ssh"
)

// blockedOutput is a client's session whose writes block until released,
// as they do when the client stops reading and its window is full.
type blockedOutput struct {
	ssh.Session
	release chan struct{}
}

func (b blockedOutput) Write(p []byte) (int, error) {
	<-b.release
	return len(p), nil
}

// stalledSession is a session of kind routed to blocking output, whose
// stall cut reports on the returned channel.
func stalledSession(kind string) (*session, chan struct{}, chan struct{}) {
	release, cut := make(chan struct{}), make(chan struct{}, 1)
	x := &session{Session: blockedOutput{release: release}, route: route{kind: kind}, status: -1,
		stallLimit: 20 * time.Millisecond, onStall: func() { cut <- struct{}{} }}
	return x, release, cut
}

// A terminal UI's write that stays blocked for StalledOutput ends the
// session (the server's cut closes the connection, which ends the write).
func TestStall_BlockedTerminalWriteEndsTheSession(t *testing.T) {
	x, release, cut := stalledSession(kindTUI)
	go func() {
		<-cut
		close(release) // as closing the connection does
	}()
	done := make(chan struct{})
	go func() {
		_, _ = x.Write([]byte("a frame"))
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the blocked write was never cut")
	}
	if x.endedBecause() != stallReason {
		t.Fatalf("session ended because %q, want %q", x.endedBecause(), stallReason)
	}
}

// A write that returns in time cuts nothing, and a command's output (a
// long `get` into a slow pipe) is never cut.
func TestStall_WritesInTimeAndCommandsAreNotCut(t *testing.T) {
	x, release, cut := stalledSession(kindTUI)
	close(release)
	if _, err := x.Write([]byte("a frame")); err != nil {
		t.Fatal(err)
	}
	// A non-event: a timer that was not stopped would fire within this.
	select {
	case <-cut:
		t.Fatal("a write that returned in time was cut")
	case <-time.After(10 * x.stallLimit):
	}

	cmd, release, cut := stalledSession(kindCommand)
	go func() {
		_, _ = cmd.Write([]byte("a file's bytes"))
	}()
	defer close(release)
	select {
	case <-cut:
		t.Fatal("a command's blocked output was cut")
	case <-time.After(10 * cmd.stallLimit):
	}
}
