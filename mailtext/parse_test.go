package mailtext

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// got is one attachment as the callback saw it.
type got struct {
	Name, Type, Body string
}

func parseBytes(t *testing.T, raw []byte, lim Limits) (*Message, []got, error) {
	t.Helper()
	var atts []got
	m, err := Parse(bytes.NewReader(raw), lim, func(a Attachment, body io.Reader) error {
		b, err := io.ReadAll(body)
		if err != nil {
			return err
		}
		atts = append(atts, got{a.Name, a.ContentType, string(b)})
		return nil
	})
	return m, atts, err
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// crlf gives a mail the line ends it has on the wire.
func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n"))
}

func TestParse_RealWorldReplies(t *testing.T) {
	tests := []struct {
		file       string
		subject    string
		from       []string
		messageID  string
		inReplyTo  []string
		references []string
		stripped   string // StripReply(Text)
		atts       []got
	}{
		{
			file: "gmail_reply.eml", subject: "Re: [acme-logo] New message from Alice",
			from: []string{"bob@example.org"}, messageID: "CAF=gmail123+xyz@mail.gmail.com",
			inReplyTo:  []string{"n2.def@workroom.example"},
			references: []string{"n1.abc@workroom.example", "n2.def@workroom.example"},
			stripped:   "Thanks Alice, the second draft looks right. I'll send the vector files tomorrow.\n\nBob",
		},
		{
			file: "outlook_reply.eml", subject: "RE: [acme-logo] New message from Alice",
			from: []string{"carla@contoso.example"}, messageID: "DB9PR01MB1234ABCD@DB9PR01MB1234.eurprd01.prod.outlook.com",
			inReplyTo:  []string{"n2.def@workroom.example"},
			references: []string{"n1.abc@workroom.example", "n2.def@workroom.example"},
			stripped:   "Hi Alice,\n\nthe budget is approved. Grüße from the café.\n\nCarla",
			atts:       []got{{"Angebot Müller.pdf", "application/pdf", "%PDF-1.4\n%\xc7\xec"}},
		},
		{
			file: "apple_mail_reply.eml", subject: "Re: [acme-logo] New message from Alice",
			from: []string{"dana@icloud.example"}, messageID: "8C1B2A3D-AAAA-BBBB-CCCC-DDDDEEEEFFFF@icloud.example",
			inReplyTo:  []string{"n2.def@workroom.example"},
			references: []string{"n1.abc@workroom.example", "n2.def@workroom.example"},
			stripped:   "Here is the photo of the print proof:\n\nThe colours are a bit dark.",
			atts:       []got{{"proof.png", "image/png", "\x89PNG\r\n\x1a\n"}},
		},
		{
			file: "thunderbird_reply.eml", subject: "Re: [acme-logo] New message from Alice",
			from: []string{"erik@example.net"}, messageID: "5b6c7d8e-1234-4abc-9def-0123456789ab@example.net",
			inReplyTo:  []string{"n2.def@workroom.example"},
			references: []string{"n1.abc@workroom.example", "n2.def@workroom.example"},
			stripped:   "Looks good. The kerning in “Acme” needs work.\n\nAttached my notes.",
			atts:       []got{{"Notizen zur Schrift.txt", "text/plain", "Kerning: A und c näher."}},
		},
		{
			file: "html_only.eml", subject: "HTML only",
			from: []string{"fiona@example.com"}, messageID: "html-only-1@example.com",
			stripped: "Hello *team* ,\n\nthe new spec ( https://example.com/spec ) is ready.\n\n* colours\n* fonts",
		},
		{
			file: "encoded_names.eml", subject: "Re: [Übersetzung] Entwicklung für das Logo",
			from: []string{"rene@example.de"}, messageID: "enc-1@example.de",
			stripped: "Schöne Grüße",
			atts: []got{
				{"café menü.pdf", "application/pdf", "%PDF-"},
				{"日本語の写真.jpg", "image/jpeg", "\xff\xd8\xff"},
				{"notes.txt", "text/plain", "these are notes, not the body"},
			},
		},
	}
	for _, tt := range tests {
		for _, wire := range []string{"lf", "crlf"} {
			t.Run(tt.file+"/"+wire, func(t *testing.T) {
				raw := readFile(t, tt.file)
				if wire == "crlf" {
					raw = crlf(string(raw))
				}
				m, atts, err := parseBytes(t, raw, Limits{})
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if m.Subject != tt.subject {
					t.Errorf("Subject = %q, want %q", m.Subject, tt.subject)
				}
				var from []string
				for _, a := range m.From {
					from = append(from, a.Address)
				}
				if !reflect.DeepEqual(from, tt.from) {
					t.Errorf("From = %q, want %q", from, tt.from)
				}
				if m.MessageID != tt.messageID {
					t.Errorf("MessageID = %q, want %q", m.MessageID, tt.messageID)
				}
				if !reflect.DeepEqual([]string(m.InReplyTo), tt.inReplyTo) && len(m.InReplyTo)+len(tt.inReplyTo) > 0 {
					t.Errorf("InReplyTo = %q, want %q", m.InReplyTo, tt.inReplyTo)
				}
				if !reflect.DeepEqual([]string(m.References), tt.references) && len(m.References)+len(tt.references) > 0 {
					t.Errorf("References = %q, want %q", m.References, tt.references)
				}
				if s := StripReply(m.Text); s != tt.stripped {
					t.Errorf("StripReply(Text) =\n%q\nwant\n%q\n(Text %q)", s, tt.stripped, m.Text)
				}
				if strings.Contains(m.Text, "\r") {
					t.Errorf("Text keeps CR: %q", m.Text)
				}
				if !reflect.DeepEqual(atts, tt.atts) && len(atts)+len(tt.atts) > 0 {
					t.Errorf("attachments = %q, want %q", atts, tt.atts)
				}
				if m.Automatic != None {
					t.Errorf("Automatic = %q for a person's mail", m.Automatic)
				}
			})
		}
	}
}

