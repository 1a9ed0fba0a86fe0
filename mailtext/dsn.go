package mailtext

import (
	"bufio"
	"bytes"
	"io"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// maxDSNRecipients bounds the recipient blocks read from one report.
const maxDSNRecipients = 100

// ParseDSN reads a delivery status notification (RFC 3464: multipart/report;
// report-type=delivery-status) and returns the final recipients whose Action
// is "failed", without their address-type prefix ("rfc822;"). A mail that is
// no such report returns *Error with RuleNotDSN.
func ParseDSN(r io.Reader) ([]string, error) {
	lim := Limits{}.withDefaults()
	var failed []string
	found := false
	w := &walker{lim: lim}
	w.leaf = func(p *part) error {
		if p.mediaType != "message/delivery-status" && p.mediaType != "message/global-delivery-status" {
			return nil
		}
		found = true
		b, err := io.ReadAll(io.LimitReader(p.body, int64(lim.MaxHeaderBytes)+1))
		if err != nil {
			return err
		}
		if len(b) > lim.MaxHeaderBytes {
			return refuse(RuleHeaderSize, "the delivery status is larger than %d bytes", lim.MaxHeaderBytes)
		}
		failed = append(failed, failedRecipients(b)...)
		return nil
	}
	h, err := w.walkMessage(r)
	if err != nil {
		return nil, err
	}
	mt, params, _ := contentType(h)
	if mt != "multipart/report" || !strings.EqualFold(params["report-type"], "delivery-status") || !found {
		return nil, refuse(RuleNotDSN, "the mail is not a delivery status notification")
	}
	return failed, nil
}

// failedRecipients reads the per-message block and the per-recipient blocks
// of a delivery-status body, each a header block ended by a blank line.
func failedRecipients(b []byte) []string {
	br := bufio.NewReader(bytes.NewReader(b))
	var out []string
	for i := 0; i <= maxDSNRecipients; i++ {
		h, err := textproto.ReadHeader(br)
		if i > 0 && strings.EqualFold(headerWord(h.Get("Action")), "failed") {
			if rcpt := recipientAddress(h.Get("Final-Recipient")); rcpt != "" {
				out = append(out, rcpt)
			}
		}
		if err != nil {
			break
		}
		// Skip the blank lines between blocks.
		for {
			c, err := br.Peek(1)
			if err != nil || (c[0] != '\r' && c[0] != '\n') {
				break
			}
			br.ReadByte()
		}
		if _, err := br.Peek(1); err != nil {
			break
		}
	}
	return out
}

// recipientAddress drops the address type: "rfc822; bob@example.com".
func recipientAddress(v string) string {
	if t, addr, ok := strings.Cut(v, ";"); ok && !strings.ContainsAny(t, "@<") {
		v = addr
	}
	return strings.Trim(strings.TrimSpace(v), "<>")
}
