package cmdline

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzParse checks what the command runner and the SSH server rely on:
// words are non-empty, hold no whitespace, come in order without
// overlapping, every non-space byte of the line is in exactly one word,
// and a span between two words is the raw text between them.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", " ", "post 1 It's done", "post\t1\n\nline two", "\x00\xff \r\n",
		"messages 1 --limit 010", "a  b   c", strings.Repeat("x ", 100),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		l := Parse(raw)
		if l.Raw() != raw {
			t.Fatalf("Raw() = %q, want the line unchanged", l.Raw())
		}
		covered := 0
		last := -1
		for i := 0; i < l.Len(); i++ {
			w := l.words[i]
			if w.start <= last || w.end <= w.start {
				t.Fatalf("word %d at [%d,%d) after %d: out of order or empty", i, w.start, w.end, last)
			}
			last = w.end - 1
			for j := w.start; j < w.end; j++ {
				if isSpace(raw[j]) {
					t.Fatalf("word %d %q holds whitespace", i, l.Word(i))
				}
			}
			covered += w.end - w.start
			if l.Span(0, i) != raw[l.words[0].start:w.end] {
				t.Fatalf("Span(0, %d) is not the raw text", i)
			}
		}
		nonSpace := 0
		for j := 0; j < len(raw); j++ {
			if !isSpace(raw[j]) {
				nonSpace++
			}
		}
		if covered != nonSpace {
			t.Fatalf("words cover %d bytes, the line has %d non-space bytes", covered, nonSpace)
		}
		if n := len(LogName(l)); n > maxLogName {
			t.Fatalf("LogName is %d bytes, limit %d", n, maxLogName)
		}
	})
}

// FuzzDecimal checks that only plain decimal digits are numbers, and that
// what is read prints back the same apart from leading zeros.
func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"0", "010", "0x2", "-1", "+1", "1e3", "18446744073709551615", "18446744073709551616", " 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := Decimal(s)
		if !ok {
			return
		}
		if strings.Trim(s, "0123456789") != "" {
			t.Fatalf("Decimal(%q) accepted a non-digit", s)
		}
		trimmed := strings.TrimLeft(s, "0")
		if trimmed == "" {
			trimmed = "0"
		}
		if strconv.FormatUint(n, 10) != trimmed {
			t.Fatalf("Decimal(%q) = %d", s, n)
		}
	})
}
