// Package termsafe makes text from other people safe to write to a
// terminal. Message bodies, names and titles may carry escape sequences
// (OSC 52 clipboard writes, screen clears, OSC 8 links), other control
// characters, or bidirectional overrides that reorder what is shown; all
// of them are replaced by visible, inert stand-ins, so a terminal only ever
// receives printable text from us.
package termsafe

import (
	"strings"
	"unicode/utf8"
)

// String returns s with every control character and bidi control replaced
// by a visible stand-in. Newlines are kept; tabs become spaces.
func String(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune('\uFFFD')
		case r == '\n':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteString("    ")
		case r < 0x20:
			// C0 controls become their caret form shown by a control
			// picture: ESC is "␛", BEL "␇", and so on.
			b.WriteRune(0x2400 + r)
		case r == 0x7f:
			b.WriteRune('␡')
		case r >= 0x80 && r < 0xa0:
			// C1 controls (CSI, OSC, ST as single code points).
			b.WriteRune('\uFFFD')
		case isBidiControl(r) || isInvisibleFormat(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Line is String for text shown on one line (names, titles, previews):
// newlines become the visible "⏎".
func Line(s string) string {
	return strings.ReplaceAll(String(s), "\n", "⏎")
}

// isClean reports the common case cheaply: nothing to replace.
func isClean(s string) bool {
	for _, r := range s {
		if r != '\n' && IsControl(r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// IsControl reports whether r is a character String never lets through
// as itself: a C0 or C1 control, DEL, a bidi control, or a line or
// paragraph separator. Other encoders of text from people (JSON output)
// escape exactly these.
func IsControl(r rune) bool {
	return r < 0x20 || r >= 0x7f && r < 0xa0 || isBidiControl(r) || isInvisibleFormat(r)
}

// isBidiControl reports the explicit directional formatting characters
// (embeddings, overrides, isolates and marks), which can make text read
// differently from what it is ("Trojan Source").
func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// isInvisibleFormat reports line and paragraph separators, which some
// terminals treat as line breaks and layout code does not.
func isInvisibleFormat(r rune) bool {
	return r == 0x2028 || r == 0x2029
}
