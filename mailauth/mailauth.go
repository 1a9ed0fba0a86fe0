// Package mailauth decides whether an incoming mail really comes from the
// domain of its From address: DKIM, SPF and DMARC alignment, or — behind a
// trusted MTA — that MTA's Authentication-Results.
//
// The verdict has three values. Pass: a DKIM signature or the SPF check
// passed for a domain aligned with the From domain. Fail: the From domain
// publishes a DMARC policy of p=quarantine or p=reject (sp= for a subdomain
// without its own record) and nothing aligned passed; the mail must be
// refused. Unverified: anything else — no DMARC record, or p=none, and no
// aligned pass; the server posts it marked "unverified" (or refuses it with
// --smtp-strict).
//
// A DNS lookup that fails temporarily (SERVFAIL, timeout) never turns into
// Fail: when no aligned pass was found despite it, Result.Temporary is set
// and the server answers 4xx so the sending server retries later.
//
// The package imports nothing of workroom's, so it can be tested alone; every
// DNS lookup goes through Resolver.
package mailauth

import (
	"context"
	"io"
	"net"
	"time"
)

// Verdict is the outcome of sender authentication.
type Verdict string

const (
	Pass       Verdict = "pass"       // DKIM or SPF passed and aligned with the From domain
	Unverified Verdict = "unverified" // no DMARC policy and no aligned pass (posted, marked; refused with --smtp-strict)
	Fail       Verdict = "fail"       // DMARC fail under p=quarantine|reject: refuse
)

// Limits on the work one mail can cause.
const (
	// CheckTimeout bounds all DNS lookups of one Check; running out counts as
	// a temporary failure.
	CheckTimeout = 20 * time.Second
	// MaxDKIMSignatures is how many DKIM-Signature fields are verified; more
	// are ignored (each costs DNS lookups and a pass over the body).
	MaxDKIMSignatures = 5
	// MaxTrustedReceived is how many Received fields may sit above the
	// trusted MTA's Authentication-Results: its own, for the hop where its
	// milters ran (Postfix shows that field to milters, and OpenDKIM and
	// OpenDMARC insert below it). Relaying on to workroom adds none.
	MaxTrustedReceived = 1
	// MaxHeaderBytes bounds the header block read in trusted mode.
	MaxHeaderBytes = 1 << 20
	// maxReasonDomain bounds a domain quoted in a Reason (an SMTP reply line).
	maxReasonDomain = 253
)

// Input is what the SMTP server knows about one mail.
type Input struct {
	RemoteIP   net.IP
	Helo       string
	MailFrom   string    // envelope sender as given to MAIL FROM, without <>; "" for the null sender (then SPF checks Helo)
	FromDomain string    // domain of the single From address
	Message    io.Reader // the raw message as received (header + body), for DKIM and Authentication-Results
}

// Result is the verdict with what led to it.
type Result struct {
	Verdict Verdict
	// Reason is one sentence, safe to put in an SMTP reply (printable ASCII,
	// no line breaks): "DMARC policy of example.com (p=reject) rejects mail
	// that fails SPF and DKIM alignment".
	Reason           string
	SPF, DKIM, DMARC string // short summaries for the log
	// Temporary is true when a DNS lookup failed temporarily (or the
	// authenticating MTA reported temperror) and no aligned pass was found:
	// the verdict could change on retry. Verdict is then Unverified, never
	// Fail; the server should answer 451 4.7.0 (also without --smtp-strict)
	// so the sending server tries again.
	Temporary bool
}

// Checker checks mails. The zero value checks with the system's DNS. A
// Checker is not changed by Check, so one serves every SMTP session.
type Checker struct {
	Resolver        Resolver         // nil: net.DefaultResolver
	TrustedAuthServ string           // non-empty: trust only Authentication-Results with this authserv-id instead of checking
	Now             func() time.Time // nil: time.Now; a DKIM signature whose x= expiry is before Now fails
}

// Check judges one mail. It reads in.Message (possibly not to the end). In
// trusted mode it makes no DNS lookup at all.
//
// A mail with more than one From header field never passes (see oneFrom).
func (c *Checker) Check(ctx context.Context, in Input) Result {
	hdr, msg := readHeader(in.Message)
	if c.TrustedAuthServ != "" {
		return oneFrom(hdr, checkTrusted(c.TrustedAuthServ, hdr, in.FromDomain))
	}
	if in.FromDomain == "" {
		return Result{Verdict: Unverified, Reason: "the mail has no From domain to authenticate",
			SPF: "none", DKIM: "none", DMARC: "none"}
	}
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	dns := adapter{ctx: ctx, r: c.resolver()}
	dk := checkDKIM(dns, msg, c.now())
	sp := checkSPF(ctx, dns, in)
	pol := lookupPolicy(dns, in.FromDomain)
	return oneFrom(hdr, decide(in.FromDomain, dk, sp, pol))
}

func (c *Checker) resolver() Resolver {
	if c.Resolver == nil {
		return net.DefaultResolver
	}
	return c.Resolver
}

func (c *Checker) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}