// nested wraps a text part in n multipart/mixed levels.
func nested(n int) string {
	var b strings.Builder
	b.WriteString("From: a@example.com\nSubject: deep\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\n\ninnermost\n")
	for i := n - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\n", i)
	}
	return b.String()
}

// withParts is a multipart/mixed mail of the given parts.
func withParts(parts ...string) string {
	s := "From: a@example.com\nSubject: parts\nContent-Type: multipart/mixed; boundary=\"zz\"\n\n"
	for _, p := range parts {
		s += "--zz\n" + p + "\n"
	}
	return s + "--zz--\n"
}

func attachmentNamed(disposition string) string {
	return "Content-Type: application/octet-stream\nContent-Disposition: attachment; " + disposition + "\nContent-Transfer-Encoding: base64\n\nAAEC"
}

func TestParse_RefusesMalformedMail(t *testing.T) {
	bigHeader := "X-Junk: " + strings.Repeat("a", 70<<10) + "\n"
	tests := []struct {
		name string
		raw  string
		lim  Limits
		rule string
	}{
		{"nesting deeper than the limit", nested(DefaultMaxDepth + 1), Limits{}, RuleDepth},
		{"nesting deeper than a lower limit", nested(3), Limits{MaxDepth: 2}, RuleDepth},
		{"multipart without boundary", "From: a@example.com\nContent-Type: multipart/mixed\n\n--x\nContent-Type: text/plain\n\nhi\n--x--\n", Limits{}, RuleNoBoundary},
		{"multipart with a broken boundary parameter", "From: a@example.com\nContent-Type: multipart/mixed; boundary\n\nhi\n", Limits{}, RuleNoBoundary},
		{"nested multipart without boundary", withParts("Content-Type: multipart/alternative\n\nhi"), Limits{}, RuleNoBoundary},
		{"multipart whose body has no part", "From: a@example.com\nContent-Type: multipart/mixed; boundary=q\n\njust text\n", Limits{}, RuleBadMIME},
		{"bad base64 in the text", "From: a@example.com\nContent-Transfer-Encoding: base64\n\n!!!not base64!!!\n", Limits{}, RuleBadBase64},
		{"truncated base64 in the text", "From: a@example.com\nContent-Transfer-Encoding: base64\n\nSGVsbG8\n", Limits{}, RuleBadBase64},
		{"bad base64 in an attachment", withParts("Content-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n\nJVBER*i0=="), Limits{}, RuleBadBase64},
		{"bad base64 in a skipped signature", "From: a@example.com\nContent-Type: multipart/signed; boundary=s\n\n--s\nContent-Type: text/plain\n\nhi\n--s\nContent-Type: application/pgp-signature\nContent-Transfer-Encoding: base64\n\n%%%%\n--s--\n", Limits{}, RuleBadBase64},
		{"quoted-printable with a raw control byte", "From: a@example.com\nContent-Transfer-Encoding: quoted-printable\n\nprice \x01 euro\n", Limits{}, RuleBadQP},
		{"unknown transfer encoding", "From: a@example.com\nContent-Transfer-Encoding: x-uuencode\n\nbegin 644 a\n", Limits{}, RuleBadEncoding},
		{"huge top-level header", "From: a@example.com\n" + bigHeader + "\nhi\n", Limits{}, RuleHeaderSize},
		{"huge part header", withParts("Content-Type: text/plain\n" + bigHeader + "\nhi"), Limits{}, RuleHeaderSize},
		{"header over a lower limit", "From: a@example.com\nSubject: " + strings.Repeat("x", 600) + "\n\nhi\n", Limits{MaxHeaderBytes: 512}, RuleHeaderSize},
		{"NUL in the top-level header", "From: a@example.com\nSubject: a\x00b\n\nhi\n", Limits{}, RuleNULHeader},
		{"NUL in a part header", withParts("Content-Type: text/plain\nContent-Disposition: attachment; filename=\"a\x00.txt\"\n\nhi"), Limits{}, RuleNULHeader},
		{"more parts than the limit", withParts("\na", "\nb", "\nc", "\nd", "\ne"), Limits{MaxParts: 5}, RuleParts},
		{"text longer than the limit", "From: a@example.com\n\n" + strings.Repeat("x", 200) + "\n", Limits{MaxTextBytes: 100}, RuleTextSize},
		{"text parts longer than the limit together", withParts("\n"+strings.Repeat("x", 60), "\n"+strings.Repeat("y", 60)), Limits{MaxTextBytes: 100}, RuleTextSize},
		{"unreadable From", "From: <<<@>>>\n\nhi\n", Limits{}, RuleBadFrom},
		{"unreadable Content-Type", "From: a@example.com\nContent-Type: ;;;\n\nhi\n", Limits{}, RuleBadContentType},
		{"header line without colon", "From: a@example.com\nthis is not a header\n\nhi\n", Limits{}, RuleBadMIME},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := parseBytes(t, []byte(tt.raw), tt.lim)
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("Parse error = %v, want *Error with rule %q", err, tt.rule)
			}
			if me.Rule != tt.rule {
				t.Fatalf("rule = %q (%s), want %q", me.Rule, me.Message, tt.rule)
			}
			if me.Message == "" || strings.Contains(me.Message, "\n") {
				t.Errorf("message %q is not one sentence for the sender", me.Message)
			}
		})
	}
}

