package mail

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/workroom/workroom/clamd"
	"github.com/workroom/workroom/clamd/clamdtest"
	"github.com/workroom/workroom/workroomtest"
)

func b64(s string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(s))
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\n")
		enc = enc[76:]
	}
	return b.String() + enc + "\n"
}

// hostileCase is one mail and the exact answer it must get.
type hostileCase struct {
	name string
	from string   // envelope sender; "bob" means Bob's address
	to   []string // "room", "reply" or an address
	raw  func(mw *mailWorld) string
	// code, enh and phrase are the reply expected at stage; code 250
	// means accepted.
	stage  string
	code   int
	enh    string
	phrase string
	// posted is how many messages the mail adds (0 or 1), files how
	// many files; body a phrase the posted message holds.
	posted, files int
	body          string
	unverified    bool
}

const subject = "Subject: Re: [workroom] Logo"

func from(name string) string { return "From: " + name + " <" + workroomtest.Email(name) + ">" }

func mid(n string) string { return "Message-ID: <" + n + "@client.example>" }

// hostileCases are the table of TestSMTP_HostileAndOddMails: every mail
// a person, a program or an attacker might send, and the answer each
// gets.
func hostileCases() []hostileCase {
	bob := workroomtest.Email("Bob")
	ok := func(name string, raw func(*mailWorld) string, body string) hostileCase {
		return hostileCase{name: name, from: bob, to: []string{"reply"}, raw: raw, stage: "data", code: 250, posted: 1, body: body, unverified: true}
	}
	refused := func(name string, raw func(*mailWorld) string, code int, enh, phrase string) hostileCase {
		return hostileCase{name: name, from: bob, to: []string{"reply"}, raw: raw, stage: "data", code: code, enh: enh, phrase: phrase}
	}
	discarded := func(name string, raw func(*mailWorld) string) hostileCase {
		return hostileCase{name: name, from: bob, to: []string{"reply"}, raw: raw, stage: "data", code: 250}
	}
	plain := func(h ...string) func(*mailWorld) string {
		return func(*mailWorld) string {
			return msg(append([]string{from("Bob"), subject}, h...), "Looks good.\n")
		}
	}
	withFiles := func(files ...string) func(*mailWorld) string {
		return func(*mailWorld) string { return multipart([]string{from("Bob"), subject}, "Files attached.", files...) }
	}
	cases := []hostileCase{
		ok("a reply keeping the subject", plain(mid("r1")), "Looks good."),
		ok("a reply with its quote, header line and signature stripped", func(*mailWorld) string {
			return msg([]string{from("Bob"), subject, mid("r2")},
				"Yes, tomorrow.\n\nOn Mon, 30 Nov 2026, workroom wrote:\n> Ada wrote in workroom #1\n> First sketches are in.\n\n-- \nBob\nBob's Design Ltd\n")
		}, "Yes, tomorrow."),
		{name: "mail to the room's address needs no subject", from: bob, to: []string{"room"}, stage: "data", code: 250, posted: 1, body: "Straight in.", unverified: true,
			raw: func(*mailWorld) string {
				return msg([]string{from("Bob"), "Subject: anything at all", mid("r3")}, "Straight in.\n")
			}},
		ok("an encoded-word subject with RE: and Fwd:", func(*mailWorld) string {
			return msg([]string{from("Bob"), "Subject: =?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte("RE: Fwd: [workroom] Logo")) + "?=", mid("r4")}, "Encoded subject.\n")
		}, "Encoded subject."),
		ok("an odd charset (ISO-8859-1, quoted-printable)", func(*mailWorld) string {
			return msg([]string{from("Bob"), subject, mid("r5"), "MIME-Version: 1.0", "Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: quoted-printable"}, "Caf=E9 au lait, s'il vous pla=EEt.\n")
		}, "Café au lait"),
		ok("HTML only, converted to text", func(*mailWorld) string {
			return msg([]string{from("Bob"), subject, mid("r6"), "MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8"}, "<html><body><p>The <b>final</b> logo.</p></body></html>\n")
		}, "final"),
		{name: "a reply with a file", from: bob, to: []string{"reply"}, stage: "data", code: 250, posted: 1, files: 1, unverified: true,
			raw: func(*mailWorld) string {
				return multipart([]string{from("Bob"), subject, mid("r7")}, "The brief.", file("brief.pdf", "%PDF-1.4 brief"))
			}},
		{name: "an encoded-word file name", from: bob, to: []string{"reply"}, stage: "data", code: 250, posted: 1, files: 1, unverified: true,
			raw: func(*mailWorld) string {
				return multipart([]string{from("Bob"), subject, mid("r8")}, "CV.",
					fileRaw(`Content-Disposition: attachment; filename="=?UTF-8?B?`+base64.StdEncoding.EncodeToString([]byte("résumé.pdf"))+`?="`, "%PDF cv"))
			}},
		{name: "envelope sender other than From, From authenticated (a forwarder)", from: "bounce-123@forwarder.example", to: []string{"reply"}, stage: "data", code: 250, posted: 1, body: "Forwarded.",
			raw: func(*mailWorld) string {
				return msg([]string{from("Bob"), subject, mid("r9"), "X-Test-Auth: pass"}, "Forwarded.\n")
			}},

		// Refused at RCPT: an outsider learns nothing.
		{name: "an outsider to the room's address", from: workroomtest.Email("Eve"), to: []string{"room"}, stage: "rcpt", code: 550, enh: "5.1.1", phrase: "no such workroom"},
		{name: "a room that does not exist", from: bob, to: []string{"room-999@" + workroomtest.MailDomain}, stage: "rcpt", code: 550, enh: "5.1.1", phrase: "no such workroom: 999"},
		{name: "a stranger to the room's address", from: "someone@elsewhere.example", to: []string{"room"}, stage: "rcpt", code: 550, enh: "5.1.1", phrase: "no such workroom"},
		{name: "an unknown reply key", from: bob, to: []string{"reply+" + strings.Repeat("0f", 16) + "@" + workroomtest.MailDomain}, stage: "rcpt", code: 550, enh: "5.1.1", phrase: "no such mailbox"},
		{name: "a reply key of the wrong form", from: bob, to: []string{"reply+ABC@" + workroomtest.MailDomain}, stage: "rcpt", code: 550, enh: "5.1.1", phrase: "no such mailbox"},
		{name: "another domain (no relaying)", from: bob, to: []string{"someone@elsewhere.example"}, stage: "rcpt", code: 550, enh: "5.1.1", phrase: "no such mailbox"},
		{name: "a second workroom recipient in one mail", from: bob, to: []string{"reply", "room"}, stage: "rcpt", code: 452, enh: "4.5.3", phrase: "one workroom address per mail"},

		// Refused at DATA: what the mail says.
		refused("a changed subject", func(*mailWorld) string {
			return msg([]string{from("Bob"), "Subject: Something else", mid("x1")}, "Hi\n")
		}, 550, "5.7.1", "keep the notification's subject"),
		refused("no subject", func(*mailWorld) string { return msg([]string{from("Bob"), mid("x2")}, "Hi\n") }, 550, "5.7.1", "keep the notification's subject"),
		refused("only a quote left", func(*mailWorld) string {
			return msg([]string{from("Bob"), subject, mid("x3")}, "On Mon, 30 Nov 2026, workroom wrote:\n> First sketches are in.\n")
		}, 550, "5.7.1", "nothing is left to post"),
		refused("two From addresses", func(*mailWorld) string {
			return msg([]string{"From: " + bob + ", " + workroomtest.Email("Ada"), subject, mid("x4")}, "Hi\n")
		}, 550, "5.7.1", "exactly one address"),
		refused("a spoofed From on a reply address", func(*mailWorld) string {
			return msg([]string{from("Eve"), subject, mid("x5")}, "Hi\n")
		}, 550, "5.7.1", "is not the address this reply address was sent to"),
		{name: "a spoofed From on the room's address", from: bob, to: []string{"room"}, stage: "data", code: 550, enh: "5.7.1", phrase: "is not the address the mail was sent from",
			raw: func(*mailWorld) string { return msg([]string{from("Ada"), mid("x6")}, "Hi\n") }},
		{name: "envelope sender other than From, From unauthenticated", from: "someone@elsewhere.example", to: []string{"reply"}, stage: "data", code: 550, enh: "5.7.1", phrase: "the envelope sender (someone@elsewhere.example) is not From",
			raw: plain(mid("x7"))},
		refused("a DMARC fail", plain(mid("x8"), "X-Test-Auth: fail"), 550, "5.7.1", "DMARC policy of example.com (p=reject) rejects"),
		refused("DNS failing while authenticating", plain(mid("x9"), "X-Test-Auth: temp"), 451, "4.7.0", "try again later"),
		refused("a multipart without a boundary", func(*mailWorld) string {
			return msg([]string{from("Bob"), subject, mid("m1"), "MIME-Version: 1.0", "Content-Type: multipart/mixed"}, "--x\n\nhi\n--x--\n")
		}, 554, "5.6.0", "gives no boundary"),
		refused("MIME nested 12 deep", func(*mailWorld) string {
			var b strings.Builder
			for i := range 12 {
				fmt.Fprintf(&b, "--b%d\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n", i, i+1)
			}
			b.WriteString("--b12\nContent-Type: text/plain\n\ndeep\n")
			for i := 12; i >= 0; i-- {
				fmt.Fprintf(&b, "--b%d--\n", i)
			}
			return msg([]string{from("Bob"), subject, mid("m2"), "MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="b0"`}, b.String())
		}, 554, "5.6.0", "nests MIME parts more than 10 deep"),
		refused("a huge header", func(*mailWorld) string {
			h := []string{from("Bob"), subject, mid("m3")}
			for i := range 1000 {
				h = append(h, fmt.Sprintf("X-Filler-%d: %s", i, strings.Repeat("x", 100)))
			}
			return msg(h, "Hi\n")
		}, 554, "5.6.0", "header block of the mail is larger than"),
		refused("bad base64 in a file", withFiles("Content-Type: application/pdf\nContent-Disposition: attachment; filename=\"a.pdf\"\nContent-Transfer-Encoding: base64\n\n!!!not*base64!!!\n"),
			554, "5.6.0", "broken base64 encoding"),
		refused("a NUL byte in a header", func(*mailWorld) string {
			return msg([]string{from("Bob"), subject + "\x00evil", mid("m4")}, "Hi\n")
		}, 554, "5.6.0", "NUL byte"),
		refused("a traversal file name", withFiles(file("../../etc/passwd.txt", "root")), 550, "5.7.1", "named without folders"),
		refused("a control character in a file name", withFiles(fileRaw("Content-Disposition: attachment; filename*=utf-8''bad%01name.pdf", "x")), 550, "5.7.1", "control characters"),
		refused("a bidi override in a file name", withFiles(file("invoice\u202efdp.exe", "MZ")), 550, "5.7.1", "invisible character U+202E"),
		refused("eleven files", withFiles(func() []string {
			var fs []string
			for i := range 11 {
				fs = append(fs, file(fmt.Sprintf("f%02d.txt", i), "x"))
			}
			return fs
		}()...), 552, "5.3.4", "f10.txt: a mail carries at most 10 files and this one has 11"),
		refused("a file without an extension", withFiles(file("README", "x")), 550, "5.7.1", "README: a file name needs an extension"),
		refused("an unzipped .exe", withFiles(file("setup.exe", "MZ")), 550, "5.7.1", "setup.exe: .exe files must be zipped"),
		refused("EICAR, the antivirus test file", withFiles(file("eicar.txt", clamdtest.EICAR)), 554, "5.7.1", "eicar.txt: a virus was found"),
		refused("a good file and a bad one: nothing stored", withFiles(file("ok.pdf", "%PDF fine"), file("run.bat", "echo")), 550, "5.7.1", "run.bat: .bat files must be zipped"),

		// Machine mail: accepted, never posted, never answered.
		discarded("an out-of-office reply", plain(mid("a1"), "Auto-Submitted: auto-replied")),
		discarded("an X-Autoreply", plain(mid("a2"), "X-Autoreply: yes")),
		discarded("mailing-list mail", plain(mid("a3"), "List-Id: <designers.lists.example>")),
		{name: "a bounce to a reply address (null sender)", from: "", to: []string{"reply"}, stage: "data", code: 250,
			raw: func(*mailWorld) string { return dsn(bob) }},
		{name: "a redelivery of a posted mail", from: bob, to: []string{"reply"}, stage: "data", code: 250, raw: plain(mid("r1"))},
	}
	return cases
}

// dsn is a delivery status notification saying mail to failed failed.
func dsn(failed string) string {
	return msg([]string{"From: Mail Delivery System <MAILER-DAEMON@mx.example>", "Subject: Undelivered Mail Returned to Sender",
		"Auto-Submitted: auto-replied", "MIME-Version: 1.0", `Content-Type: multipart/report; report-type=delivery-status; boundary="R"`},
		"--R\nContent-Type: text/plain\n\nThe mail could not be delivered.\n--R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; "+failed+"\nAction: failed\nStatus: 5.1.1\n\n--R--\n")
}

// TestSMTP_HostileAndOddMails sends each mail of the table through a real
// SMTP conversation and checks the exact reply, and that a refused mail
// posted and stored nothing.
func TestSMTP_HostileAndOddMails(t *testing.T) {
	sc := clamdtest.Start(t)
	mw := newMailWorld(t, ServerConfig{}, workroomtest.WithScanner(clamd.New(sc.Addr)))
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			to := make([]string, len(c.to))
			for i, a := range c.to {
				switch a {
				case "room":
					to[i] = mw.roomAddr()
				case "reply":
					to[i] = mw.replyAddr()
				default:
					to[i] = a
				}
			}
			raw := ""
			if c.raw != nil {
				raw = c.raw(mw)
			}
			msgsBefore, filesBefore := len(mw.byMail(t, mw.room.ID)), len(mw.files(t, mw.room.ID))
			answersBefore := mw.mailTo(t, c.from)
			got := send(t, mw.addr, c.from, to, raw)
			checkReply(t, got, c.stage, c.code, c.enh, c.phrase)
			if n := mw.mailTo(t, c.from) - answersBefore; n != 0 {
				t.Errorf("the server queued %d mails to the sender; it never answers a mail by mail", n)
			}
			msgs, files := mw.byMail(t, mw.room.ID), mw.files(t, mw.room.ID)
			if n := len(msgs) - msgsBefore; n != c.posted {
				t.Errorf("%d messages posted, want %d", n, c.posted)
			}
			if n := len(files) - filesBefore; n != c.files {
				t.Errorf("%d files stored, want %d", n, c.files)
			}
			if c.posted == 0 {
				return
			}
			m := msgs[0]
			if !strings.Contains(m.Body, c.body) || m.AuthorID != mw.bob.User.ID || m.Unverified != c.unverified {
				t.Errorf("posted %+v; want Bob's body holding %q, unverified %v", m, c.body, c.unverified)
			}
			if c.files > 0 && len(m.Attachments) != c.files {
				t.Errorf("the message carries %d files, want %d", len(m.Attachments), c.files)
			}
		})
	}
	if n := len(hostileCases()); n < 30 {
		t.Fatalf("the table has %d mails, want at least 30", n)
	}
}

// checkReply checks a reply's stage, code, enhanced code and a phrase.
func checkReply(t *testing.T, got sent, stage string, code int, enh, phrase string) {
	t.Helper()
	if code == 250 {
		if got.err != nil {
			t.Fatalf("refused at %s: %d %v %s; want 250", got.stage, got.err.Code, got.err.EnhancedCode, got.err.Message)
		}
		return
	}
	if got.err == nil {
		t.Fatalf("accepted; want %d %s %q at %s", code, enh, phrase, stage)
	}
	e := got.err
	gotEnh := fmt.Sprintf("%d.%d.%d", e.EnhancedCode[0], e.EnhancedCode[1], e.EnhancedCode[2])
	if got.stage != stage || e.Code != code || gotEnh != enh || !strings.Contains(e.Message, phrase) {
		t.Fatalf("at %s: %d %s %q; want at %s: %d %s with %q", got.stage, e.Code, gotEnh, e.Message, stage, code, enh, phrase)
	}
}

func TestSMTP_ScannerDownIsTemporary(t *testing.T) {
	mw := newMailWorld(t, ServerConfig{}, workroomtest.WithScanner(clamd.New("127.0.0.1:1")))
	got := send(t, mw.addr, workroomtest.Email("Bob"), []string{mw.replyAddr()},
		multipart([]string{from("Bob"), subject, mid("s1")}, "The brief.", file("brief.pdf", "%PDF")))
	checkReply(t, got, "data", 451, "4.7.1", "brief.pdf: the virus scanner cannot be reached; try again later")
	if n, f := len(mw.byMail(t, mw.room.ID)), len(mw.files(t, mw.room.ID)); n != 0 || f != 0 {
		t.Fatalf("%d messages and %d files after a 451, want none", n, f)
	}
}

func TestSMTP_OverQuotaRefusesTheWholeMail(t *testing.T) {
	mw := newMailWorld(t, ServerConfig{})
	if err := mw.w.DB.SetQuota(context.Background(), mw.room.ID, 1000); err != nil {
		t.Fatal(err)
	}
	got := send(t, mw.addr, workroomtest.Email("Bob"), []string{mw.replyAddr()},
		multipart([]string{from("Bob"), subject, mid("q1")}, "Two halves.", file("a.pdf", strings.Repeat("a", 600)), file("b.pdf", strings.Repeat("b", 600))))
	checkReply(t, got, "data", 552, "5.3.4", "more than its quota")
	if n, f := len(mw.byMail(t, mw.room.ID)), len(mw.files(t, mw.room.ID)); n != 0 || f != 0 {
		t.Fatalf("%d messages and %d files after an over-quota mail, want none", n, f)
	}
}

func TestSMTP_GuestPostsTextButNoFiles(t *testing.T) {
	mw := newMailWorld(t, ServerConfig{})
	gus := workroomtest.Email("Gus")
	got := send(t, mw.addr, gus, []string{mw.roomAddr()},
		multipart([]string{from("Gus"), mid("g1")}, "A file.", file("a.pdf", "%PDF")))
	checkReply(t, got, "data", 550, "5.7.1", "a.pdf: a guest of this workroom cannot upload files")
	got = send(t, mw.addr, gus, []string{mw.roomAddr()}, msg([]string{from("Gus"), mid("g2")}, "Just words.\n"))
	checkReply(t, got, "data", 250, "", "")
	if ms := mw.byMail(t, mw.room.ID); len(ms) != 1 || ms[0].Body != "Just words." || len(mw.files(t, mw.room.ID)) != 0 {
		t.Fatalf("after a guest's two mails: %+v; want only the text", ms)
	}
}

func TestSMTP_StrictRefusesUnverifiedSender(t *testing.T) {
	mw := newMailWorld(t, ServerConfig{Strict: true})
	got := send(t, mw.addr, workroomtest.Email("Bob"), []string{mw.replyAddr()}, msg([]string{from("Bob"), subject, mid("u1")}, "Hi\n"))
	checkReply(t, got, "data", 550, "5.7.1", "takes only authenticated mail")
	got = send(t, mw.addr, workroomtest.Email("Bob"), []string{mw.replyAddr()}, msg([]string{from("Bob"), subject, mid("u2"), "X-Test-Auth: pass"}, "Signed.\n"))
	checkReply(t, got, "data", 250, "", "")
	if ms := mw.byMail(t, mw.room.ID); len(ms) != 1 || ms[0].Unverified {
		t.Fatalf("posted %+v; want the authenticated mail only, not marked", ms)
	}
}

func TestSMTP_RevokedReplyKeyIsRefused(t *testing.T) {
	mw := newMailWorld(t, ServerConfig{})
	if err := mw.w.Svc.SetNotify(workroomtest.As(mw.bob), mw.room.ID, false); err != nil {
		t.Fatal(err)
	}
	got := send(t, mw.addr, workroomtest.Email("Bob"), []string{mw.replyAddr()}, msg([]string{from("Bob"), subject}, "Hi\n"))
	checkReply(t, got, "rcpt", 550, "5.1.1", "no such mailbox")
}

func TestSMTP_BounceMarksTheAddressUndeliverable(t *testing.T) {
	mw := newMailWorld(t, ServerConfig{})
	got := send(t, mw.addr, "", []string{"bounces@" + workroomtest.MailDomain}, dsn(workroomtest.Email("Bob")))
	checkReply(t, got, "data", 250, "", "")
	u, err := mw.w.DB.User(context.Background(), mw.bob.User.ID)
	if err != nil || !u.EmailUndeliverable {
		t.Fatalf("Bob after a bounce: %+v, %v; want undeliverable", u, err)
	}
	mw.w.Post(t, mw.ada, mw.room.ID, "Anyone?")
	ms, _ := mw.w.Outbox.Pending(context.Background(), 1000)
	for _, m := range ms {
		if m.To == workroomtest.Email("Bob") && m.Created.After(mw.w.Now().Add(-1)) && strings.Contains(m.Body, "Anyone?") {
			t.Fatalf("a notification went to Bob's undeliverable address: %+v", m)
		}
	}
}

func TestSMTP_AdvertisesSizeAndTakesNoMoreThanIt(t *testing.T) {
	mw := newMailWorld(t, ServerConfig{MaxSize: 4096})
	c := dialHello(t, mw.addr)
	if ok, v := c.Extension("SIZE"); !ok || v != "4096" {
		t.Fatalf("SIZE extension %v %q, want 4096", ok, v)
	}
	got := send(t, mw.addr, workroomtest.Email("Bob"), []string{mw.replyAddr()}, msg([]string{from("Bob"), subject}, strings.Repeat("long line of text\n", 400)))
	checkReply(t, got, "data", 552, "5.3.4", "")
	if n := len(mw.byMail(t, mw.room.ID)); n != 0 {
		t.Fatalf("%d messages after an oversize mail", n)
	}
}
