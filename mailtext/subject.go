package mailtext

import (
	"regexp"
	"strings"
)

// replyPrefixRe is one reply or forward prefix: Re, AW (German), Fwd, Fw,
// WG (German), SV/VS (Nordic), RV/TR (Spanish/French forwards), with an
// optional counter (Re[2]:, Re^2:), and the tags mail gateways add
// ([EXTERNAL]).
var replyPrefixRe = regexp.MustCompile(`(?i)^((re|aw|fwd|fw|wg|sv|vs|antw|rv|tr)\s*(\[\d+\]|\^\d+)?\s*[:：]|\[(external|ext)\]|external\s*:)\s*`)

// SameSubject reports whether a reply's subject is the subject it answers:
// any number of prefixes, encoded-words and folded whitespace aside, case
// ignored. Anything else changed is a different subject.
func SameSubject(got, want string) bool {
	return strings.EqualFold(baseSubject(got), baseSubject(want))
}

func baseSubject(s string) string {
	s = strings.Join(strings.Fields(decodeWords(s)), " ")
	for {
		t := replyPrefixRe.ReplaceAllString(s, "")
		if t == s {
			return s
		}
		s = t
	}
}
