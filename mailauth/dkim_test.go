package mailauth

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"
)

func TestCheck_DKIMPassAlignedRelaxedSubdomain(t *testing.T) {
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject")
	res := check(t, w, mailCase{msg: signed(t, "mail.example.com", "rsa")})
	wantVerdict(t, res, Pass, false)
	if !strings.Contains(res.DKIM, "pass header.d=mail.example.com") {
		t.Errorf("DKIM summary %q does not record the pass", res.DKIM)
	}
}

func TestCheck_DKIMPassAlignedStrict(t *testing.T) {
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject; adkim=s")
	wantVerdict(t, check(t, w, mailCase{msg: signed(t, fromDomain, "rsa")}), Pass, false)
}

func TestCheck_DKIMSubdomainNotAlignedUnderStrict(t *testing.T) {
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject; adkim=s")
	wantVerdict(t, check(t, w, mailCase{msg: signed(t, "mail.example.com", "rsa")}), Fail, false)
}

func TestCheck_DKIMEd25519Pass(t *testing.T) {
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject")
	wantVerdict(t, check(t, w, mailCase{msg: signed(t, fromDomain, "ed")}), Pass, false)
}

func TestCheck_DKIMPassNotAlignedIsNoPass(t *testing.T) {
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject")
	res := check(t, w, mailCase{msg: signed(t, "other.org", "rsa")})
	wantVerdict(t, res, Fail, false)
	if !strings.Contains(res.DKIM, "pass header.d=other.org") {
		t.Errorf("DKIM summary %q: the signature itself should verify", res.DKIM)
	}
}

func TestCheck_DKIMBodyTamperedAfterSigning(t *testing.T) {
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject")
	msg := strings.Replace(signed(t, fromDomain, "rsa"), "Here is the draft.", "Here is the invoice.", 1)
	res := check(t, w, mailCase{msg: msg})
	wantVerdict(t, res, Fail, false)
	if !strings.HasPrefix(res.DKIM, "fail header.d=example.com") {
		t.Errorf("DKIM summary %q, want a failed signature", res.DKIM)
	}
}

func TestCheck_DKIMExpiredByCheckerClock(t *testing.T) {
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject")
	msg := signed(t, fromDomain, "rsa", func(o *dkim.SignOptions) { o.Expiration = time.Now().Add(time.Hour) })
	c := &Checker{Resolver: w.resolver(), Now: func() time.Time { return time.Now().Add(2 * time.Hour) }}
	res := checkWith(t, c, mailCase{msg: msg})
	wantVerdict(t, res, Fail, false)
	if !strings.Contains(res.DKIM, "expired") {
		t.Errorf("DKIM summary %q does not say the signature expired", res.DKIM)
	}
}

func TestCheck_DKIMKeyLookupServfailIsTemporary(t *testing.T) {
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject").servfail("rsa._domainkey." + fromDomain)
	res := check(t, w, mailCase{msg: signed(t, fromDomain, "rsa")})
	wantVerdict(t, res, Unverified, true)
	if !strings.Contains(res.DKIM, "temperror") {
		t.Errorf("DKIM summary %q, want temperror", res.DKIM)
	}
}

// Only the first MaxDKIMSignatures signatures (from the top) are verified:
// an aligned one below them is not looked at.
func TestCheck_DKIMSignaturesBeyondTheLimitAreIgnored(t *testing.T) {
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject")
	r, _ := keys(t)
	msg := signed(t, fromDomain, "rsa")
	for range MaxDKIMSignatures {
		var b bytes.Buffer
		if err := dkim.Sign(&b, strings.NewReader(msg), &dkim.SignOptions{Domain: "other.org", Selector: "rsa", Signer: r}); err != nil {
			t.Fatal(err)
		}
		msg = b.String()
	}
	res := check(t, w, mailCase{msg: msg})
	wantVerdict(t, res, Fail, false)
	if strings.Contains(res.DKIM, "header.d=example.com") {
		t.Errorf("DKIM summary %q: the signature beyond the limit was verified", res.DKIM)
	}
}
