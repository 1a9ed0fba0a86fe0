package mailauth

import (
	"context"
	"net"
	"strings"
	"testing"
)

// An unauthenticated mail (outside SPF, unsigned) under each policy.
func TestCheck_DMARCPolicyWithoutAlignedPass(t *testing.T) {
	tests := []struct {
		name       string
		world      func(world) world
		from       string
		want       Verdict
		wantReason string
	}{
		{"p=reject fails", func(w world) world { return w.txt("_dmarc.example.com", "v=DMARC1; p=reject") },
			fromDomain, Fail, "DMARC policy of example.com (p=reject) rejects mail"},
		{"p=quarantine fails", func(w world) world { return w.txt("_dmarc.example.com", "v=DMARC1; p=quarantine") },
			fromDomain, Fail, "DMARC policy of example.com (p=quarantine) quarantines mail"},
		{"p=none is unverified", func(w world) world { return w.txt("_dmarc.example.com", "v=DMARC1; p=none") },
			fromDomain, Unverified, "(p=none) does not ask to refuse it"},
		{"no record is unverified", func(w world) world { return w },
			fromDomain, Unverified, "publishes no DMARC policy"},
		{"malformed record counts as none", func(w world) world { return w.txt("_dmarc.example.com", "v=DMARC1; p=bogus") },
			fromDomain, Unverified, "publishes no DMARC policy"},
		{"subdomain without a record takes sp=", func(w world) world {
			return w.txt("_dmarc.example.com", "v=DMARC1; p=none; sp=reject")
		}, "news.example.com", Fail, "DMARC policy of example.com (sp=reject) rejects mail"},
		{"subdomain without sp= takes p=", func(w world) world {
			return w.txt("_dmarc.example.com", "v=DMARC1; p=quarantine")
		}, "news.example.com", Fail, "DMARC policy of example.com (p=quarantine)"},
		{"sp=none spares subdomains", func(w world) world {
			return w.txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=none")
		}, "news.example.com", Unverified, "(sp=none) does not ask to refuse it"},
		{"a subdomain's own record wins over sp=", func(w world) world {
			return w.txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=reject").txt("_dmarc.news.example.com", "v=DMARC1; p=none")
		}, "news.example.com", Unverified, "(p=none)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.world(baseWorld(t))
			res := (&Checker{Resolver: w.resolver()}).Check(context.Background(), Input{
				RemoteIP: net.ParseIP(outsideIP), Helo: "mx.sender.example", MailFrom: "alice@" + tt.from,
				FromDomain: tt.from, Message: strings.NewReader(plainMail),
			})
			t.Logf("%+v", res)
			wantVerdict(t, res, tt.want, false)
			if !strings.Contains(res.Reason, tt.wantReason) {
				t.Errorf("reason %q does not contain %q", res.Reason, tt.wantReason)
			}
		})
	}
}

func TestCheck_DMARCServfailIsTemporary(t *testing.T) {
	w := baseWorld(t).servfail("_dmarc." + fromDomain)
	res := check(t, w, mailCase{})
	wantVerdict(t, res, Unverified, true)
	if res.DMARC != "temperror (lookup at example.com failed)" {
		t.Errorf("DMARC summary %q, want temperror", res.DMARC)
	}
}

// A pass needs no policy: a temporary failure of the DMARC lookup does not
// hold back mail that is already authenticated.
func TestCheck_AlignedPassDespiteDMARCServfail(t *testing.T) {
	w := baseWorld(t).servfail("_dmarc." + fromDomain)
	wantVerdict(t, check(t, w, mailCase{msg: signed(t, fromDomain, "rsa")}), Pass, false)
}

func TestCheck_ReasonIsOneSafeLine(t *testing.T) {
	w := world{}.txt("_dmarc.example.com", "v=DMARC1; p=reject")
	res := (&Checker{Resolver: w.resolver()}).Check(context.Background(), Input{
		RemoteIP: net.ParseIP(outsideIP), MailFrom: "a@example.com",
		FromDomain: "example.com\r\n250 OK", Message: strings.NewReader(plainMail),
	})
	if strings.ContainsAny(res.Reason, "\r\n") {
		t.Fatalf("reason %q has a line break", res.Reason)
	}
}

func TestOrgDomain(t *testing.T) {
	for in, want := range map[string]string{
		"example.com":       "example.com",
		"Mail.Example.COM.": "example.com",
		"a.b.example.co.uk": "example.co.uk",
		"co.uk":             "co.uk",
		"user.github.io":    "user.github.io",
		"x.user.github.io":  "user.github.io",
	} {
		if got := orgDomain(in); got != want {
			t.Errorf("orgDomain(%q) = %q, want %q", in, got, want)
		}
	}
}
