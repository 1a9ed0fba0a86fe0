// Package cmdline is an SSH command line as the client sent it: one
// string, split once into words that keep their places, so the command
// runner can cut free text from it byte for byte and the SSH server can
// route and log by its first words without a second split. It imports
// nothing of the server's, so both can use it.
package cmdline

import "strconv"

// A command line arrives over SSH as one string: the client joins its
// words with spaces, after the client's own shell has removed the user's
// quotes. Splitting it again like a shell would (as the SSH library's
// Command does) eats apostrophes ("It's" becomes "Its"), swallows an
// unmatched quote and takes time quadratic in a long word. So the line is
// split exactly once, at whitespace, with no quote processing at
// all, and each word keeps its place in the raw line: the free text of a
// command (the command package's grammar) is then cut from the raw line byte for byte.

// Line is one command line as the client sent it, split into words.
type Line struct {
	raw   string
	words []word
}

// word is one word of a line: raw[start:end].
type word struct{ start, end int }

// Parse splits a raw command line at whitespace (space, tab, newline,
// carriage return, vertical tab, form feed), in one pass. Quotes and
// backslashes are ordinary characters.
func Parse(raw string) Line {
	l := Line{raw: raw}
	start := -1
	for i := 0; i < len(raw); i++ {
		switch {
		case isSpace(raw[i]) && start >= 0:
			l.words = append(l.words, word{start, i})
			start = -1
		case !isSpace(raw[i]) && start < 0:
			start = i
		}
	}
	if start >= 0 {
		l.words = append(l.words, word{start, len(raw)})
	}
	return l
}

func isSpace(b byte) bool {
	switch b {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return true
	}
	return false
}

// Raw is the line exactly as the client sent it.
func (l Line) Raw() string { return l.raw }

// Len is the number of words.
func (l Line) Len() int { return len(l.words) }

// Word is the i-th word.
func (l Line) Word(i int) string { return l.raw[l.words[i].start:l.words[i].end] }

// Span is the raw text from the start of word i to the end of word j,
// inclusive: the words and exactly the spacing between them.
func (l Line) Span(i, j int) string { return l.raw[l.words[i].start:l.words[j].end] }

// maxLogName bounds a command's name in the log.
const maxLogName = 32

// LogName is how a command line is named in logs: its first word, cut
// short, since the rest (and an unknown first word) is the user's input,
// possibly someone's message text.
func LogName(l Line) string {
	if l.Len() == 0 {
		return ""
	}
	name := l.Word(0)
	if len(name) > maxLogName {
		return name[:maxLogName]
	}
	return name
}

// Decimal reads a number written in decimal digits only (leading zeros
// allowed: 010 is ten). Ids, --limit and --before are such numbers:
// strconv's base 0 would read 010 as octal 8 and accept 0x2, and a sign,
// an exponent or a space is no number a person means as an id. ok is
// false for anything else, or a number beyond uint64.
func Decimal(s string) (n uint64, ok bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}
