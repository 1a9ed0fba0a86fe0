package mail

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"github.com/workroom/workroom"
)

// parse reads a rendered message back with go-message and returns its
// header and decoded body.
func parse(t *testing.T, raw []byte) (gomail.Header, string) {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, raw)
	}
	p, err := r.NextPart()
	if err != nil {
		t.Fatalf("body part: %v", err)
	}
	body, err := io.ReadAll(p.Body)
	if err != nil {
		t.Fatal(err)
	}
	return r.Header, string(body)
}

func testMail(body string) workroom.Mail {
	return workroom.Mail{
		ID:        7,
		MessageID: "<abc123@test.localhost>",
		From:      "workroom <noreply@test.localhost>",
		To:        "ada@example.com",
		Subject:   "Your workroom verification code",
		Body:      body,
		Created:   time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC),
	}
}

func TestRender_HasTheHeadersOfARealMessage(t *testing.T) {
	raw, err := render(testMail("Hello\n\nVerification code: 123456\n"), true)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := parse(t, raw)
	for _, c := range []struct{ name, want string }{
		{"From", `"workroom" <noreply@test.localhost>`},
		{"To", "<ada@example.com>"},
		{"Subject", "Your workroom verification code"},
		{"Message-Id", "<abc123@test.localhost>"},
		{"Mime-Version", "1.0"},
		{"Auto-Submitted", "auto-generated"},
		{"X-Auto-Response-Suppress", "OOF, AutoReply"},
	} {
		if got := h.Get(c.name); got != c.want {
			t.Errorf("%s = %q, want %q", c.name, got, c.want)
		}
	}
	if typ, params, _ := h.ContentType(); typ != "text/plain" || params["charset"] != "utf-8" {
		t.Errorf("Content-Type = %q %v, want text/plain; charset=utf-8", typ, params)
	}
	if d, err := h.Date(); err != nil || !d.Equal(time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)) {
		t.Errorf("Date = %v, %v", d, err)
	}
	if !bytes.Contains(raw, []byte("\r\n\r\n")) || bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Errorf("lines do not all end in CRLF:\n%q", raw)
	}
}

func TestRender_KeepsTheBodyIntactAndReadable(t *testing.T) {
	long := strings.Repeat("x", 1200)
	for _, c := range []struct {
		name      string
		body      string
		allow8bit bool
		encoding  string
		rawHas    string // must appear as is in the raw message
	}{
		{"ascii goes as 7bit", "Verification code: 123456\n", false, "7bit", "Verification code: 123456\r\n"},
		{"utf-8 goes as 8bit when the relay takes it", "Grüße\nVerification code: 654321\n", true, "8bit", "Grüße\r\nVerification code: 654321"},
		{"utf-8 goes quoted-printable otherwise", "Grüße\nVerification code: 654321\n", false, "quoted-printable", "Verification code: 654321"},
		{"an over-long line goes quoted-printable", long + "\nVerification code: 111111\n", true, "quoted-printable", "Verification code: 111111"},
		{"a NUL goes quoted-printable", "a\x00b\nVerification code: 222222\n", true, "quoted-printable", "Verification code: 222222"},
		{"CRLF bodies are taken as lines", "one\r\ntwo\r\n", false, "7bit", "one\r\ntwo\r\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw, err := render(testMail(c.body), c.allow8bit)
			if err != nil {
				t.Fatal(err)
			}
			h, body := parse(t, raw)
			if got := h.Get("Content-Transfer-Encoding"); got != c.encoding {
				t.Errorf("encoding = %q, want %q", got, c.encoding)
			}
			want := strings.ReplaceAll(c.body, "\r\n", "\n")
			if got := strings.ReplaceAll(body, "\r\n", "\n"); got != want {
				t.Errorf("body came back as %q, want %q", got, want)
			}
			if !bytes.Contains(raw, []byte(c.rawHas)) {
				t.Errorf("raw message lacks %q:\n%s", c.rawHas, raw)
			}
			for _, line := range bytes.Split(raw, []byte("\r\n")) {
				if len(line) > maxLineOctets {
					t.Fatalf("raw line of %d octets", len(line))
				}
			}
		})
	}
}

func TestRender_SubjectCannotAddHeaders(t *testing.T) {
	m := testMail("hi\n")
	m.Subject = "hello\r\nBcc: victim@example.com"
	raw, err := render(m, true)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := parse(t, raw)
	if h.Has("Bcc") {
		t.Fatalf("subject injected a header:\n%s", raw)
	}
	if got, _ := h.Subject(); got != "hello Bcc: victim@example.com" {
		t.Errorf("subject = %q", got)
	}
}

func TestRender_RefusesABadAddress(t *testing.T) {
	m := testMail("hi\n")
	m.To = "not an address"
	if _, err := render(m, true); err == nil {
		t.Fatal("rendered a mail to a bad address")
	}
}

func TestRender_ThreadsANotificationUnderItsRoom(t *testing.T) {
	m := testMail("Ada wrote in workroom #42:\n\nhello\n")
	m.Subject = "[workroom] Logo design"
	m.InReplyTo, m.References = "<room-42.7@test.localhost>", "<room-42.7@test.localhost>"
	raw, err := render(m, true)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := parse(t, raw)
	for _, c := range []struct{ name, want string }{
		{"Subject", "[workroom] Logo design"},
		{"In-Reply-To", "<room-42.7@test.localhost>"},
		{"References", "<room-42.7@test.localhost>"},
		{"Auto-Submitted", "auto-generated"},
		{"X-Auto-Response-Suppress", "OOF, AutoReply"},
	} {
		if got := h.Get(c.name); got != c.want {
			t.Errorf("%s = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestRender_ThreadingIDsCannotAddHeaders(t *testing.T) {
	m := testMail("hi\n")
	m.InReplyTo, m.References = "<a@b>\r\nBcc: eve@example.com", "<a@b> <c@d>"
	raw, err := render(m, true)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := parse(t, raw)
	if h.Has("Bcc") || h.Has("In-Reply-To") || h.Has("References") {
		t.Fatalf("bad threading ids went out:\n%s", raw)
	}
}
