package command

// A command line arrives over SSH as one string: the client joins its
// words with spaces, after the client's own shell has removed the user's
// quotes. Splitting it again like a shell would (as the SSH library's
// Command does) eats apostrophes ("It's" becomes "Its"), swallows an
// unmatched quote and takes time quadratic in a long word. So the line is
// split here exactly once, at whitespace, with no quote processing at
// all, and each word keeps its place in the raw line: the free text of a
// command (see grammar.go) is then cut from the raw line byte for byte.

// Line is one command line as the client sent it, split into words.
type Line struct {
	raw   string
	words []word
}

// word is one word of a line: raw[start:end].
type word struct{ start, end int }

// ParseLine splits a raw command line at whitespace (space, tab, newline,
// carriage return, vertical tab, form feed), in one pass. Quotes and
// backslashes are ordinary characters.
func ParseLine(raw string) Line {
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

// span is the raw text from the start of word i to the end of word j,
// inclusive: the words and exactly the spacing between them.
func (l Line) span(i, j int) string { return l.raw[l.words[i].start:l.words[j].end] }

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
