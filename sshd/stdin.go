package sshd

import (
	"context"
	"errors"
	"io"

	gossh "golang.org/x/crypto/ssh"
)

// eofCheckRequest is the channel request that confirms a session is still
// there after its stdin ended. No client knows it: OpenSSH and
// golang.org/x/crypto/ssh answer an unknown request that wants a reply
// with a failure, and any answer proves the channel alive.
const eofCheckRequest = "eof-check@workroom"

// stdinReader is a session's stdin as the command runner reads it: its
// io.EOF means the client sent EOF and is still there. The SSH library
// reads end of input the same way whether the client sent EOF, closed the
// channel, or its connection dropped — and a `post` reading stdin would
// then store half a message. So at end of input a round trip on the
// channel decides: answered, and the session not ended (its context still
// live), is a clean end; otherwise the input was cut off and the reader
// says io.ErrUnexpectedEOF, so the command stores nothing.
type stdinReader struct {
	ctx context.Context
	ch  gossh.Channel
	err error // the end, once decided
}

func cleanStdin(ctx context.Context, ch gossh.Channel) io.Reader {
	return &stdinReader{ctx: ctx, ch: ch}
}

func (r *stdinReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.ch.Read(p)
	switch {
	case err == nil:
	case errors.Is(err, io.EOF) && n > 0:
		err = nil // the next Read ends it, after the check
	case errors.Is(err, io.EOF):
		r.err = r.confirmEnd()
		err = r.err
	default:
		r.err = io.ErrUnexpectedEOF
		err = r.err
	}
	return n, err
}

// confirmEnd asks the client whether it is still there, and returns io.EOF
// when it is and the session goes on, else io.ErrUnexpectedEOF.
func (r *stdinReader) confirmEnd() error {
	answered := make(chan error, 1)
	go func() {
		_, err := r.ch.SendRequest(eofCheckRequest, true, nil)
		answered <- err
	}()
	select {
	case err := <-answered:
		if err != nil {
			return io.ErrUnexpectedEOF
		}
	case <-r.ctx.Done():
		return io.ErrUnexpectedEOF
	}
	if r.ctx.Err() != nil {
		return io.ErrUnexpectedEOF
	}
	return io.EOF
}
