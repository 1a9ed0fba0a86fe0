package mailauth

import (
	"context"
	"strings"

	"blitiri.com.ar/go/spf"
)

// spfOutcome is the SPF result for the envelope sender's domain.
type spfOutcome struct {
	result  spf.Result
	domain  string // the domain checked: the MAIL FROM domain, or the HELO name for a null sender
	summary string
}

// checkSPF checks the envelope sender; a null sender (bounces) is checked
// for the HELO name, as RFC 7208 and DMARC both say.
func checkSPF(ctx context.Context, dns adapter, in Input) spfOutcome {
	domain := in.Helo
	if at := strings.LastIndexByte(in.MailFrom, '@'); at >= 0 {
		domain = in.MailFrom[at+1:]
	}
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	if in.RemoteIP == nil || domain == "" {
		return spfOutcome{result: spf.None, domain: domain, summary: "none"}
	}
	res, _ := spf.CheckHostWithSender(in.RemoteIP, in.Helo, in.MailFrom,
		spf.WithContext(ctx), spf.WithResolver(dns))
	return spfOutcome{result: res, domain: domain,
		summary: string(res) + " smtp.mailfrom=" + domain}
}
