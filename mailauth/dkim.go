package mailauth

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-msgauth/dkim"
)

// dkimOutcome is what the DKIM signatures of a mail showed.
type dkimOutcome struct {
	passed    []string // d= domains of valid signatures
	temporary bool     // a key lookup failed temporarily
	summary   string
}

// checkDKIM verifies up to MaxDKIMSignatures signatures. A signature whose
// x= expiry is before now fails even if the library's clock disagrees.
func checkDKIM(dns adapter, msg io.Reader, now time.Time) dkimOutcome {
	var out dkimOutcome
	if msg == nil {
		out.summary = "none"
		return out
	}
	verifs, err := dkim.VerifyWithOptions(msg, &dkim.VerifyOptions{
		LookupTXT:        dns.lookupTXT,
		MaxVerifications: MaxDKIMSignatures,
	})
	if err != nil && err != dkim.ErrTooManySignatures {
		out.summary = "permerror (" + err.Error() + ")"
		return out
	}
	var parts []string
	for _, v := range verifs {
		verr := v.Err
		if verr == nil && !v.Expiration.IsZero() && now.After(v.Expiration) {
			verr = fmt.Errorf("signature has expired")
		}
		switch {
		case verr == nil:
			out.passed = append(out.passed, v.Domain)
			parts = append(parts, "pass header.d="+v.Domain)
		case dkim.IsTempFail(verr):
			out.temporary = true
			parts = append(parts, "temperror header.d="+v.Domain)
		default:
			parts = append(parts, "fail header.d="+v.Domain+" ("+verr.Error()+")")
		}
	}
	if len(parts) == 0 {
		out.summary = "none"
	} else {
		out.summary = strings.Join(parts, ", ")
	}
	return out
}
