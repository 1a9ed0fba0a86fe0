package mailauth

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// readHeader reads the message's header block (up to MaxHeaderBytes) and
// returns it parsed, with a reader that replays the whole message byte for
// byte (DKIM needs the exact bytes). A header too long or malformed still
// yields the fields read before the fault: they are the top ones.
func readHeader(msg io.Reader) (textproto.Header, io.Reader) {
	if msg == nil {
		return textproto.Header{}, strings.NewReader("")
	}
	br := bufio.NewReader(msg)
	var raw bytes.Buffer
	for raw.Len() < MaxHeaderBytes {
		line, err := br.ReadSlice('\n')
		raw.Write(line)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil || len(bytes.TrimRight(line, "\r\n")) == 0 {
			break
		}
	}
	hdr, _ := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw.Bytes())))
	return hdr, io.MultiReader(bytes.NewReader(raw.Bytes()), br)
}

// oneFrom refuses a pass to a mail with more than one From field. DKIM
// signs the bottom-most From, mail readers show the top one: a second From
// prepended to a genuinely signed mail would otherwise pass as its sender.
func oneFrom(hdr textproto.Header, res Result) Result {
	n := hdr.FieldsByKey("From").Len()
	if n <= 1 || res.Verdict != Pass {
		return res
	}
	res.Verdict = Unverified
	res.Reason = fmt.Sprintf("the mail has %d From header fields; only a mail with exactly one can be authenticated", n)
	return res
}