func TestParse_AcceptsWithinLimits(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		lim  Limits
		text string
	}{
		{"nesting at the limit", nested(DefaultMaxDepth), Limits{}, "innermost"},
		{"parts at the limit", withParts("\na", "\nb", "\nc"), Limits{MaxParts: 4}, "a\n\nb\n\nc"},
		{"part header just under the limit", withParts("Content-Type: text/plain\nX-Junk: " + strings.Repeat("a", DefaultMaxHeaderBytes-100) + "\n\nshort"), Limits{}, "short"},
		{"text at the limit", "From: a@example.com\n\n" + strings.Repeat("x", 100), Limits{MaxTextBytes: 100}, strings.Repeat("x", 100)},
		{"base64 indented with spaces", "From: a@example.com\nContent-Transfer-Encoding: base64\n\n SGVs\n bG8=\n", Limits{}, "Hello"},
		{"no body at all", "From: a@example.com\nSubject: empty\n", Limits{}, ""},
		{"windows-1252 text", "From: a@example.com\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: quoted-printable\n\n=93quoted=94 =80 5\n", Limits{}, "“quoted” € 5"},
		{"koi8-r text", "From: a@example.com\nContent-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: base64\n\n8NLJ18XU\n", Limits{}, "Привет"},
		{"unknown charset read as UTF-8", "From: a@example.com\nContent-Type: text/plain; charset=x-klingon\n\nqapla\xff\n", Limits{}, "qapla\uFFFD"},
		{"empty plain alternative falls back to HTML", withParts("Content-Type: multipart/alternative; boundary=alt\n\n--alt\nContent-Type: text/plain\n\n \n--alt\nContent-Type: text/html\n\n<p>from html</p>\n--alt--"), Limits{}, "from html"},
		{"plain alternative wins over related HTML", withParts("Content-Type: multipart/alternative; boundary=alt\n\n--alt\nContent-Type: text/plain\n\nfrom plain\n--alt\nContent-Type: multipart/related; boundary=rel\n\n--rel\nContent-Type: text/html\n\n<p>from html</p>\n--rel--\n--alt--"), Limits{}, "from plain"},
		{"signature of multipart/signed skipped", "From: a@example.com\nContent-Type: multipart/signed; boundary=s\n\n--s\nContent-Type: text/plain\n\nsigned text\n--s\nContent-Type: application/pkcs7-signature; name=smime.p7s\nContent-Transfer-Encoding: base64\n\nAAEC\n--s--\n", Limits{}, "signed text"},
		{"quoted-printable invalid escape read literally", "From: a@example.com\nContent-Transfer-Encoding: quoted-printable\n\nprice =ZZ euro\n", Limits{}, "price =ZZ euro"},
		{"quoted-printable soft breaks", "From: a@example.com\nContent-Transfer-Encoding: quoted-printable\n\nlong li=\nne\n", Limits{}, "long line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, atts, err := parseBytes(t, []byte(tt.raw), tt.lim)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if strings.TrimRight(m.Text, "\n") != tt.text {
				t.Errorf("Text = %q, want %q", m.Text, tt.text)
			}
			if len(atts) != 0 {
				t.Errorf("attachments = %q, want none", atts)
			}
		})
	}
}

