package mailtext

import (
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
)

// Attachment is one file part as the sender named it (decoded from RFC
// 2047/2231, NOT sanitized: the caller's file-name rules judge it). Name is ""
// when the part has none.
type Attachment struct {
	Name        string
	ContentType string // lowercase media type without parameters
}

// Message is what the server needs from an incoming mail.
type Message struct {
	Header     mail.Header     // the top-level header
	From       []*mail.Address // every address of the From header
	Subject    string          // decoded (encoded-words), unfolded
	MessageID  string          // without angle brackets; "" when absent
	InReplyTo  []string
	References []string
	// Text is the body: text/plain preferred, else HTML converted to text
	// (HTMLToText, which already drops quoted blocks); line ends are "\n".
	// NOT yet stripped: see StripReply.
	Text string
	// Automatic is Classify judged on the header alone; the caller, who knows
	// the envelope sender, calls Classify again with it.
	Automatic Automatic

	stats walkStats
}

// textPart is one inline text part met on the walk.
type textPart struct {
	text     string
	html     bool
	altGroup int
}

// Parse reads one RFC 5322 message. For every attachment part it calls
// attach with the decoded body (stream it; bodies can be 100 MB); an error
// from attach stops Parse and is returned as is, and so is an error of r.
// Malformed input returns *Error.
//
// A part is an attachment when its disposition says so, when it has a file
// name (also a text part without Content-Disposition), or when it is neither
// text/plain nor text/html. A nil attach skips attachments. Detached signatures of multipart/signed are
// skipped.
func Parse(r io.Reader, lim Limits, attach func(a Attachment, body io.Reader) error) (*Message, error) {
	lim = lim.withDefaults()
	if attach == nil {
		attach = func(Attachment, io.Reader) error { return nil } // the walker drains the body
	}
	var texts []textPart
	kept := 0
	w := &walker{lim: lim}
	w.leaf = func(p *part) error {
		if p.signature {
			return nil
		}
		kind, name := disposition(p.header, p.params)
		isText := p.mediaType == "text/plain" || p.mediaType == "text/html"
		if kind == "attachment" || name != "" || !isText {
			if err := attach(Attachment{Name: name, ContentType: p.mediaType}, p.body); err != nil {
				return callbackError{err}
			}
			return nil
		}
		text, err := readText(p, lim.MaxTextBytes-kept)
		if err != nil {
			return err
		}
		kept += len(text)
		texts = append(texts, textPart{text: text, html: p.mediaType == "text/html", altGroup: p.altGroup})
		return nil
	}
	h, err := w.walkMessage(r)
	if err != nil {
		return nil, err
	}
	m := &Message{Header: mail.Header{Header: message.Header{Header: h}}, stats: w.stats}
	if err := m.readHeader(); err != nil {
		return nil, err
	}
	m.Text = bodyText(texts)
	if len(m.Text) > lim.MaxTextBytes {
		return nil, textTooLarge(lim)
	}
	m.Automatic = classifyHeader(m.Header)
	return m, nil
}

func textTooLarge(lim Limits) *Error {
	return refuse(RuleTextSize, "the text of the mail is longer than %d bytes; send long text as an attached file", lim.MaxTextBytes)
}

// readText reads a text part within the room left, in UTF-8 with "\n" line
// ends. An unknown charset is read as UTF-8, bad bytes replaced.
func readText(p *part, room int) (string, error) {
	var r io.Reader = p.body
	if cs := p.params["charset"]; cs != "" {
		if cr, err := charsetReader(cs, r); err == nil && cr != nil {
			r = cr
		}
	}
	b, err := io.ReadAll(io.LimitReader(r, int64(room)+1))
	if err != nil {
		return "", err
	}
	if len(b) > room {
		return "", &Error{Rule: RuleTextSize, Message: "the text of the mail is too long; send long text as an attached file"}
	}
	s := string(b)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if strings.EqualFold(p.params["format"], "flowed") && p.mediaType == "text/plain" {
		s = unflow(s, strings.EqualFold(p.params["delsp"], "yes"))
	}
	return s, nil
}

// bodyText joins the inline text parts in order; within one
// multipart/alternative the plain parts win unless they are blank.
func bodyText(parts []textPart) string {
	hasPlain := map[int]bool{}
	for _, p := range parts {
		if !p.html && strings.TrimSpace(p.text) != "" {
			hasPlain[p.altGroup] = true
		}
	}
	var out []string
	for _, p := range parts {
		if p.altGroup != 0 && p.html == hasPlain[p.altGroup] {
			continue // the other alternative
		}
		t := p.text
		if p.html {
			t = HTMLToText(t)
		}
		if strings.TrimSpace(t) != "" {
			out = append(out, strings.TrimRight(t, "\n"))
		}
	}
	return strings.Join(out, "\n\n")
}

func (m *Message) readHeader() error {
	h := m.Header
	m.Subject = decodeWords(h.Get("Subject"))
	if h.Has("From") {
		from, err := h.AddressList("From")
		if err != nil {
			return refuse(RuleBadFrom, "the From header %q cannot be read; send from a standard mail program", h.Get("From"))
		}
		m.From = from
	}
	m.MessageID = msgIDs(h.Get("Message-Id")).first()
	m.InReplyTo = msgIDs(h.Get("In-Reply-To"))
	m.References = msgIDs(h.Get("References"))
	return nil
}

type idList []string

func (l idList) first() string {
	if len(l) == 0 {
		return ""
	}
	return l[0]
}

var msgIDRe = regexp.MustCompile(`<([^<>\s]+)>`)

// msgIDs reads message ids leniently: the ones in angle brackets, else the
// bare words (some programs forget the brackets).
func msgIDs(v string) idList {
	var out idList
	for _, m := range msgIDRe.FindAllStringSubmatch(v, -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		for _, f := range strings.Fields(v) {
			if strings.Contains(f, "@") {
				out = append(out, f)
			}
		}
	}
	return out
}
