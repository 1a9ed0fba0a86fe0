package mailtext

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseDSN_ReturnsFailedFinalRecipients(t *testing.T) {
	raw := readFile(t, "postfix_bounce.eml")
	for _, wire := range [][]byte{raw, crlf(string(raw))} {
		got, err := ParseDSN(bytes.NewReader(wire))
		if err != nil {
			t.Fatalf("ParseDSN: %v", err)
		}
		want := []string{"gone@example.org", "Also.Gone@Example.org"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("failed recipients = %q, want %q", got, want)
		}
	}
}

func TestParseDSN_ClassifiedAsBounce(t *testing.T) {
	m, _, err := parseBytes(t, readFile(t, "postfix_bounce.eml"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Automatic != Bounce {
		t.Fatalf("Automatic = %q, want bounce", m.Automatic)
	}
}

func TestParseDSN_RefusesOtherMail(t *testing.T) {
	for name, raw := range map[string]string{
		"a person's mail":       string(readFile(t, "gmail_reply.eml")),
		"a read receipt":        "Content-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n--b\nContent-Type: message/disposition-notification\n\nDisposition: displayed\n--b--\n",
		"a report without body": "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nsorry\n--b--\n",
	} {
		_, err := ParseDSN(strings.NewReader(raw))
		var me *Error
		if !errors.As(err, &me) || me.Rule != RuleNotDSN {
			t.Errorf("%s: error = %v, want rule %q", name, err, RuleNotDSN)
		}
	}
}
