package mailtext

import "fmt"

// Error is a mail that cannot be read. Rule is a short stable name the caller
// may log or test on; Message is a sentence for the sender, saying what is
// wrong and what to do instead.
type Error struct{ Rule, Message string }

func (e *Error) Error() string { return e.Message }

// The rules Parse and ParseDSN refuse a mail by.
const (
	RuleDepth          = "mime-depth"
	RuleParts          = "mime-parts"
	RuleHeaderSize     = "header-too-large"
	RuleTextSize       = "text-too-large"
	RuleNoBoundary     = "no-boundary"
	RuleBadMIME        = "bad-mime"
	RuleBadHeader      = "bad-header"
	RuleNULHeader      = "nul-in-header"
	RuleBadBase64      = "bad-base64"
	RuleBadQP          = "bad-quoted-printable"
	RuleBadEncoding    = "unknown-transfer-encoding"
	RuleBadFrom        = "bad-from"
	RuleBadContentType = "bad-content-type"
	RuleNotDSN         = "not-dsn"
)

func refuse(rule, format string, args ...any) *Error {
	return &Error{Rule: rule, Message: fmt.Sprintf(format, args...)}
}
