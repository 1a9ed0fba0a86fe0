package cmdline

import (
	"strings"
	"testing"
)

func TestParse_SplitsAtWhitespaceOnlyAndKeepsPlaces(t *testing.T) {
	l := Parse("  post\t1  It's \"done\"\n ")
	var words []string
	for i := range l.Len() {
		words = append(words, l.Word(i))
	}
	if strings.Join(words, "|") != `post|1|It's|"done"` {
		t.Fatalf("words = %q", words)
	}
	if got := l.Span(2, 3); got != `It's "done"` {
		t.Errorf("span = %q", got)
	}
	if l.Raw() != "  post\t1  It's \"done\"\n " {
		t.Errorf("raw = %q", l.Raw())
	}
}

func TestDecimal_DigitsOnly(t *testing.T) {
	for s, want := range map[string]bool{"42": true, "010": true, "0x2": false, "+3": false, "-1": false, "1e3": false, "": false, "1_000": false, "99999999999999999999": false} {
		if _, ok := Decimal(s); ok != want {
			t.Errorf("Decimal(%q) ok = %v, want %v", s, ok, want)
		}
	}
	if n, _ := Decimal("010"); n != 10 {
		t.Errorf("Decimal(010) = %d, want ten", n)
	}
}
