package mailtext

import (
	"mime"
	"strings"

	"github.com/emersion/go-message/mail"
)

// Automatic classifies machine mail, which the server accepts and discards:
// posting it would fill a workroom with out-of-office notes, and answering it
// could start a mail loop.
type Automatic string

const (
	None      Automatic = ""           // a person's mail
	AutoReply Automatic = "auto-reply" // out-of-office, vacation, receipts
	Bounce    Automatic = "bounce"     // delivery status notifications
	List      Automatic = "list"       // mailing lists, newsletters, bulk mail
)

// Classify judges a mail by its header and envelope sender (MAIL FROM; "" or
// "<>" is the null sender only machines use). A bounce: null sender or a
// multipart/report of delivery status. An auto-reply: Auto-Submitted other
// than "no", X-Autoreply, X-Autorespond, Precedence auto_reply or junk, or
// another multipart/report (read receipts). A list: List-Id, Precedence
// bulk or list.
func Classify(h mail.Header, envelopeFrom string) Automatic {
	env := strings.TrimSpace(envelopeFrom)
	if env == "" || env == "<>" {
		return Bounce
	}
	return classifyHeader(h)
}

func classifyHeader(h mail.Header) Automatic {
	mt, params, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if mt == "multipart/report" {
		if strings.EqualFold(params["report-type"], "delivery-status") {
			return Bounce
		}
		return AutoReply
	}
	if as := headerWord(h.Get("Auto-Submitted")); as != "" && as != "no" {
		return AutoReply
	}
	if h.Has("X-Autoreply") || h.Has("X-Autorespond") {
		return AutoReply
	}
	switch headerWord(h.Get("Precedence")) {
	case "auto_reply", "junk":
		return AutoReply
	case "bulk", "list":
		return List
	}
	if h.Has("List-Id") {
		return List
	}
	return None
}

// headerWord is a header's first token, lowercase: "auto-replied; owner=x"
// gives "auto-replied".
func headerWord(v string) string {
	v, _, _ = strings.Cut(v, ";")
	v, _, _ = strings.Cut(strings.TrimSpace(v), "(")
	return strings.ToLower(strings.TrimSpace(v))
}
