package mail

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// TestSender_NotificationBouncesToBouncesAndRepliesToTheKey: a
// notification leaves with envelope sender bounces@ (where DSNs mark the
// address undeliverable) and Reply-To the recipient's reply address.
func TestSender_NotificationBouncesToBouncesAndRepliesToTheKey(t *testing.T) {
	w := newWorld(t)
	ada, bob := verifiedUser(t, w, "Ada"), verifiedUser(t, w, "Bob")
	r := w.Room(t, ada, bob, "Logo")
	w.Post(t, ada, r.ID, "hello Bob")
	key := newestReplyKey(t, w, workroomtest.Email("Bob"))
	relay := startRelay(t, nil)
	NewSender(SenderConfig{Relay: relay.addr, Hostname: workroomtest.MailDomain}, w.Outbox, slog.New(slog.DiscardHandler)).drain(context.Background())
	found := false
	for _, m := range relay.messages() {
		if m.to != workroomtest.Email("Bob") || !strings.Contains(string(m.data), "hello Bob") {
			continue
		}
		found = true
		h, _ := parse(t, m.data)
		if m.from != "bounces@"+workroomtest.MailDomain {
			t.Errorf("envelope sender %q, want bounces@%s", m.from, workroomtest.MailDomain)
		}
		if got, want := h.Get("Reply-To"), "<"+workroom.ReplyAddress(key, workroomtest.MailDomain)+">"; got != want {
			t.Errorf("Reply-To %q, want %q", got, want)
		}
		if h.Get("From") == "" || !strings.Contains(h.Get("From"), "noreply@") {
			t.Errorf("From %q, want noreply@", h.Get("From"))
		}
	}
	if !found {
		t.Fatal("the relay got no notification to Bob")
	}
}

func TestSMTP_OffersStartTLSWithACertificate(t *testing.T) {
	cert, pool := selfSigned(t)
	mw := newMailWorld(t, ServerConfig{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}})
	if ok, _ := dialHello(t, mw.addr).Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS not offered")
	}
	c, err := smtp.DialStartTLS(mw.addr, &tls.Config{RootCAs: pool, ServerName: "relay.test"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail(workroomtest.Email("Bob"), nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt(mw.replyAddr(), nil); err != nil {
		t.Fatal(err)
	}
	wc, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	_, _ = wc.Write([]byte(msg([]string{from("Bob"), subject}, "Over TLS.\n")))
	if err := wc.Close(); err != nil {
		t.Fatal(err)
	}
	if state, ok := c.TLSConnectionState(); !ok || !state.HandshakeComplete {
		t.Fatal("no TLS after STARTTLS")
	}
	if ms := mw.byMail(t, mw.room.ID); len(ms) != 1 || ms[0].Body != "Over TLS." {
		t.Fatalf("posted %+v", ms)
	}
	plain := dialHello(t, newMailWorld(t, ServerConfig{}).addr)
	if ok, _ := plain.Extension("STARTTLS"); ok {
		t.Fatal("STARTTLS offered without a certificate")
	}
}

func TestSMTP_RefusesOverlongLinesAndNeedsMailFirst(t *testing.T) {
	mw := newMailWorld(t, ServerConfig{})
	c := dialHello(t, mw.addr)
	err := c.Rcpt(mw.replyAddr(), nil)
	if se, ok := err.(*smtp.SMTPError); !ok || se.Code != 502 {
		t.Fatalf("RCPT before MAIL: %v, want 502", err)
	}
	got := send(t, mw.addr, workroomtest.Email("Bob"), []string{mw.replyAddr()}, msg([]string{from("Bob"), subject}, strings.Repeat("x", DefaultMaxLineLength+10)+"\n"))
	if got.err == nil || got.err.Code != 500 || !strings.Contains(got.err.Message, "longer than 2000 bytes") {
		t.Fatalf("a line over %d bytes: %+v, want 500", DefaultMaxLineLength, got.err)
	}
	if n := len(mw.byMail(t, mw.room.ID)); n != 0 {
		t.Fatalf("%d messages after an overlong line", n)
	}
}

func TestSMTP_DataTimeoutEndsAStalledMail(t *testing.T) {
	mw := newMailWorld(t, ServerConfig{DataTimeout: 300 * time.Millisecond})
	conn, err := net.Dial("tcp", mw.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	for _, cmd := range []string{"", "EHLO client.example", "MAIL FROM:<" + workroomtest.Email("Bob") + ">", "RCPT TO:<" + mw.replyAddr() + ">", "DATA"} {
		if cmd != "" {
			fmt.Fprintf(conn, "%s\r\n", cmd)
		}
		for { // read the whole (multi-line) reply
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("after %q: %v", cmd, err)
			}
			if len(line) < 4 || line[3] != '-' {
				break
			}
		}
	}
	fmt.Fprintf(conn, "From: %s\r\n%s\r\n\r\nhalf a mail", workroomtest.Email("Bob"), subject)
	_ = conn.SetReadDeadline(time.Now().Add(workroomtest.WaitLimit))
	line, err := r.ReadString('\n')
	if err == nil && !strings.HasPrefix(line, "4") && !strings.HasPrefix(line, "5") {
		t.Fatalf("a stalled DATA got %q, want a refusal or the connection closed", line)
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server still waits for the stalled mail")
	}
	if n := len(mw.byMail(t, mw.room.ID)); n != 0 {
		t.Fatalf("%d messages from half a mail", n)
	}
}
