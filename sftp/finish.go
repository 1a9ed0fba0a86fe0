package sftp

import (
	"io"
	"sync/atomic"
	"time"
)

// When the server stops, an upload in progress may finish within the
// shutdown grace (the service starts no new one meanwhile): a session is
// not cut off at once but ends itself once it holds no open upload and
// its client has been quiet for finishQuiet — long enough for the answer
// to its last request, the close that stored the file, to have gone out.
// A session still uploading at the deadline is ended by the SSH server;
// its upload is discarded (Close aborts it once the context has ended).

const (
	// finishQuiet is how long a stopping session with no open upload
	// must have sent nothing before it is ended.
	finishQuiet = 250 * time.Millisecond
	// finishPoll is how often a stopping session looks whether it is done.
	finishPoll = 50 * time.Millisecond
)

// FinishesAtShutdown marks the server as an sshd.Finisher.
func (s *Server) FinishesAtShutdown() {}

// heard is a session channel that remembers when the client last sent
// something.
type heard struct {
	io.ReadWriteCloser
	last atomic.Int64 // unix nanoseconds
}

func newHeard(ch io.ReadWriteCloser) *heard {
	h := &heard{ReadWriteCloser: ch}
	h.last.Store(time.Now().UnixNano())
	return h
}

func (h *heard) Read(p []byte) (int, error) {
	n, err := h.ReadWriteCloser.Read(p)
	if n > 0 {
		h.last.Store(time.Now().UnixNano())
	}
	return n, err
}

// quietFor is how long the client has sent nothing.
func (h *heard) quietFor() time.Duration {
	return time.Duration(time.Now().UnixNano() - h.last.Load())
}

// endWhenFinished calls end once stopping is closed, the session holds
// no open upload and the client has been quiet for finishQuiet; it
// returns without calling it when done closes first (the session ended).
func (h *handlers) endWhenFinished(stopping, done <-chan struct{}, ch *heard, end func()) {
	select {
	case <-stopping:
	case <-done:
		return
	}
	t := time.NewTicker(finishPoll)
	defer t.Stop()
	for {
		if h.open.Load() == 0 && ch.quietFor() >= finishQuiet {
			end()
			return
		}
		select {
		case <-t.C:
		case <-done:
			return
		}
	}
}
