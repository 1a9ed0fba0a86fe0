package mailauth

import (
	"fmt"
	"strings"

	"github.com/emersion/go-message/textproto"
	"github.com/emersion/go-msgauth/authres"
)

// Behind a trusted MTA (--smtp-trusted-authserv ID) the verdict comes from
// the Authentication-Results fields that MTA added, with no DNS lookup. The
// rules, in order:
//
//  1. Only the topmost contiguous run of Authentication-Results fields whose
//     authserv-id equals ID (case-insensitively) counts. It must start
//     at the first header field or right below at most MaxTrustedReceived
//     Received fields (the MTA's own trace field: OpenDKIM and OpenDMARC
//     insert their results just below it), and the first field that is
//     anything else (another header, or an Authentication-Results with
//     another id or one that cannot be read) ends it. A sender can write any
//     header it likes below the ones the MTA prepends, so anything lower is
//     ignored, even with the right id.
//  2. DMARC results whose header.from is present and differs from the From
//     domain are ignored.
//  3. dmarc=fail with policy.dmarc=reject|quarantine, or with a comment
//     "(p=reject …)" / "(p=quarantine …)", is Fail.
//  4. dmarc=pass is Pass.
//  5. Any other dmarc=fail is Unverified: the MTA already judged alignment.
//  6. Otherwise (no DMARC result, dmarc=none, temperror, permerror): dkim=pass
//     whose header.d is aligned (relaxed) with the From domain, or spf=pass
//     whose smtp.mailfrom domain (smtp.helo for a null sender) is aligned,
//     is Pass.
//  7. Otherwise a temperror from dmarc, dkim or spf sets Temporary.
//  8. Otherwise Unverified.
//
// As in every mode, a mail with more than one From field never passes.
func checkTrusted(id string, hdr textproto.Header, from string) Result {
	ev := collect(trustedBlock(id, hdr), from)
	return ev.decide(id, normalizeDomain(from))
}

// trustedBlock returns the topmost contiguous Authentication-Results fields
// with the trusted authserv-id (rule 1).
func trustedBlock(id string, hdr textproto.Header) []arHeader {
	var block []arHeader
	received := 0
	for fields := hdr.Fields(); fields.Next(); {
		if len(block) == 0 && received < MaxTrustedReceived && strings.EqualFold(fields.Key(), "Received") {
			received++
			continue
		}
		if !strings.EqualFold(fields.Key(), "Authentication-Results") {
			break
		}
		h, ok := parseAuthResults(fields.Value())
		if !ok || !strings.EqualFold(h.authServ, id) {
			break
		}
		block = append(block, h)
	}
	return block
}

// evidence is what the trusted block says about the From domain.
type evidence struct {
	dmarcPass, dmarcFail bool
	failPolicy           string // reject or quarantine when dmarcFail enforces
	alignedPass          string // "DKIM of d" / "SPF of d" when one aligned
	temporary            bool
	dmarc, dkim, spf     []string
}

func collect(block []arHeader, from string) evidence {
	var ev evidence
	for _, h := range block {
		for _, ri := range h.infos {
			ev.add(ri, from)
		}
	}
	return ev
}

func (ev *evidence) add(ri resinfo, from string) {
	switch r := ri.result.(type) {
	case *authres.DMARCResult:
		if r.From != "" && normalizeDomain(r.From) != normalizeDomain(from) {
			return
		}
		ev.dmarc = append(ev.dmarc, string(r.Value)+" header.from="+r.From)
		switch r.Value {
		case authres.ResultPass:
			ev.dmarcPass = true
		case authres.ResultFail:
			ev.dmarcFail = true
			if p := ri.dmarcPolicy(); p == "reject" || p == "quarantine" {
				ev.failPolicy = p
			}
		case authres.ResultTempError:
			ev.temporary = true
		}
	case *authres.DKIMResult:
		ev.dkim = append(ev.dkim, string(r.Value)+" header.d="+r.Domain)
		if r.Value == authres.ResultPass && ev.alignedPass == "" && aligned(r.Domain, from, relaxed) {
			ev.alignedPass = "a DKIM signature of " + safe(r.Domain)
		}
		ev.temporary = ev.temporary || r.Value == authres.ResultTempError
	case *authres.SPFResult:
		domain := r.From
		if domain == "" {
			domain = r.Helo
		}
		domain = strings.Trim(domain, "<>")
		if at := strings.LastIndexByte(domain, '@'); at >= 0 {
			domain = domain[at+1:]
		}
		ev.spf = append(ev.spf, string(r.Value)+" smtp.mailfrom="+domain)
		if r.Value == authres.ResultPass && ev.alignedPass == "" && aligned(domain, from, relaxed) {
			ev.alignedPass = "SPF for " + safe(domain)
		}
		ev.temporary = ev.temporary || r.Value == authres.ResultTempError
	}
}

func (ev evidence) decide(id, from string) Result {
	res := Result{DMARC: summary(ev.dmarc), DKIM: summary(ev.dkim), SPF: summary(ev.spf)}
	switch {
	case ev.failPolicy != "":
		res.Verdict = Fail
		res.Reason = fmt.Sprintf("%s reports that mail from %s fails DMARC, whose policy is p=%s", safe(id), safe(from), ev.failPolicy)
	case ev.dmarcPass:
		res.Verdict = Pass
		res.Reason = fmt.Sprintf("%s reports that mail from %s passes DMARC", safe(id), safe(from))
	case ev.dmarcFail:
		res.Verdict = Unverified
		res.Reason = fmt.Sprintf("%s reports that mail from %s fails DMARC, whose policy does not ask to refuse it", safe(id), safe(from))
	case ev.alignedPass != "":
		res.Verdict = Pass
		res.Reason = fmt.Sprintf("%s reports a pass of %s, aligned with the From domain %s", safe(id), ev.alignedPass, safe(from))
	case ev.temporary:
		res.Verdict = Unverified
		res.Temporary = true
		res.Reason = fmt.Sprintf("%s could not authenticate mail from %s for now (temperror); try again later", safe(id), safe(from))
	default:
		res.Verdict = Unverified
		res.Reason = fmt.Sprintf("%s reports no DKIM or SPF pass aligned with the From domain %s", safe(id), safe(from))
	}
	return res
}

func summary(parts []string) string {
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
