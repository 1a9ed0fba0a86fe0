package mailtext

import (
	"strings"
	"testing"
	"time"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs and line breaks", "<p>one</p><p>two<br>three</p>", "one\n\ntwo\nthree"},
		{"links keep their address", `<a href="https://example.com/x">the spec</a>`, "the spec ( https://example.com/x )"},
		{"script, style and head dropped", "<head><title>t</title><style>p{}</style></head><body>seen<script>hidden()</script></body>", "seen"},
		{"entities decoded", "<p>caf&eacute; &amp; &lt;tea&gt;</p>", "café & <tea>"},
		{"blockquote dropped", "<div>mine</div><blockquote type=\"cite\">theirs</blockquote>", "mine"},
		{"gmail quote dropped", `<div dir="ltr">mine</div><div class="gmail_quote"><div class="gmail_attr">On Mon wrote:</div><blockquote>theirs</blockquote></div>`, "mine"},
		{"gmail signature dropped", `<div>mine</div><span class="gmail_signature_prefix">-- </span><div class="gmail_signature">Bob, CEO</div>`, "mine"},
		{"thunderbird cite prefix dropped", `<p>mine</p><div class="moz-cite-prefix">On 04/03/2024 Alice wrote:</div><blockquote type="cite">theirs</blockquote>`, "mine"},
		{"outlook reply header and what follows dropped", `<div>mine</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> Alice</div><div>theirs</div>`, "mine"},
		{"yahoo quote dropped", `<div>mine</div><div class="yahoo_quoted">theirs</div>`, "mine"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLToText(tt.in); got != tt.want {
				t.Errorf("HTMLToText(%q)\n= %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// Deeply nested HTML must neither blow the stack nor take quadratic time.
func TestHTMLToText_DeepNestingIsCapped(t *testing.T) {
	for _, tag := range []string{"div", "b", "p", "table", "blockquote"} {
		in := strings.Repeat("<"+tag+">", 100_000) + "deep text" + strings.Repeat("</"+tag+">", 100_000)
		start := time.Now()
		out := HTMLToText(in)
		if d := time.Since(start); d > time.Minute { // well under a second here; generous for -race on a busy machine
			t.Errorf("%s: took %v", tag, d)
		}
		if tag != "blockquote" && !strings.Contains(out, "deep text") {
			t.Errorf("%s: text lost: %.100q", tag, out)
		}
	}
}

func TestCapHTMLDepth(t *testing.T) {
	in := strings.Repeat("<div>", maxHTMLDepth+5) + "x" + strings.Repeat("</div>", maxHTMLDepth+5)
	out := capHTMLDepth(in)
	if n := strings.Count(out, "<div>"); n != maxHTMLDepth {
		t.Fatalf("kept %d <div>, want %d", n, maxHTMLDepth)
	}
	if n := strings.Count(out, "</div>"); n != maxHTMLDepth {
		t.Fatalf("kept %d </div>, want %d", n, maxHTMLDepth)
	}
}
