package mailauth

import (
	"strings"

	"github.com/emersion/go-msgauth/dmarc"
	"golang.org/x/net/publicsuffix"
)

// policy is the DMARC record that applies to a From domain, if any.
type policy struct {
	record    *dmarc.Record // nil: no usable record
	domain    string        // where the record was found
	effective dmarc.Policy  // p=, or sp= when found at the organizational domain
	tag       string        // "p" or "sp", for the Reason
	temporary bool          // a lookup failed temporarily
}

// lookupPolicy finds the record at _dmarc.<from>, else at the organizational
// domain (RFC 7489 §6.6.3), where sp= (if given) governs subdomains. A
// malformed record counts as none, as the RFC asks; pct= is ignored (the
// policy applies to every mail).
func lookupPolicy(dns adapter, from string) policy {
	from = normalizeDomain(from)
	rec, err := dmarc.LookupWithOptions(from, &dmarc.LookupOptions{LookupTXT: dns.lookupTXT})
	if dmarc.IsTempFail(err) {
		return policy{temporary: true, domain: from}
	}
	if err == nil {
		return policy{record: rec, domain: from, effective: rec.Policy, tag: "p"}
	}
	org := orgDomain(from)
	if org == from {
		return policy{}
	}
	rec, err = dmarc.LookupWithOptions(org, &dmarc.LookupOptions{LookupTXT: dns.lookupTXT})
	if dmarc.IsTempFail(err) {
		return policy{temporary: true, domain: org}
	}
	if err != nil {
		return policy{}
	}
	if rec.SubdomainPolicy != "" {
		return policy{record: rec, domain: org, effective: rec.SubdomainPolicy, tag: "sp"}
	}
	return policy{record: rec, domain: org, effective: rec.Policy, tag: "p"}
}

// enforced reports whether the policy asks receivers to refuse (or
// quarantine, which a workroom cannot do) mail without an aligned pass.
func (p policy) enforced() bool {
	return p.record != nil && (p.effective == dmarc.PolicyReject || p.effective == dmarc.PolicyQuarantine)
}

// dkimMode and spfMode are the record's adkim= and aspf= (relaxed without one).
func (p policy) dkimMode() dmarc.AlignmentMode {
	if p.record == nil {
		return relaxed
	}
	return p.record.DKIMAlignment
}

func (p policy) spfMode() dmarc.AlignmentMode {
	if p.record == nil {
		return relaxed
	}
	return p.record.SPFAlignment
}

// aligned reports whether an authenticated domain speaks for the From
// domain: the same name (strict), or the same organizational domain (relaxed).
func aligned(authDomain, fromDomain string, mode dmarc.AlignmentMode) bool {
	a, f := normalizeDomain(authDomain), normalizeDomain(fromDomain)
	if a == "" || f == "" {
		return false
	}
	if a == f {
		return true
	}
	return mode != dmarc.AlignmentStrict && orgDomain(a) == orgDomain(f)
}

// orgDomain is the registered domain under a public suffix
// ("mail.example.co.uk" → "example.co.uk"); a public suffix itself, or a
// name the list cannot place, is its own organizational domain.
func orgDomain(domain string) string {
	d := normalizeDomain(domain)
	org, err := publicsuffix.EffectiveTLDPlusOne(d)
	if err != nil {
		return d
	}
	return org
}

func normalizeDomain(d string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
}

// relaxed is go-msgauth's AlignmentRelaxed with its type (the constant is
// declared untyped there).
const relaxed = dmarc.AlignmentMode(dmarc.AlignmentRelaxed)
