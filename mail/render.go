package mail

import (
	"bytes"
	"fmt"
	"strings"

	gomail "github.com/emersion/go-message/mail"

	"github.com/workroom/workroom"
)

// maxLineOctets is RFC 5322's limit on a line, without its CRLF. A body
// with a longer line cannot go out as 7bit or 8bit without being broken, so
// it is sent quoted-printable instead.
const maxLineOctets = 998

// render turns an outbox mail into an RFC 5322 message with CRLF line
// endings. The body goes out as written whenever it can (7bit, or 8bit when
// allow8bit says the other end takes it), so a person or a script reading
// the raw message finds the line "Verification code: CODE" as it is;
// quoted-printable is only for bodies a plain encoding cannot carry.
func render(m workroom.Mail, allow8bit bool) ([]byte, error) {
	from, err := gomail.ParseAddress(m.From)
	if err != nil {
		return nil, fmt.Errorf("mail %d: from address %q: %w", m.ID, m.From, err)
	}
	to, err := gomail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("mail %d: to address %q: %w", m.ID, m.To, err)
	}
	body := strings.ReplaceAll(m.Body, "\r\n", "\n")
	// go-message writes the field set last first: set them bottom-up so
	// the file reads From, To, Subject, Date as people expect.
	var h gomail.Header
	// Notifications must never start a conversation between robots: ask
	// auto-responders to stay quiet, but not bounces (so no "All").
	h.Set("X-Auto-Response-Suppress", "OOF, AutoReply")
	h.Set("Auto-Submitted", "auto-generated")
	h.Set("Content-Transfer-Encoding", transferEncoding(body, allow8bit))
	h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	// A notification threads under its room's root (notify.go). The ids
	// come from the service, but each is checked to be one <id> so no
	// text can add a header of its own.
	if id := msgID(m.References); id != "" {
		h.Set("References", id)
	}
	if id := msgID(m.InReplyTo); id != "" {
		h.Set("In-Reply-To", id)
	}
	if m.ReplyKey != nil {
		// A reply posts into the room as the recipient (mail/server.go).
		domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
		h.SetAddressList("Reply-To", []*gomail.Address{{Address: workroom.ReplyAddress(m.ReplyKey.Key, domain)}})
	}
	h.SetMessageID(strings.Trim(m.MessageID, "<>"))
	h.SetDate(m.Created)
	h.SetSubject(oneLine(m.Subject))
	h.SetAddressList("To", []*gomail.Address{to})
	h.SetAddressList("From", []*gomail.Address{from})

	var buf bytes.Buffer
	w, err := gomail.CreateSingleInlineWriter(&buf, h)
	if err != nil {
		return nil, fmt.Errorf("mail %d: %w", m.ID, err)
	}
	if _, err := w.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// transferEncoding picks the plainest encoding that carries body intact:
// a line too long for SMTP, or a control character other than tab (a bare
// CR, a NUL), needs quoted-printable.
func transferEncoding(body string, allow8bit bool) string {
	ascii := true
	for _, line := range strings.Split(body, "\n") {
		if len(line) > maxLineOctets {
			return "quoted-printable"
		}
		for i := 0; i < len(line); i++ {
			c := line[i]
			if c < 0x20 && c != '\t' || c == 0x7f {
				return "quoted-printable"
			}
			ascii = ascii && c < 0x80
		}
	}
	switch {
	case ascii:
		return "7bit"
	case allow8bit:
		return "8bit"
	default:
		return "quoted-printable"
	}
}

// oneLine keeps a header value on one line whatever the service put in it,
// so no text can add a header of its own.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// msgID returns s when it is one Message-ID in angle brackets with no
// space or control character in it, else "".
func msgID(s string) string {
	if len(s) < 3 || s[0] != '<' || s[len(s)-1] != '>' || strings.Count(s, "<") != 1 || strings.Count(s, ">") != 1 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return ""
		}
	}
	return s
}
