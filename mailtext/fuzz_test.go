package mailtext

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzLimits are small so the fuzzer reaches every limit with short inputs.
var fuzzLimits = Limits{MaxDepth: 4, MaxParts: 20, MaxHeaderBytes: 2048, MaxTextBytes: 4096}

// FuzzParse: Parse never panics, refuses only with *Error, and what it
// accepts stays within its limits. Seeds: testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		attachments := 0
		m, err := Parse(bytes.NewReader(data), fuzzLimits, func(a Attachment, body io.Reader) error {
			attachments++
			_, err := io.Copy(io.Discard, body)
			return err
		})
		if err != nil {
			var me *Error
			if !errors.As(err, &me) || me.Rule == "" || me.Message == "" {
				t.Fatalf("error %v (%T) is not a *Error with a rule and a message", err, err)
			}
			if m != nil {
				t.Fatalf("message returned with error %v", err)
			}
			return
		}
		if m.stats.parts > fuzzLimits.MaxParts || attachments > fuzzLimits.MaxParts {
			t.Fatalf("%d parts, %d attachments accepted; limit %d", m.stats.parts, attachments, fuzzLimits.MaxParts)
		}
		if m.stats.maxDepth > fuzzLimits.MaxDepth {
			t.Fatalf("depth %d accepted; limit %d", m.stats.maxDepth, fuzzLimits.MaxDepth)
		}
		if m.stats.maxHeader > fuzzLimits.MaxHeaderBytes {
			t.Fatalf("header of %d bytes accepted; limit %d", m.stats.maxHeader, fuzzLimits.MaxHeaderBytes)
		}
		if len(m.Text) > fuzzLimits.MaxTextBytes {
			t.Fatalf("text of %d bytes kept; limit %d", len(m.Text), fuzzLimits.MaxTextBytes)
		}
		if !utf8.ValidString(m.Text) {
			t.Fatalf("text is not UTF-8: %q", m.Text)
		}
		_ = StripReply(m.Text)
		_ = SameSubject(m.Subject, "[room] subject")
		_ = Classify(m.Header, "a@example.com")
		_, _ = ParseDSN(bytes.NewReader(data))
	})
}

// FuzzStripReply: StripReply never panics and only removes whole lines: what
// it returns is a subsequence of the input's lines, without trailing blank
// lines. Seeds: testdata/fuzz/FuzzStripReply.
func FuzzStripReply(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string) {
		out := StripReply(text)
		if out == "" {
			return
		}
		if strings.HasSuffix(out, "\n") {
			t.Fatalf("trailing blank line kept: %q", out)
		}
		in := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
		i := 0
		for _, line := range strings.Split(out, "\n") {
			for i < len(in) && in[i] != line {
				i++
			}
			if i == len(in) {
				t.Fatalf("line %q of the result is not an input line in order\nin:  %q\nout: %q", line, text, out)
			}
			i++
		}
	})
}

// FuzzHTMLToText: the HTML of a mail never panics the converter, and the
// text it gives is UTF-8. Seeds: testdata/fuzz/FuzzHTMLToText.
func FuzzHTMLToText(f *testing.F) {
	f.Fuzz(func(t *testing.T, in string) {
		if out := HTMLToText(in); !utf8.ValidString(out) && utf8.ValidString(in) {
			t.Fatalf("HTMLToText(%q) = %q is not UTF-8", in, out)
		}
	})
}
