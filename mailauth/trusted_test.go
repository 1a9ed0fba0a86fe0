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

const received = "Received: from mx.sender.example (mx.sender.example [192.0.2.10]) by mx.work.example (Postfix) with ESMTPS id 4Xyz; Mon, 30 Nov 2026 03:00:01 +0000"

func TestTrusted_Verdicts(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   Verdict
		temp   bool
	}{
		{"dmarc=pass", []string{
			"Authentication-Results: mx.work.example; dmarc=pass (p=reject dis=none) header.from=example.com",
			received}, Pass, false},
		{"OpenDMARC fail with p=reject comment", []string{
			"Authentication-Results: mx.work.example; dmarc=fail (p=reject dis=none) header.from=example.com",
			received}, Fail, false},
		{"fail with policy.dmarc=quarantine", []string{
			"Authentication-Results: mx.work.example; dmarc=fail policy.dmarc=quarantine header.from=example.com",
			received}, Fail, false},
		{"fail with p=none is unverified", []string{
			"Authentication-Results: mx.work.example; dmarc=fail (p=none dis=none) header.from=example.com",
			received}, Unverified, false},
		{"fail with p=none is not overruled by a relaxed dkim pass", []string{
			"Authentication-Results: mx.work.example; dkim=pass header.d=mail.example.com; dmarc=fail (p=none dis=none) header.from=example.com",
			received}, Unverified, false},
		{"dkim temperror is temporary", []string{
			"Authentication-Results: mx.work.example; dkim=temperror header.d=example.com",
			received}, Unverified, true},
		{"spf temperror is temporary", []string{
			"Authentication-Results: mx.work.example; spf=temperror smtp.mailfrom=alice@example.com",
			received}, Unverified, true},
		{"dmarc for another From domain is ignored", []string{
			"Authentication-Results: mx.work.example; dmarc=pass (p=none dis=none) header.from=other.org",
			received}, Unverified, false},
		{"aligned dkim pass without a DMARC result", []string{
			"Authentication-Results: mx.work.example; dkim=pass (2048-bit key; unprotected) header.d=mail.example.com header.i=@mail.example.com header.b=\"abcd;efgh\"",
			received}, Pass, false},
		{"unaligned dkim pass", []string{
			"Authentication-Results: mx.work.example; dkim=pass header.d=other.org",
			received}, Unverified, false},
		{"aligned spf pass in the second field of the block", []string{
			"Authentication-Results: mx.work.example; dkim=none",
			"Authentication-Results: mx.work.example 1; spf=pass (sender SPF authorized) smtp.mailfrom=alice@example.com",
			received}, Pass, false},
		{"aligned spf pass for the HELO name of a null sender", []string{
			"Authentication-Results: mx.work.example; spf=pass smtp.helo=mx.example.com",
			received}, Pass, false},
		{"unaligned spf pass", []string{
			"Authentication-Results: mx.work.example; spf=pass smtp.mailfrom=list@other.org",
			received}, Unverified, false},
		{"dmarc=fail under p=reject wins over an aligned dkim pass", []string{
			"Authentication-Results: mx.work.example; dkim=pass header.d=example.com; dmarc=fail (p=reject) header.from=example.com",
			received}, Fail, false},
		{"dmarc temperror is temporary", []string{
			"Authentication-Results: mx.work.example; dmarc=temperror header.from=example.com",
			received}, Unverified, true},
		{"authserv-id compares case-insensitively", []string{
			"Authentication-Results: MX.Work.Example; dmarc=pass header.from=example.com",
			received}, Pass, false},
		{"no Authentication-Results at all", []string{received}, Unverified, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantVerdict(t, checkTrustedMail(t, tt.header...), tt.want, tt.temp)
		})
	}
}

func TestTrusted_FailReasonNamesDomainAndPolicy(t *testing.T) {
	res := checkTrustedMail(t, "Authentication-Results: mx.work.example; dmarc=fail (p=reject dis=none) header.from=example.com")
	if !strings.Contains(res.Reason, "example.com") || !strings.Contains(res.Reason, "p=reject") {
		t.Fatalf("reason %q does not name the domain and the policy", res.Reason)
	}
}

// A sender can write any header; only what the MTA prepended counts.
func TestTrusted_IgnoresForgedResults(t *testing.T) {
	tests := []struct {
		name   string
		header []string
	}{
		{"right id below a header the MTA did not add", []string{
			"Authentication-Results: mx.work.example; dkim=none; spf=none smtp.mailfrom=alice@example.com",
			received,
			"Authentication-Results: mx.work.example; dmarc=pass header.from=example.com"}},
		{"right id, but not at the top", []string{
			received,
			"Authentication-Results: mx.work.example; dmarc=pass header.from=example.com"}},
		{"another authserv-id at the top", []string{
			"Authentication-Results: mx.evil.example; dmarc=pass header.from=example.com",
			received}},
		{"right id after another id in the top run", []string{
			"Authentication-Results: mx.evil.example; dkim=none",
			"Authentication-Results: mx.work.example; dmarc=pass header.from=example.com",
			received}},
		{"id that only starts like the trusted one", []string{
			"Authentication-Results: mx.work.example.evil; dmarc=pass header.from=example.com",
			received}},
		{"pass inside a comment", []string{
			"Authentication-Results: mx.work.example; dkim=none (dmarc=pass header.from=example.com)",
			received}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantVerdict(t, checkTrustedMail(t, tt.header...), Unverified, false)
		})
	}
}

func TestTrusted_ForgedFailBelowDoesNotOverrideTopPass(t *testing.T) {
	res := checkTrustedMail(t,
		"Authentication-Results: mx.work.example; dmarc=pass header.from=example.com",
		received,
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
