package mail

import (
	"context"
	"io"
	"net"
	"strings"

	"github.com/emersion/go-smtp"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/mailauth"
	"github.com/workroom/workroom/mailtext"
)

// ingest takes one spooled mail to a room or reply address through the
// checks, cheapest and most telling first, and posts it:
//
//  1. read the MIME (mailtext.Parse, attachments read and dropped): a
//     mail that cannot be read is refused whole;
//  2. machine mail (auto-replies, bounces, lists) is accepted and dropped;
//  3. the sender is authenticated (mailauth): a DMARC fail is refused,
//     DNS trouble answered 451, no verdict either way marks the message
//     unverified (or refuses it with --smtp-strict);
//  4. the service checks what the mail says (CheckMail);
//  5. the MIME is read again, each attachment staged through the upload
//     pipeline (rules, quota, scan);
//  6. the service posts the text and the files in one transaction.
type ingest struct {
	ss    *session
	t     *workroom.MailTarget
	spool *spooled
}

func (in *ingest) run(ctx context.Context) error {
	var names []string
	msg, err := in.parse(func(a mailtext.Attachment, body io.Reader) error {
		names = append(names, a.Name)
		_, err := io.Copy(io.Discard, body)
		return err
	})
	if err != nil {
		return err
	}
	log := in.ss.s.log
	if auto := automatic(msg, in.ss.from); auto != "" {
		log.Info("mail in: machine mail discarded", "kind", auto, "to", in.t.Address, "remote", in.ss.remote())
		return nil
	}
	post := &workroom.MailPost{Envelope: in.ss.from, MessageID: msg.MessageID, Files: names}
	for _, a := range msg.From {
		post.From = append(post.From, a.Address)
	}
	if len(post.From) == 1 {
		if err := in.authenticate(ctx, post); err != nil {
			return err
		}
	}
	text := strings.TrimSpace(mailtext.StripReply(msg.Text))
	post.Body = text
	if in.t.Kind == workroom.MailToReply {
		post.SubjectKept = mailtext.SameSubject(msg.Subject, in.t.Subject)
	}
	dup, err := in.ss.s.svc.CheckMail(ctx, in.t, post)
	if err != nil {
		return err
	}
	if dup {
		log.Info("mail in: redelivery of a posted mail accepted", "to", in.t.Address, "message_id", msg.MessageID)
		return nil
	}
	if len(names) > 0 {
		if err := in.stage(ctx); err != nil {
			in.ss.s.svc.Discard(ctx, in.t)
			return err
		}
	}
	_, dup, err = in.ss.s.svc.PostMail(ctx, in.t, post)
	if dup {
		log.Info("mail in: redelivery of a posted mail accepted", "to", in.t.Address, "message_id", msg.MessageID)
	}
	return err
}

// parse reads the spooled mail from its start.
func (in *ingest) parse(attach func(mailtext.Attachment, io.Reader) error) (*mailtext.Message, error) {
	r, err := in.spool.reader()
	if err != nil {
		return nil, err
	}
	return mailtext.Parse(r, mailtext.Limits{}, attach)
}

// stage reads the mail again, staging each attachment. A refusal of a
// file is the answer, whatever Parse makes of it.
func (in *ingest) stage(ctx context.Context) error {
	var refusal error
	_, err := in.parse(func(a mailtext.Attachment, body io.Reader) error {
		refusal = in.ss.s.svc.StageMailFile(ctx, in.t, a.Name, body)
		return refusal
	})
	if refusal != nil {
		return refusal
	}
	return err
}

// automatic says what kind of machine mail msg is; "" for a person's.
func automatic(msg *mailtext.Message, envelope string) mailtext.Automatic {
	if msg.Automatic != "" {
		return msg.Automatic
	}
	return mailtext.Classify(msg.Header, envelope)
}

// authenticate judges the sender and marks post with the verdict.
func (in *ingest) authenticate(ctx context.Context, post *workroom.MailPost) error {
	auth := in.ss.s.cfg.Auth
	if auth == nil {
		post.Unverified = true
		return nil
	}
	r, err := in.spool.reader()
	if err != nil {
		return err
	}
	from := post.From[0]
	res := auth.Check(ctx, mailauth.Input{RemoteIP: in.remoteIP(), Helo: in.ss.conn.Hostname(), MailFrom: in.ss.from,
		FromDomain: from[strings.LastIndexByte(from, '@')+1:], Message: r})
	in.ss.s.log.Info("mail in: sender authentication", "from_domain", from[strings.LastIndexByte(from, '@')+1:],
		"verdict", res.Verdict, "temporary", res.Temporary, "spf", res.SPF, "dkim", res.DKIM, "dmarc", res.DMARC)
	switch {
	case res.Verdict == mailauth.Fail:
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: replyText(res.Reason)}
	case res.Verdict == mailauth.Pass:
		post.Authenticated = true
	case res.Temporary:
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 0},
			Message: replyText("the sender could not be authenticated right now (" + res.Reason + "); try again later")}
	case in.ss.s.cfg.Strict:
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
			Message: replyText("this server takes only authenticated mail, and " + res.Reason + "; send from a domain with DKIM or SPF and a DMARC policy")}
	default:
		post.Unverified = true
	}
	return nil
}

func (in *ingest) remoteIP() net.IP {
	if a, ok := in.ss.conn.Conn().RemoteAddr().(*net.TCPAddr); ok {
		return a.IP
	}
	return nil
}