func TestParse_PassesFileNamesThroughUnsanitized(t *testing.T) {
	long := strings.Repeat("n", 300) + ".pdf"
	tests := []struct {
		name, part, want string
	}{
		{"traversal", attachmentNamed(`filename="../../etc/passwd"`), "../../etc/passwd"},
		{"windows traversal", attachmentNamed(`filename="..\\..\\boot.ini"`), `..\..\boot.ini`},
		{"bidi override", attachmentNamed("filename=\"invoice\u202egpj.exe\""), "invoice\u202egpj.exe"},
		{"control character from an encoded-word", attachmentNamed(`filename="=?UTF-8?Q?a=01b=0A.txt?="`), "a\x01b\n.txt"},
		{"RFC 2231 UTF-8", attachmentNamed(`filename*=UTF-8''%E2%82%AC%20report.pdf`), "€ report.pdf"},
		{"RFC 2231 ISO-8859-1", attachmentNamed(`filename*=iso-8859-1''r%E9sum%E9.pdf`), "résumé.pdf"},
		{"RFC 2231 continuation", attachmentNamed(`filename*0="part one "; filename*1="and two.txt"`), "part one and two.txt"},
		{"encoded-word ISO-8859-1", attachmentNamed(`filename="=?ISO-8859-1?Q?=C4rger.doc?="`), "Ärger.doc"},
		{"long name not truncated", attachmentNamed(`filename="` + long + `"`), long},
		{"name only in Content-Type", "Content-Type: application/zip; name=\"bundle.zip\"\nContent-Transfer-Encoding: base64\n\nAAEC", "bundle.zip"},
		{"no name at all", "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAEC", ""},
		{"text with a name and no disposition", "Content-Type: text/plain; name=\"script.sh\"\n\nrm -rf /", "script.sh"},
		{"inline disposition with a name", "Content-Type: text/html\nContent-Disposition: inline; filename=page.html\n\n<p>x</p>", "page.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, atts, err := parseBytes(t, []byte(withParts("\nbody", tt.part)), Limits{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(atts) != 1 {
				t.Fatalf("attachments = %q, want one", atts)
			}
			if atts[0].Name != tt.want {
				t.Errorf("Name = %q, want %q", atts[0].Name, tt.want)
			}
		})
	}
}

