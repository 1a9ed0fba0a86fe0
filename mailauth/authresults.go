package mailauth

import (
	"strings"

	"github.com/emersion/go-msgauth/authres"
)

// arHeader is one parsed Authentication-Results field.
type arHeader struct {
	authServ string
	infos    []resinfo
}

// resinfo is one "method=result …" clause with what go-msgauth drops: the
// raw properties (policy.dmarc=) and the comments ("(p=reject dis=none)").
type resinfo struct {
	result   authres.Result
	props    map[string]string
	comments []string
}

// parseAuthResults reads one Authentication-Results value. go-msgauth's
// parser splits on every ";" and whitespace and does not know RFC 5322
// comments, so comments are cut out here first and kept per clause.
// ok is false when the authserv-id cannot be read.
func parseAuthResults(v string) (h arHeader, ok bool) {
	clauses := splitClauses(v)
	id, _, err := authres.Parse(clauses[0].text)
	if err != nil || id == "" {
		return h, false
	}
	h.authServ = id
	for _, c := range clauses[1:] {
		text := strings.TrimSpace(c.text)
		if text == "" {
			continue
		}
		_, rs, err := authres.Parse(id + "; " + text)
		if err != nil || len(rs) != 1 {
			continue // a clause we cannot read is no evidence
		}
		h.infos = append(h.infos, resinfo{result: rs[0], props: properties(text), comments: c.comments})
	}
	return h, true
}

// clause is the text between two top-level semicolons, comments removed.
type clause struct {
	text     string
	comments []string
}

// splitClauses splits on ";" outside comments and quoted strings and moves
// comments (nested ones included) out of the text. Quoted strings lose their
// quotes, and their ";" and blanks become "_", because go-msgauth splits a
// clause on those; no value this package reads (a domain, an address, a
// policy) contains either.
func splitClauses(v string) []clause {
	var (
		out     []clause
		cur     clause
		text    strings.Builder
		comment strings.Builder
		depth   int
		quoted  bool
		escaped bool
	)
	for _, r := range v {
		switch {
		case escaped:
			escaped = false
			if depth > 0 {
				comment.WriteRune(r)
			} else {
				text.WriteRune(unquoted(r))
			}
		case r == '\\' && (quoted || depth > 0):
			escaped = true
		case depth > 0:
			switch r {
			case '(':
				depth++
				comment.WriteRune(r)
			case ')':
				depth--
				if depth == 0 {
					cur.comments = append(cur.comments, comment.String())
					comment.Reset()
					text.WriteByte(' ')
				} else {
					comment.WriteRune(r)
				}
			default:
				comment.WriteRune(r)
			}
		case r == '"':
			quoted = !quoted
		case quoted:
			text.WriteRune(unquoted(r))
		case r == '(':
			depth = 1
		case r == ';':
			cur.text = text.String()
			out = append(out, cur)
			cur, text = clause{}, strings.Builder{}
		default:
			text.WriteRune(r)
		}
	}
	cur.text = text.String()
	return append(out, cur)
}

func unquoted(r rune) rune {
	if r == ';' || r == ' ' || r == '\t' {
		return '_'
	}
	return r
}

// properties are the clause's "key=value" tokens, keys lowercased.
func properties(text string) map[string]string {
	props := make(map[string]string)
	for _, f := range strings.Fields(text) {
		if k, v, ok := strings.Cut(f, "="); ok {
			props[strings.ToLower(k)] = v
		}
	}
	return props
}

// dmarcPolicy is the policy an authenticating server reported with a DMARC
// result: the policy.dmarc property, else "p=" in a comment (OpenDMARC
// writes "dmarc=fail (p=reject dis=none)"). "" when it said neither.
func (ri resinfo) dmarcPolicy() string {
	if p := ri.props["policy.dmarc"]; p != "" {
		return strings.ToLower(p)
	}
	for _, c := range ri.comments {
		for _, f := range strings.Fields(c) {
			if k, v, ok := strings.Cut(f, "="); ok && strings.EqualFold(k, "p") {
				return strings.ToLower(v)
			}
		}
	}
	return ""
}
