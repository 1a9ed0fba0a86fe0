package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/mailauth"
	"github.com/workroom/workroom/workroomtest"
)

// mailWorld is a room with Ada (client) and Bob (freelancer), both
// verified, Bob's reply key from a notification, Eve verified and in no
// room, Gus a guest of the room, and SMTP in on 127.0.0.1:0.
type mailWorld struct {
	w        *workroomtest.World
	addr     string
	room     *workroom.Room
	ada, bob *workroom.Identity
	bobKey   string
}

// testAuth is the sender authentication of the tests: the mail's own
// X-Test-Auth header says the verdict (pass, fail, temp); none is
// unverified.
type testAuth struct{}

func (testAuth) Check(_ context.Context, in mailauth.Input) mailauth.Result {
	raw, _ := io.ReadAll(in.Message)
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(head), "\r\n") {
		v, ok := strings.CutPrefix(line, "X-Test-Auth: ")
		if !ok {
			continue
		}
		switch v {
		case "pass":
			return mailauth.Result{Verdict: mailauth.Pass}
		case "fail":
			return mailauth.Result{Verdict: mailauth.Fail, Reason: "DMARC policy of " + in.FromDomain + " (p=reject) rejects mail that fails SPF and DKIM alignment"}
		case "temp":
			return mailauth.Result{Verdict: mailauth.Unverified, Temporary: true, Reason: "DNS lookups for " + in.FromDomain + " failed temporarily"}
		}
	}
	return mailauth.Result{Verdict: mailauth.Unverified, Reason: in.FromDomain + " publishes no DMARC policy and nothing aligned passed"}
}

func newMailWorld(t *testing.T, cfg ServerConfig, opts ...workroomtest.Option) *mailWorld {
	t.Helper()
	w := workroomtest.New(t, opts...)
	mw := &mailWorld{w: w, ada: verifiedUser(t, w, "Ada"), bob: verifiedUser(t, w, "Bob")}
	verifiedUser(t, w, "Eve")
	gus := verifiedUser(t, w, "Gus")
	mw.room = w.Room(t, mw.ada, mw.bob, "Logo")
	if _, err := w.Svc.Invite(workroomtest.As(mw.ada), mw.room.ID, gus.User.Email, workroom.RoleGuest); err != nil {
		t.Fatal(err)
	}
	w.Post(t, mw.ada, mw.room.ID, "First sketches are in.")
	mw.bobKey = newestReplyKey(t, w, workroomtest.Email("Bob"))
	cfg.Domain = workroomtest.MailDomain
	cfg.SpoolDir = t.TempDir()
	if cfg.Auth == nil {
		cfg.Auth = testAuth{}
	}
	mw.addr = startSMTP(t, NewServer(cfg, w.Svc, slog.New(slog.DiscardHandler)))
	return mw
}

// startSMTP serves s on 127.0.0.1:0 until the test ends.
func startSMTP(t *testing.T, s *Server) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	t.Cleanup(func() {
		if err := s.Shutdown(context.Background()); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return l.Addr().String()
}

func verifiedUser(t *testing.T, w *workroomtest.World, name string) *workroom.Identity {
	t.Helper()
	id := w.SignUp(t, name)
	if err := w.Svc.Verify(workroomtest.As(id), w.Code(t, workroomtest.Email(name))); err != nil {
		t.Fatal(err)
	}
	u, err := w.DB.User(context.Background(), id.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	id.User = u
	return id
}

// newestReplyKey is the reply key of the newest notification to email.
func newestReplyKey(t *testing.T, w *workroomtest.World, email string) string {
	t.Helper()
	ms, err := w.Outbox.Pending(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	key := ""
	for _, m := range ms {
		if m.To == email && m.ReplyKey != nil {
			key = m.ReplyKey.Key
		}
	}
	if key == "" {
		t.Fatalf("no notification with a reply key to %s", email)
	}
	return key
}

func (mw *mailWorld) roomAddr() string {
	return fmt.Sprintf("room-%d@%s", mw.room.ID, workroomtest.MailDomain)
}

func (mw *mailWorld) replyAddr() string {
	return workroom.ReplyAddress(mw.bobKey, workroomtest.MailDomain)
}

// sent is how the server answered one mail: at which command it refused
// (rcpt, data) and with what; nil for 250 at DATA.
type sent struct {
	stage string
	err   *smtp.SMTPError
}

// send runs one SMTP conversation: MAIL FROM from, RCPT TO each of to,
// DATA raw.
func send(t *testing.T, addr, from string, to []string, raw string) sent {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.example"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail(from, nil); err != nil {
		return sent{"mail", smtpErr(t, err)}
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return sent{"rcpt", smtpErr(t, err)}
		}
	}
	w, err := c.Data()
	if err != nil {
		return sent{"data", smtpErr(t, err)}
	}
	if _, err := io.WriteString(w, raw); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		return sent{"data", smtpErr(t, err)}
	}
	_ = c.Quit()
	return sent{"data", nil}
}

func smtpErr(t *testing.T, err error) *smtp.SMTPError {
	t.Helper()
	var se *smtp.SMTPError
	if !errors.As(err, &se) {
		t.Fatalf("not an SMTP reply: %v", err)
	}
	return se
}

// byMail returns the room's messages that came by mail, newest first.
func (mw *mailWorld) byMail(t *testing.T, room workroom.RoomID) []workroom.Message {
	t.Helper()
	ms, err := mw.w.DB.Page(context.Background(), room, 0, workroom.MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	var out []workroom.Message
	for _, m := range ms {
		if m.Source == workroom.SourceEmail {
			out = append(out, m)
		}
	}
	return out
}

// files counts the room's files.
func (mw *mailWorld) files(t *testing.T, room workroom.RoomID) []workroom.File {
	t.Helper()
	fs, err := mw.w.DB.Files(context.Background(), room, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// msg builds a mail: header lines, a blank line, the body; CRLF ends
// every line.
func msg(header []string, body string) string {
	return strings.Join(header, "\r\n") + "\r\n\r\n" + strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")
}

// multipart builds a multipart/mixed mail of a text part and files.
func multipart(header []string, text string, files ...string) string {
	const b = "BOUNDARY42"
	header = append(header, "MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="`+b+`"`)
	var body strings.Builder
	fmt.Fprintf(&body, "--%s\nContent-Type: text/plain; charset=utf-8\n\n%s\n", b, text)
	for _, f := range files {
		body.WriteString("--" + b + "\n" + f + "\n")
	}
	body.WriteString("--" + b + "--\n")
	return msg(header, body.String())
}

// file is an attachment part: its header lines and base64 of data.
func file(name, data string) string {
	return fileRaw(`Content-Disposition: attachment; filename="`+name+`"`, data)
}

func fileRaw(disposition, data string) string {
	return "Content-Type: application/octet-stream\n" + disposition + "\nContent-Transfer-Encoding: base64\n\n" + b64(data)
}

// dialHello opens a conversation and says EHLO.
func dialHello(t *testing.T, addr string) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.Hello("client.example"); err != nil {
		t.Fatal(err)
	}
	return c
}

// mailTo counts the outbox's mails to address.
func (mw *mailWorld) mailTo(t *testing.T, address string) int {
	t.Helper()
	ms, err := mw.w.Outbox.Pending(context.Background(), 10000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range ms {
		if address != "" && strings.EqualFold(m.To, address) {
			n++
		}
	}
	return n
}
