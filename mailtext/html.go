package mailtext

import (
	"strings"

	"github.com/inbucket/html2text"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxHTMLDepth caps element nesting before the HTML is parsed: the parser
// and the converter walk the tree recursively, and a mail of nested <div>s
// would otherwise cost time and stack in proportion to its square.
const maxHTMLDepth = 200

// HTMLToText turns an HTML mail body into plain text: quoted blocks
// (<blockquote>, Gmail's gmail_quote, Thunderbird's moz-cite-prefix, Outlook's
// divRplyFwdMsg and what follows it, Yahoo and Proton quotes) and Gmail
// signatures are dropped first; links keep their address in parentheses,
// scripts and styles go.
func HTMLToText(s string) string {
	doc, err := html.Parse(strings.NewReader(capHTMLDepth(s)))
	if err != nil {
		return ""
	}
	prune(doc)
	out, err := html2text.FromHTMLNode(doc)
	if err != nil {
		return ""
	}
	return out
}

// prune removes the quoted parts of a reply.
func prune(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case isQuoteBlock(c):
			n.RemoveChild(c)
		case isOutlookReplyHeader(c):
			// Outlook puts the quoted mail after its header, as siblings.
			for s := c; s != nil; {
				after := s.NextSibling
				n.RemoveChild(s)
				s = after
			}
			return
		default:
			prune(c)
		}
		c = next
	}
}

func isQuoteBlock(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if n.DataAtom == atom.Blockquote {
		return true
	}
	for _, class := range strings.Fields(attr(n, "class")) {
		switch class {
		case "gmail_quote", "gmail_attr", "gmail_signature", "gmail_signature_prefix",
			"moz-cite-prefix", "moz-signature", "yahoo_quoted", "protonmail_quote":
			return true
		}
	}
	return false
}

func isOutlookReplyHeader(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch attr(n, "id") {
	case "divRplyFwdMsg", "appendonsend", "stopSpelling":
		return true
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// voidElements never have an end tag.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "param": true, "source": true, "track": true, "wbr": true,
	"keygen": true,
}

// selfClosing elements end the same element still open (<p>a<p>b).
var selfClosing = map[string]bool{
	"p": true, "li": true, "dt": true, "dd": true, "tr": true, "td": true, "th": true, "option": true,
}

// capHTMLDepth rewrites the HTML without the tags nested deeper than
// maxHTMLDepth; their text stays.
func capHTMLDepth(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	var stack []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken:
			if voidElements[tok.Data] {
				break
			}
			if selfClosing[tok.Data] && len(stack) > 0 && stack[len(stack)-1] == tok.Data {
				stack = stack[:len(stack)-1]
			}
			if len(stack) >= maxHTMLDepth {
				continue
			}
			stack = append(stack, tok.Data)
		case html.EndTagToken:
			i := len(stack) - 1
			for i >= 0 && stack[i] != tok.Data {
				i--
			}
			if i < 0 {
				continue
			}
			stack = stack[:i]
		}
		b.WriteString(tok.String())
	}
}
