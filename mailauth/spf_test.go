package mailauth

import (
	"strings"
	"testing"
)

func TestCheck_SPF(t *testing.T) {
	tests := []struct {
		name    string
		record  string // SPF record of example.com; "" publishes none
		ip      string
		dmarc   string
		wantSPF string
		want    Verdict
	}{
		{"pass inside the record", "v=spf1 ip4:192.0.2.0/24 -all", insideIP, "v=DMARC1; p=reject", "pass smtp.mailfrom=example.com", Pass},
		{"pass without a DMARC record", "v=spf1 ip4:192.0.2.0/24 -all", insideIP, "", "pass smtp.mailfrom=example.com", Pass},
		{"fail outside the record", "v=spf1 ip4:192.0.2.0/24 -all", outsideIP, "v=DMARC1; p=reject", "fail smtp.mailfrom=example.com", Fail},
		{"fail without a DMARC record", "v=spf1 ip4:192.0.2.0/24 -all", outsideIP, "", "fail smtp.mailfrom=example.com", Unverified},
		{"softfail outside the record", "v=spf1 ip4:192.0.2.0/24 ~all", outsideIP, "v=DMARC1; p=none", "softfail smtp.mailfrom=example.com", Unverified},
		{"softfail under p=reject", "v=spf1 ip4:192.0.2.0/24 ~all", outsideIP, "v=DMARC1; p=reject", "softfail smtp.mailfrom=example.com", Fail},
		{"no SPF record", "", insideIP, "v=DMARC1; p=none", "none smtp.mailfrom=example.com", Unverified},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := world{}
			if tt.record != "" {
				w.txt(fromDomain, tt.record)
			}
			if tt.dmarc != "" {
				w.txt("_dmarc."+fromDomain, tt.dmarc)
			}
			res := check(t, w, mailCase{ip: tt.ip})
			wantVerdict(t, res, tt.want, false)
			if res.SPF != tt.wantSPF {
				t.Errorf("SPF summary %q, want %q", res.SPF, tt.wantSPF)
			}
		})
	}
}

func TestCheck_SPFPassForUnalignedEnvelopeSender(t *testing.T) {
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject")
	res := check(t, w, mailCase{ip: insideIP, mailFrom: "list@other.org"})
	wantVerdict(t, res, Fail, false)
	if res.SPF != "pass smtp.mailfrom=other.org" {
		t.Errorf("SPF summary %q, want a pass for other.org", res.SPF)
	}
}

func TestCheck_SPFAlignmentRelaxedAndStrict(t *testing.T) {
	spfSub := func(dmarc string) world {
		return world{}.txt("bounce.example.com", "v=spf1 ip4:192.0.2.0/24 -all").txt("_dmarc."+fromDomain, dmarc)
	}
	m := mailCase{ip: insideIP, mailFrom: "b@bounce.example.com"}
	wantVerdict(t, check(t, spfSub("v=DMARC1; p=reject"), m), Pass, false)
	wantVerdict(t, check(t, spfSub("v=DMARC1; p=reject; aspf=s"), m), Fail, false)
}

func TestCheck_SPFNullSenderUsesHelo(t *testing.T) {
	w := world{}.txt("mx.sender.example", "v=spf1 ip4:192.0.2.0/24 -all")
	res := check(t, w, mailCase{ip: insideIP, mailFrom: "<>"})
	if !strings.HasPrefix(res.SPF, "pass smtp.mailfrom=mx.sender.example") {
		t.Errorf("SPF summary %q, want a HELO pass", res.SPF)
	}
}

func TestCheck_SPFServfailIsTemporary(t *testing.T) {
	w := world{}.servfail(fromDomain).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject")
	res := check(t, w, mailCase{ip: insideIP})
	wantVerdict(t, res, Unverified, true)
	if res.SPF != "temperror smtp.mailfrom=example.com" {
		t.Errorf("SPF summary %q, want temperror", res.SPF)
	}
}
