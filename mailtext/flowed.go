package mailtext

import "strings"

// unflow joins the soft line breaks of a format=flowed text (RFC 3676), as
// Thunderbird sends it: a line ending in a space continues on the next line
// of the same quote depth. Space-stuffing is undone; quote markers stay (as
// "> ") so StripReply still sees the quote; the signature mark "-- " is
// never joined.
func unflow(s string, delSp bool) string {
	var out []string
	var cur strings.Builder
	open, openDepth := false, 0
	flush := func() {
		if open {
			out = append(out, cur.String())
			cur.Reset()
			open = false
		}
	}
	for _, line := range strings.Split(s, "\n") {
		depth := 0
		for depth < len(line) && line[depth] == '>' {
			depth++
		}
		content := strings.TrimPrefix(line[depth:], " ")
		if open && depth != openDepth {
			flush()
		}
		if !open {
			if depth > 0 {
				cur.WriteString(strings.Repeat(">", depth) + " ")
			}
			open, openDepth = true, depth
		}
		soft := strings.HasSuffix(content, " ") && content != "-- "
		if soft && delSp {
			content = content[:len(content)-1]
		}
		cur.WriteString(content)
		if !soft {
			flush()
		}
	}
	flush()
	return strings.Join(out, "\n")
}