func TestParse_KeepsEveryFromAddress(t *testing.T) {
	m, _, err := parseBytes(t, []byte("From: Alice <alice@example.com>, bob@example.org\nSubject: two\n\nhi\n"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.From) != 2 || m.From[0].Address != "alice@example.com" || m.From[1].Address != "bob@example.org" {
		t.Fatalf("From = %v, want both addresses", m.From)
	}
}

func TestParse_DecodesAndUnfoldsSubject(t *testing.T) {
	tests := []struct{ header, want string }{
		{"=?UTF-8?B?w5xiZXI=?= =?UTF-8?B?c2V0enVuZw==?=", "Übersetzung"},
		{"=?ISO-8859-1?Q?Caf=E9?= menu", "Café menu"},
		{"a long subject\n  folded over lines", "a long subject folded over lines"},
		{"=?utf-8?q?Re=3A_Angebot?=\n =?utf-8?q?_f=C3=BCr_Sie?=", "Re: Angebot für Sie"},
		{"=?x-unknown?q?kept?=", "=?x-unknown?q?kept?="},
	}
	for _, tt := range tests {
		m, _, err := parseBytes(t, []byte("From: a@example.com\nSubject: "+tt.header+"\n\nhi\n"), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != tt.want {
			t.Errorf("Subject %q = %q, want %q", tt.header, m.Subject, tt.want)
		}
	}
}

var errBroken = errors.New("connection dropped")

type failingReader struct {
	r     io.Reader
	after int
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errBroken
	}
	if len(p) > f.after {
		p = p[:f.after]
	}
	n, err := f.r.Read(p)
	f.after -= n
	return n, err
}

func TestParse_ReturnsReadErrorsAsIs(t *testing.T) {
	raw := readFile(t, "outlook_reply.eml")
	for _, after := range []int{10, 400, 1200, len(raw) - 20} {
		_, err := Parse(&failingReader{r: bytes.NewReader(raw), after: after}, Limits{}, func(a Attachment, body io.Reader) error {
			_, err := io.Copy(io.Discard, body)
			return err
		})
		if !errors.Is(err, errBroken) {
			t.Errorf("cut after %d bytes: error = %v, want the reader's own error", after, err)
		}
	}
}

func TestParse_ReturnsAttachErrorAsIs(t *testing.T) {
	refused := errors.New("report.exe: .exe files must be zipped")
	_, err := Parse(bytes.NewReader(readFile(t, "outlook_reply.eml")), Limits{}, func(Attachment, io.Reader) error { return refused })
	if err != refused {
		t.Fatalf("error = %v, want the callback's error", err)
	}
}

func TestParse_ClassifiesOnHeader(t *testing.T) {
	m, _, err := parseBytes(t, []byte("From: a@example.com\nAuto-Submitted: auto-replied\nSubject: Out of office\n\naway\n"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Automatic != AutoReply {
		t.Fatalf("Automatic = %q, want %q", m.Automatic, AutoReply)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// A part header is refused while it is read, not after it sits in memory.
func TestParse_StopsReadingAnOversizePartHeader(t *testing.T) {
	huge := "X-Junk: " + strings.Repeat("a", 5<<20) + "\n"
	for name, raw := range map[string]string{
		"top-level": "From: a@example.com\n" + huge + "\nhi\n",
		"part":      withParts("\nbody", "Content-Type: text/plain\n"+huge+"\nhi"),
	} {
		src := &countingReader{r: strings.NewReader(raw)}
		_, err := Parse(src, Limits{}, func(Attachment, io.Reader) error { return nil })
		var me *Error
		if !errors.As(err, &me) || me.Rule != RuleHeaderSize {
			t.Fatalf("%s: error = %v, want rule %q", name, err, RuleHeaderSize)
		}
		if src.n > 1<<20 {
			t.Errorf("%s: read %d bytes of a 5 MiB header before refusing", name, src.n)
		}
	}
}

// Large mails are walked in linear time: a 1 MiB text, a long attribution
// chain for StripReply. It takes a fraction of a second here (some seconds
// under -race on a busy machine); a quadratic walk over its 50,000 lines
// would take far longer than the bound.
func TestParse_LargeInputsStayFast(t *testing.T) {
	text := strings.Repeat("a line of text that goes on\n> quoted\nOn 1 Jan 2024 x wrote:\n\n", (1<<20)/80)
	raw := "From: a@example.com\n\n" + text
	start := time.Now()
	m, _, err := parseBytes(t, []byte(raw), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	_ = StripReply(m.Text)
	if d := time.Since(start); d > time.Minute {
		t.Errorf("took %v", d)
	}
}

// A file keeps its bytes: the charset of a text attachment is not converted.
func TestParse_AttachmentBytesUnconverted(t *testing.T) {
	part := "Content-Type: text/csv; charset=iso-8859-1; name=prices.csv\nContent-Disposition: attachment\nContent-Transfer-Encoding: quoted-printable\n\ncaf=E9;5"
	_, atts, err := parseBytes(t, []byte(withParts("\nbody", part)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(atts) != 1 || atts[0].Body != "caf\xe9;5" || atts[0].Type != "text/csv" {
		t.Fatalf("attachments = %q, want prices.csv with its ISO-8859-1 bytes", atts)
	}
}

func TestParse_NilAttachSkipsFiles(t *testing.T) {
	m, err := Parse(bytes.NewReader(readFile(t, "outlook_reply.eml")), Limits{}, nil)
	if err != nil || !strings.HasPrefix(m.Text, "Hi Alice") {
		t.Fatalf("Parse with nil attach: %v, %v", m, err)
	}
}
