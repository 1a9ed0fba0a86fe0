package mailauth

import (
	"context"
	"net"
	"strings"
	"testing"
)

const trustedID = "mx.work.example"

// noDNS fails the test on any lookup: trusted mode must make none.
type noDNS struct{ t *testing.T }

func (r noDNS) LookupTXT(_ context.Context, name string) ([]string, error) {
	r.t.Errorf("trusted mode looked up TXT %s", name)
	return nil, &net.DNSError{Err: "no DNS in trusted mode", Name: name, IsNotFound: true}
}

func (r noDNS) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	r.t.Errorf("trusted mode looked up A %s", host)
	return nil, &net.DNSError{Err: "no DNS in trusted mode", Name: host, IsNotFound: true}
}

func (r noDNS) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	r.t.Errorf("trusted mode looked up MX %s", name)
	return nil, &net.DNSError{Err: "no DNS in trusted mode", Name: name, IsNotFound: true}
}

func (r noDNS) LookupAddr(_ context.Context, addr string) ([]string, error) {
	r.t.Errorf("trusted mode looked up PTR %s", addr)
	return nil, &net.DNSError{Err: "no DNS in trusted mode", Name: addr, IsNotFound: true}
}

// checkTrustedMail checks plainMail with header lines prepended, as the
// trusted MTA (and before it, the sender) wrote them.
func checkTrustedMail(t *testing.T, headerLines ...string) Result {
	t.Helper()
	msg := strings.Join(headerLines, "\r\n")
	if msg != "" {
		msg += "\r\n"
	}
	// The DNS world would make this mail pass on its own (SPF inside the
	// record): a verdict other than the headers' shows DNS was used.
	c := &Checker{Resolver: noDNS{t}, TrustedAuthServ: trustedID}
	return checkWith(t, c, mailCase{ip: insideIP, msg: msg + plainMail})
}

// mtaReceived is the trusted MTA's own trace field: Postfix puts it on top,
// and OpenDKIM and OpenDMARC insert their results right below it.
const mtaReceived = "Received: from mx.sender.example (mx.sender.example [192.0.2.10]) by mx.work.example (Postfix) with ESMTPS id 4Xyz; Mon, 30 Nov 2026 03:00:01 +0000"

// senderReceived is a trace field the mail already had when it arrived.
const senderReceived = "Received: from laptop (unknown [203.0.113.9]) by mx.sender.example with ESMTPSA; Mon, 30 Nov 2026 02:59:59 +0000"

func TestTrusted_Verdicts(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   Verdict
		temp   bool
	}{
		{"dmarc=pass", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dmarc=pass (p=reject dis=none) header.from=example.com",
			senderReceived}, Pass, false},
		{"OpenDMARC fail with p=reject comment", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dmarc=fail (p=reject dis=none) header.from=example.com",
			senderReceived}, Fail, false},
		{"fail with policy.dmarc=quarantine", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dmarc=fail policy.dmarc=quarantine header.from=example.com",
			senderReceived}, Fail, false},
		{"fail with p=none is unverified", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dmarc=fail (p=none dis=none) header.from=example.com",
			senderReceived}, Unverified, false},
		{"fail with p=none is not overruled by a relaxed dkim pass", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dkim=pass header.d=mail.example.com; dmarc=fail (p=none dis=none) header.from=example.com",
			senderReceived}, Unverified, false},
		{"dkim temperror is temporary", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dkim=temperror header.d=example.com",
			senderReceived}, Unverified, true},
		{"spf temperror is temporary", []string{mtaReceived,
			"Authentication-Results: mx.work.example; spf=temperror smtp.mailfrom=alice@example.com",
			senderReceived}, Unverified, true},
		{"dmarc for another From domain is ignored", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dmarc=pass (p=none dis=none) header.from=other.org",
			senderReceived}, Unverified, false},
		{"aligned dkim pass without a DMARC result", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dkim=pass (2048-bit key; unprotected) header.d=mail.example.com header.i=@mail.example.com header.b=\"abcd;efgh\"",
			senderReceived}, Pass, false},
		{"unaligned dkim pass", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dkim=pass header.d=other.org",
			senderReceived}, Unverified, false},
		{"aligned spf pass in the second field of the block", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dkim=none",
			"Authentication-Results: mx.work.example 1; spf=pass (sender SPF authorized) smtp.mailfrom=alice@example.com",
			senderReceived}, Pass, false},
		{"aligned spf pass for the HELO name of a null sender", []string{mtaReceived,
			"Authentication-Results: mx.work.example; spf=pass smtp.helo=mx.example.com",
			senderReceived}, Pass, false},
		{"unaligned spf pass", []string{mtaReceived,
			"Authentication-Results: mx.work.example; spf=pass smtp.mailfrom=list@other.org",
			senderReceived}, Unverified, false},
		{"dmarc=fail under p=reject wins over an aligned dkim pass", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dkim=pass header.d=example.com; dmarc=fail (p=reject) header.from=example.com",
			senderReceived}, Fail, false},
		{"dmarc temperror is temporary", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dmarc=temperror header.from=example.com",
			senderReceived}, Unverified, true},
		{"authserv-id compares case-insensitively", []string{mtaReceived,
			"Authentication-Results: MX.Work.Example; dmarc=pass header.from=example.com",
			senderReceived}, Pass, false},
		{"no Authentication-Results at all", []string{mtaReceived, senderReceived}, Unverified, false},
		{"folded over lines", []string{mtaReceived,
			"Authentication-Results: mx.work.example;\r\n\tdkim=pass (2048-bit key)\r\n\theader.d=example.com;\r\n  dmarc=pass (p=reject\r\n dis=none) header.from=example.com",
			senderReceived}, Pass, false},
		{"results at the very top (no Received above)", []string{
			"Authentication-Results: mx.work.example; dmarc=pass header.from=example.com",
			senderReceived}, Pass, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantVerdict(t, checkTrustedMail(t, tt.header...), tt.want, tt.temp)
		})
	}
}

