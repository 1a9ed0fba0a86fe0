package mail

import (
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-smtp"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/mailtext"
)

// SMTP replies: every refusal of mail in is mapped here, once. A 5xx is
// final (the sender's server bounces the mail with our words in it); a
// 4xx makes it try again later, so it is only for what may pass later:
// the scanner or the disk down, DNS failing, a rate limit, an internal
// error.

// codeReplies maps a workroom error code to its reply code.
var codeReplies = map[string]struct {
	code int
	enh  smtp.EnhancedCode
}{
	workroom.ENOTFOUND:    {550, smtp.EnhancedCode{5, 1, 1}},
	workroom.EFORBIDDEN:   {550, smtp.EnhancedCode{5, 7, 1}},
	workroom.EINVALID:     {550, smtp.EnhancedCode{5, 7, 1}},
	workroom.ELIMIT:       {552, smtp.EnhancedCode{5, 3, 4}},
	workroom.EINFECTED:    {554, smtp.EnhancedCode{5, 7, 1}},
	workroom.EUNAVAILABLE: {451, smtp.EnhancedCode{4, 7, 1}},
	workroom.ECONFLICT:    {451, smtp.EnhancedCode{4, 3, 0}},
	workroom.EINTERNAL:    {451, smtp.EnhancedCode{4, 3, 0}},
}

// ruleReplies override the code's reply for a rule.
var ruleReplies = map[workroom.Rule]struct {
	code int
	enh  smtp.EnhancedCode
}{
	workroom.RuleMailRate: {451, smtp.EnhancedCode{4, 7, 0}},
}

// howTos add what to do instead, by rule, where the service's sentence
// does not say it already.
var howTos = workroom.HowTos{
	workroom.RuleUnknownAddress: "check the address, or post in the workroom over SSH",
	workroom.RuleQuota:          "ask the workroom's client for more space, delete old files, or send fewer files",
	workroom.RuleFileTooLarge:   "share it another way, or upload it in parts over SFTP",
	workroom.RuleExecutable:     "zip the file and send the zip",
	workroom.RuleNoExtension:    "rename the file with an extension such as .pdf",
	workroom.RuleBadPath:        "rename the file",
}

// Replies of the server's own, not from the service.
var (
	errOneRoomPerMail = &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 5, 3},
		Message: "one workroom address per mail; your server will send this recipient in a mail of its own"}
	errNoSender = &smtp.SMTPError{Code: 503, EnhancedCode: smtp.EnhancedCode{5, 5, 1}, Message: "say MAIL FROM first"}
)

// errLineTooLong refuses a mail with a line over the limit (RFC 5321
// allows 1000 octets).
func errLineTooLong(max int) *smtp.SMTPError {
	return &smtp.SMTPError{Code: 500, EnhancedCode: smtp.EnhancedCode{5, 5, 2},
		Message: fmt.Sprintf("a line of the mail is longer than %d bytes; send long text as an attached file", max)}
}

// maxReplyText bounds a reply's text: an SMTP reply line is at most 512
// octets with its code.
const maxReplyText = 440

// reply maps an error of the service, of mailtext or of reading the mail
// to its SMTP reply.
func reply(err error) *smtp.SMTPError {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se
	}
	var me *mailtext.Error
	if errors.As(err, &me) {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: replyText(me.Message)}
	}
	code := workroom.ErrorCode(err)
	r, ok := ruleReplies[workroom.ErrorRule(err)]
	if !ok {
		r = codeReplies[code]
	}
	if r.code == 0 {
		r = codeReplies[workroom.EINTERNAL]
	}
	text := howTos.Explain(err)
	if r.code/100 == 4 && !strings.Contains(text, "try again") {
		text += "; try again later"
	}
	return &smtp.SMTPError{Code: r.code, EnhancedCode: r.enh, Message: replyText(text)}
}

// replyText keeps a reply to one line of printable ASCII: names in it
// come from the sender, and a reply is no place for their control
// characters or for bytes a client may not show.
func replyText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
		case r > 0x7e:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
		if b.Len() >= maxReplyText {
			return b.String() + "..."
		}
	}
	return b.String()
}
