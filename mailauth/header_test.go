package mailauth

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/emersion/go-msgauth/dkim"
)

// A second From prepended to a genuinely signed mail: DKIM still verifies
// (it covers the bottom From), but readers would show the top one.
func TestCheck_SecondFromFieldNeverPasses(t *testing.T) {
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=none")
	msg := "From: The Boss <boss@example.com>\r\n" + signed(t, fromDomain, "rsa")
	res := check(t, w, mailCase{msg: msg})
	wantVerdict(t, res, Unverified, false)
	if !strings.Contains(res.Reason, "2 From header fields") {
		t.Errorf("reason %q does not name the two From fields", res.Reason)
	}
}

func TestTrusted_SecondFromFieldNeverPasses(t *testing.T) {
	res := checkTrustedMail(t, mtaReceived,
		"Authentication-Results: mx.work.example; dmarc=pass header.from=example.com",
		"From: The Boss <boss@example.com>")
	wantVerdict(t, res, Unverified, false)
}

// The header is read apart from the body and replayed for DKIM: a header
// longer than any read buffer must reach the verifier byte for byte.
func TestReadHeader_ReplaysLongHeaderExactly(t *testing.T) {
	long := "X-Long: " + strings.Repeat("word ", 3000) + "\r\n"
	var signedMsg bytes.Buffer
	r, _ := keys(t)
	if err := dkim.Sign(&signedMsg, strings.NewReader(long+plainMail), &dkim.SignOptions{
		Domain: fromDomain, Selector: "rsa", Signer: r, HeaderKeys: []string{"From", "X-Long", "Subject"},
	}); err != nil {
		t.Fatal(err)
	}
	hdr, replay := readHeader(bytes.NewReader(signedMsg.Bytes()))
	got, err := io.ReadAll(replay)
	if err != nil || !bytes.Equal(got, signedMsg.Bytes()) {
		t.Fatalf("replay differs (err %v, %d bytes, want %d)", err, len(got), signedMsg.Len())
	}
	if hdr.Get("Subject") != "the draft" {
		t.Errorf("Subject %q: the header below the long field was not read", hdr.Get("Subject"))
	}
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject")
	wantVerdict(t, check(t, w, mailCase{msg: signedMsg.String()}), Pass, false)
}
