package sftp

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/workroom/workroom"
)

// transcript is a room's messages as one text file, oldest first. It is
// made when a session first reads it and made again once the room has a
// newer message, so that its size in a listing and its bytes agree.
type transcript struct {
	lastSeq uint64
	text    []byte
	mtime   time.Time
}

// transcript returns the room's transcript as of its newest message.
func (h *handlers) transcript(m *workroom.Membership) (*transcript, error) {
	h.mu.Lock()
	t := h.scripts[m.ID]
	h.mu.Unlock()
	if t != nil && t.lastSeq == m.LastSeq {
		return t, nil
	}
	t, err := h.makeTranscript(m)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	if h.scripts == nil {
		h.scripts = make(map[workroom.RoomID]*transcript)
	}
	h.scripts[m.ID] = t
	h.mu.Unlock()
	return t, nil
}

func (h *handlers) makeTranscript(m *workroom.Membership) (*transcript, error) {
	var msgs []workroom.Message
	var before uint64
	for {
		page, err := h.svc.Messages(h.ctx, m.ID, before, workroom.MaxPageSize)
		if err != nil {
			return nil, h.status(err)
		}
		msgs = append(msgs, page.Messages...)
		if page.Before == 0 || len(page.Messages) == 0 {
			break
		}
		before = page.Before
	}
	slices.Reverse(msgs)
	var b strings.Builder
	t := &transcript{lastSeq: m.LastSeq, mtime: m.Created}
	for _, msg := range msgs {
		writeMessage(&b, &msg)
		t.mtime = msg.Created
		if msg.ID > t.lastSeq {
			t.lastSeq = msg.ID
		}
	}
	t.text = []byte(b.String())
	return t, nil
}

// writeMessage writes one message: a header line, the body indented by
// two spaces, its attachments, and a blank line.
func writeMessage(b *strings.Builder, m *workroom.Message) {
	fmt.Fprintf(b, "%s  %s (%s)\n", m.Created.UTC().Format("2006-01-02 15:04:05 UTC"), m.AuthorName, m.Source)
	for line := range strings.SplitSeq(m.Body, "\n") {
		b.WriteString("  " + line + "\n")
	}
	for _, a := range m.Attachments {
		fmt.Fprintf(b, "  [attached: %s, version %d]\n", a.Path, a.Version.N)
	}
	b.WriteString("\n")
}
