package mailauth

import (
	"context"
	"strings"
	"testing"
)

// FuzzTrustedAuthResults feeds arbitrary Authentication-Results values to
// trusted mode: it must not panic, must give one of the three verdicts, and
// its Reason must stay one printable line (it goes into an SMTP reply).
func FuzzTrustedAuthResults(f *testing.F) {
	for _, seed := range []string{
		"mx.work.example; dmarc=pass (p=reject dis=none) header.from=example.com",
		"mx.work.example 1; dkim=pass (2048-bit key) header.d=example.com header.b=\"a;b\"; spf=fail smtp.mailfrom=x@y",
		"mx.work.example; none",
		"mx.work.example (comment (nested) \\) ; x); dmarc=fail policy.dmarc=reject",
		"mx.work.example; dmarc=fail (p=",
		"(",
		"\"",
		";;;",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.ContainsAny(v, "\r\n") {
			v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
		}
		msg := "Authentication-Results: " + v + "\r\n" + plainMail
		res := (&Checker{TrustedAuthServ: "mx.work.example"}).Check(context.Background(),
			Input{FromDomain: fromDomain, Message: strings.NewReader(msg)})
		switch res.Verdict {
		case Pass, Fail, Unverified:
		default:
			t.Fatalf("verdict %q", res.Verdict)
		}
		for _, r := range res.Reason {
			if r < 0x20 || r > 0x7e {
				t.Fatalf("reason %q has %U", res.Reason, r)
			}
		}
		clauses := splitClauses(v)
		if len(clauses) == 0 {
			t.Fatal("no clauses")
		}
	})
}
