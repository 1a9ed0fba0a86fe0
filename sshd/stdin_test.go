package sshd

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom/workroomtest"
)

// TestPost_StoresStdinOnlyWhenItEndedCleanly starts `post ROOM` reading
// stdin, sends half a message, and ends the input three ways: only an EOF
// from a client that is still there stores it.
func TestPost_StoresStdinOnlyWhenItEndedCleanly(t *testing.T) {
	for _, tc := range []struct {
		name   string
		end    func(c *gossh.Client, sess *gossh.Session, stdin io.WriteCloser)
		stored bool
	}{
		{"EOF sent", func(_ *gossh.Client, _ *gossh.Session, stdin io.WriteCloser) { _ = stdin.Close() }, true},
		{"connection dropped", func(c *gossh.Client, _ *gossh.Session, _ io.WriteCloser) { _ = c.Close() }, false},
		{"channel closed without EOF", func(_ *gossh.Client, sess *gossh.Session, _ io.WriteCloser) { _ = sess.Close() }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := startServer(t)
			client, freelancer := newKey(t), newKey(t)
			room := awardedRoom(t, ts, client, freelancer)

			c := ts.connect(t, freelancer)
			sess, err := c.NewSession()
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
			if _, err := io.WriteString(stdin, "The first half of a mess"); err != nil {
				t.Fatal(err)
			}
			tc.end(c, sess, stdin)
			workroomtest.WaitUntil(t, "the post session to end", func() bool {
				return strings.Contains(ts.logs.String(), `kind=command command=post status=`)
			})

			out := ts.must(t, client, "messages "+room, "")
			if stored := strings.Contains(out, "The first half of a mess"); stored != tc.stored {
				t.Errorf("stored = %v, want %v; messages:\n%s", stored, tc.stored, out)
			}
		})
	}
}

// fakeChannel is a channel whose input has ended, and which answers (or
// not) the check that follows.
type fakeChannel struct {
	gossh.Channel
	answer error
}

func (fakeChannel) Read([]byte) (int, error) { return 0, io.EOF }

func (f fakeChannel) SendRequest(string, bool, []byte) (bool, error) { return false, f.answer }

func TestStdin_EndIsCleanOnlyWhenAnsweredAndTheSessionGoesOn(t *testing.T) {
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		ch   fakeChannel
		want error
	}{
		{"answered", context.Background(), fakeChannel{}, io.EOF},
		{"no answer: channel gone", context.Background(), fakeChannel{answer: io.EOF}, io.ErrUnexpectedEOF},
		{"session ended (key removed, shutdown)", ended, fakeChannel{}, io.ErrUnexpectedEOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := io.ReadAll(cleanStdin(tc.ctx, tc.ch))
			if tc.want == io.EOF && err != nil || tc.want != io.EOF && !errors.Is(err, tc.want) {
				t.Errorf("ReadAll: %v, want %v", err, tc.want)
			}
		})
	}
}
