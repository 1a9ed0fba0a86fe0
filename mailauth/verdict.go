package mailauth

import (
	"fmt"
	"strings"

	"blitiri.com.ar/go/spf"
	"github.com/emersion/go-msgauth/dmarc"
)

// decide applies DMARC to the DKIM and SPF outcomes: an aligned pass is
// Pass; otherwise a temporary lookup failure defers, an enforced policy
// fails, and anything else is Unverified.
func decide(from string, dk dkimOutcome, sp spfOutcome, pol policy) Result {
	from = normalizeDomain(from)
	res := Result{SPF: sp.summary, DKIM: dk.summary, DMARC: pol.summary()}
	for _, d := range dk.passed {
		if aligned(d, from, pol.dkimMode()) {
			res.Verdict = Pass
			res.Reason = fmt.Sprintf("DKIM signature of %s passed and is aligned with the From domain %s", safe(d), safe(from))
			return res.withDMARC(pol, "pass")
		}
	}
	if sp.result == spf.Pass && aligned(sp.domain, from, pol.spfMode()) {
		res.Verdict = Pass
		res.Reason = fmt.Sprintf("SPF passed for %s, aligned with the From domain %s", safe(sp.domain), safe(from))
		return res.withDMARC(pol, "pass")
	}
	if dk.temporary || sp.result == spf.TempError || pol.temporary {
		res.Verdict = Unverified
		res.Temporary = true
		res.Reason = fmt.Sprintf("could not authenticate mail from %s: a DNS lookup failed temporarily; try again later", safe(from))
		return res.withDMARC(pol, "temperror")
	}
	if pol.enforced() {
		res.Verdict = Fail
		verb := "rejects"
		if pol.effective == dmarc.PolicyQuarantine {
			verb = "quarantines"
		}
		res.Reason = fmt.Sprintf("DMARC policy of %s (%s=%s) %s mail that fails SPF and DKIM alignment; this mail from %s has neither",
			safe(pol.domain), pol.tag, pol.effective, verb, safe(from))
		return res.withDMARC(pol, "fail")
	}
	res.Verdict = Unverified
	if pol.record != nil {
		res.Reason = fmt.Sprintf("mail from %s passed neither DKIM nor SPF for that domain, and its DMARC policy (%s=%s) does not ask to refuse it",
			safe(from), pol.tag, pol.effective)
		return res.withDMARC(pol, "fail")
	}
	res.Reason = fmt.Sprintf("mail from %s passed neither DKIM nor SPF for that domain, and the domain publishes no DMARC policy", safe(from))
	return res
}

// summary is the DMARC record for the log before the outcome is known.
func (p policy) summary() string {
	switch {
	case p.temporary:
		return "temperror (lookup at " + p.domain + " failed)"
	case p.record == nil:
		return "none"
	}
	return fmt.Sprintf("%s=%s at %s", p.tag, p.effective, p.domain)
}

// withDMARC prefixes the DMARC summary with the outcome when a record
// applied ("fail (p=reject at example.com)").
func (r Result) withDMARC(p policy, outcome string) Result {
	if p.record != nil {
		r.DMARC = outcome + " (" + p.summary() + ")"
	}
	return r
}

// safe keeps a domain from the mail fit for an SMTP reply line: printable
// ASCII only, bounded length.
func safe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x21 || r > 0x7e {
			return -1
		}
		return r
	}, s)
	if len(s) > maxReasonDomain {
		s = s[:maxReasonDomain]
	}
	if s == "" {
		return "(none)"
	}
	return s
}
