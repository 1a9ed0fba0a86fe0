package main

import (
	"bytes"
	"context"
	"io"
	"net/mail"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"github.com/workroom/workroom/mail/relaytest"
)

func testConfig(addr string) config {
	return config{addr: addr, from: "a@example.com", to: "room-1@example.com", helo: "bench.test",
		mails: 20, clients: 4, size: 10 << 10, timeout: 10 * time.Second, subject: "bench %d", fileName: "f-%d.pdf"}
}

// TestRun_SendsEveryMailWithItsAttachmentAndTimesTheReplies: against any
// SMTP server (here an in-process go-smtp one), every mail arrives once
// with its attachment whole, and every reply was timed.
func TestRun_SendsEveryMailWithItsAttachmentAndTimesTheReplies(t *testing.T) {
	relay := relaytest.Start(t, relaytest.Options{})
	c := testConfig(relay.Addr)
	r, err := run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if r.sent != c.mails || len(r.afterDot) != c.mails || r.afterDot.Max() <= 0 {
		t.Fatalf("sent %d, timed %d replies (max %v); want %d of each", r.sent, len(r.afterDot), r.afterDot.Max(), c.mails)
	}
	byID := relay.AcceptedByID()
	if len(byID) != c.mails {
		t.Fatalf("server got %d distinct Message-IDs, want %d", len(byID), c.mails)
	}
	names := map[string]bool{}
	for _, m := range relay.Accepted() {
		name, size := attachment(t, m.Data)
		if size != c.size {
			t.Fatalf("attachment %s is %d bytes, want %d", name, size, c.size)
		}
		names[name] = true
	}
	if len(names) != c.mails {
		t.Fatalf("%d distinct attachment names, want %d", len(names), c.mails)
	}
	var out bytes.Buffer
	r.print(&out, c)
	for _, want := range []string{"20 accepted of 20", "mails/s", "p99"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestRun_CountsRefusalsByReply: a server answering 451 leaves the run
// failed, with the refusals counted under their reply.
func TestRun_CountsRefusalsByReply(t *testing.T) {
	relay := relaytest.Start(t, relaytest.Options{})
	relay.Refuse(true)
	c := testConfig(relay.Addr)
	r, err := run(context.Background(), c)
	if err == nil || r.sent != 0 {
		t.Fatalf("run = %d sent, %v; want a failure", r.sent, err)
	}
	var out bytes.Buffer
	r.print(&out, c)
	if !strings.Contains(out.String(), "refused: 20 × 451") {
		t.Fatalf("report:\n%s", out.String())
	}
}

// attachment returns the name and decoded size of the mail's attachment.
func attachment(t *testing.T, data []byte) (string, int) {
	t.Helper()
	if _, err := mail.ReadMessage(bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	mr, err := gomail.CreateReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("no attachment: %v", err)
		}
		if h, ok := p.Header.(*gomail.AttachmentHeader); ok {
			name, _ := h.Filename()
			b, err := io.ReadAll(p.Body)
			if err != nil {
				t.Fatal(err)
			}
			return name, len(b)
		}
	}
}

// TestDotStuff_DoublesALeadingDotOnEveryLine: the server takes a line
// "." as the end of the mail, so a body line starting with a dot must go
// out with two.
func TestDotStuff_DoublesALeadingDotOnEveryLine(t *testing.T) {
	got := string(dotStuff([]byte(".first\r\nmid.dle\r\n.\r\n..two\r\n")))
	if want := "..first\r\nmid.dle\r\n..\r\n...two\r\n"; got != want {
		t.Fatalf("dotStuff = %q, want %q", got, want)
	}
}
