// Package mailtext reads an incoming mail's bytes: it walks the MIME tree
// within fixed limits, streams attachments to the caller with the names the
// sender gave them, picks the body text (text/plain over HTML), and offers the
// helpers the mail transport needs to judge a reply: Classify for machine
// mail, StripReply for quotes and signatures, SameSubject for the reply's
// subject, ParseDSN for bounces.
//
// It imports nothing of the workroom module so it can be tested and fuzzed
// alone. Names are passed through unsanitized: the caller's file-name rules
// judge them.
package mailtext

// Defaults for the zero fields of Limits.
const (
	DefaultMaxDepth       = 10
	DefaultMaxParts       = 100
	DefaultMaxHeaderBytes = 64 << 10
	DefaultMaxTextBytes   = 1 << 20
)

// Limits bound what Parse will walk. Zero fields take the Default* constants.
type Limits struct {
	MaxDepth       int // multipart nesting (default 10)
	MaxParts       int // MIME parts in total, the message itself included (default 100)
	MaxHeaderBytes int // one part's header block (default 64 KiB)
	MaxTextBytes   int // decoded text kept for the body (default 1 MiB)
}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultMaxParts
	}
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if l.MaxTextBytes <= 0 {
		l.MaxTextBytes = DefaultMaxTextBytes
	}
	return l
}
