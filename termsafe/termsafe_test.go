package termsafe_test

import (
	"strings"
	"testing"

	"github.com/workroom/workroom/termsafe"
)

func TestString_RendersControlSequencesInert(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text untouched", "hello, wörld 👋", "hello, wörld 👋"},
		{"newline kept", "a\nb", "a\nb"},
		{"tab expanded", "a\tb", "a    b"},
		{"OSC 52 clipboard write", "\x1b]52;c;ZXZpbA==\x07", "␛]52;c;ZXZpbA==␇"},
		{"clear screen", "\x1b[2J", "␛[2J"},
		{"OSC 8 hyperlink", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "␛]8;;http://evil␛\\click␛]8;;␛\\"},
		{"C1 CSI", "a\u009b2Jb", "a\uFFFD2Jb"},
		{"bidi override", "abc\u202edcb", "abc\uFFFDdcb"},
		{"bidi isolate", "x\u2066y\u2069", "x\uFFFDy\uFFFD"},
		{"carriage return", "safe\rEVIL", "safe␍EVIL"},
		{"delete", "a\x7fb", "a␡b"},
		{"invalid utf-8", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := termsafe.String(tt.in)
			if got != tt.want {
				t.Fatalf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if strings.ContainsAny(got, "\x1b\x07\r\u009b\u202e") {
				t.Fatalf("String(%q) = %q still holds a control character", tt.in, got)
			}
		})
	}
}

func TestLine_FoldsNewlines(t *testing.T) {
	if got := termsafe.Line("a\nb\x1b"); got != "a⏎b␛" {
		t.Fatalf("Line = %q", got)
	}
}

func TestIsControl_MatchesWhatStringReplaces(t *testing.T) {
	for _, r := range []rune{0x00, 0x1b, 0x7f, 0x85, 0x9b, 0x200e, 0x200f, 0x061c, 0x202a, 0x202e, 0x2066, 0x2069, 0x2028, 0x2029} {
		if !termsafe.IsControl(r) {
			t.Errorf("IsControl(%U) = false", r)
		}
		if got := termsafe.String(string(r)); got == string(r) {
			t.Errorf("String keeps %U, which IsControl reports", r)
		}
	}
	for _, r := range []rune{' ', 'a', 0xa0, 0xe9, 0x2400, 0xfffd, 0x1f44b} {
		if termsafe.IsControl(r) {
			t.Errorf("IsControl(%U) = true for a printable character", r)
		}
	}
}
