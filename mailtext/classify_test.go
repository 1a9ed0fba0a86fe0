package mailtext

import (
	"testing"

	"github.com/emersion/go-message/mail"
)

func header(fields ...string) mail.Header {
	var h mail.Header
	for i := 0; i+1 < len(fields); i += 2 {
		h.Add(fields[i], fields[i+1])
	}
	return h
}

func TestClassify(t *testing.T) {
	person := "bob@example.org"
	tests := []struct {
		name string
		h    mail.Header
		env  string
		want Automatic
	}{
		{"a person", header("From", "bob@example.org", "Auto-Submitted", "no"), person, None},
		{"null envelope sender", header("From", "MAILER-DAEMON@example.org"), "", Bounce},
		{"null envelope sender in brackets", header(), "<>", Bounce},
		{"delivery status report", header("Content-Type", `multipart/report; report-type="delivery-status"; boundary=x`), person, Bounce},
		{"read receipt report", header("Content-Type", "multipart/report; report-type=disposition-notification; boundary=x"), person, AutoReply},
		{"auto-replied", header("Auto-Submitted", "auto-replied"), person, AutoReply},
		{"auto-generated with comment", header("Auto-Submitted", "Auto-Generated (vacation)"), person, AutoReply},
		{"x-autoreply", header("X-Autoreply", "yes"), person, AutoReply},
		{"x-autorespond", header("X-Autorespond", "on"), person, AutoReply},
		{"precedence auto_reply", header("Precedence", "auto_reply"), person, AutoReply},
		{"precedence junk", header("Precedence", "junk"), person, AutoReply},
		{"precedence bulk", header("Precedence", "Bulk"), person, List},
		{"precedence list", header("Precedence", "list"), person, List},
		{"list-id", header("List-Id", "<news.example.org>"), person, List},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.h, tt.env); got != tt.want {
				t.Errorf("Classify = %q, want %q", got, tt.want)
			}
		})
	}
}