func TestTrusted_FailReasonNamesDomainAndPolicy(t *testing.T) {
	res := checkTrustedMail(t, mtaReceived, "Authentication-Results: mx.work.example; dmarc=fail (p=reject dis=none) header.from=example.com")
	if !strings.Contains(res.Reason, "example.com") || !strings.Contains(res.Reason, "p=reject") {
		t.Fatalf("reason %q does not name the domain and the policy", res.Reason)
	}
}

// A sender can write any header; only what the MTA prepended counts.
func TestTrusted_IgnoresForgedResults(t *testing.T) {
	forged := "Authentication-Results: mx.work.example; dmarc=pass header.from=example.com"
	tests := []struct {
		name   string
		header []string
	}{
		{"right id below a header the MTA did not add", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dkim=none; spf=none smtp.mailfrom=alice@example.com",
			senderReceived, forged}},
		{"right id below the sender's Received", []string{mtaReceived, senderReceived, forged}},
		{"right id below a Received, under results at the very top", []string{
			"Authentication-Results: mx.work.example; dkim=none", senderReceived, forged}},
		{"right id below another header", []string{mtaReceived, "X-Mailer: forger 1.0", forged}},
		{"another authserv-id at the top", []string{mtaReceived,
			"Authentication-Results: mx.evil.example; dmarc=pass header.from=example.com"}},
		{"right id after another id in the top run", []string{mtaReceived,
			"Authentication-Results: mx.evil.example; dkim=none", forged}},
		{"id that only starts like the trusted one", []string{mtaReceived,
			"Authentication-Results: mx.work.example.evil; dmarc=pass header.from=example.com"}},
		{"pass inside a comment", []string{mtaReceived,
			"Authentication-Results: mx.work.example; dkim=none (dmarc=pass header.from=example.com)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantVerdict(t, checkTrustedMail(t, append(tt.header, senderReceived)...), Unverified, false)
		})
	}
}

func TestTrusted_ForgedFailBelowDoesNotOverrideTopPass(t *testing.T) {
	res := checkTrustedMail(t, mtaReceived,
		"Authentication-Results: mx.work.example; dmarc=pass header.from=example.com",
		senderReceived,
		"Authentication-Results: mx.work.example; dmarc=fail (p=reject) header.from=example.com")
	wantVerdict(t, res, Pass, false)
}

func TestSplitClauses(t *testing.T) {
	got := splitClauses(`mx.example (a; b (nested; x)) 1; dkim=pass header.d="example.com" header.b="x;y z" (ok\) still); spf=fail`)
	if len(got) != 3 {
		t.Fatalf("%d clauses, want 3: %#v", len(got), got)
	}
	if strings.Join(strings.Fields(got[0].text), " ") != "mx.example 1" {
		t.Errorf("clause 0 text %q", got[0].text)
	}
	if len(got[0].comments) != 1 || got[0].comments[0] != "a; b (nested; x)" {
		t.Errorf("clause 0 comments %q", got[0].comments)
	}
	if f := strings.Fields(got[1].text); strings.Join(f, " ") != "dkim=pass header.d=example.com header.b=x_y_z" {
		t.Errorf("clause 1 text %q", got[1].text)
	}
	if len(got[1].comments) != 1 || got[1].comments[0] != "ok) still" {
		t.Errorf("clause 1 comments %q", got[1].comments)
	}
}
