package command

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/workroom/workroom/termsafe"
)

// Display. Text that people wrote — names, titles, descriptions, proposal
// text, bodies, addresses, and the user's own input quoted back — reaches a
// terminal only through the functions of this file: line and block for
// plain text, table for columns (which passes every cell through line),
// and jsonSafe for --json (applied by emit to every document). Nothing else
// in this package uses termsafe, so a new command has one obvious way to
// print someone's text.

// line is text shown on one line (a name, a title, an address), made
// inert: control sequences become visible stand-ins and newlines "⏎".
func line(s string) string { return termsafe.Line(s) }

// block is free text of many lines (a body, a proposal), made inert and
// indented under its header line.
func block(s string) string { return indent(termsafe.String(s)) }

// table aligns columns by the cells a terminal gives each character (an
// emoji or a CJK character takes two, a combining mark none), not by
// counting characters, so a wide name cannot push its row out of line.
// Every cell passes through line, so no cell can carry a control
// sequence, shift a column or break its row.
type table struct {
	w    io.Writer
	rows [][]string
}

// columnGap is the space between columns.
const columnGap = 2

// newTable starts a table on w, with a header row when header is given.
func newTable(w io.Writer, header ...string) *table {
	t := &table{w: w}
	if len(header) > 0 {
		t.row(anys(header)...)
	}
	return t
}

// row adds one row; each cell is printed as fmt.Sprint prints it.
func (t *table) row(cells ...any) {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = line(fmt.Sprint(c))
	}
	t.rows = append(t.rows, out)
}

// flush writes the aligned table: each column as wide as its widest cell
// plus the gap; the last cell of a row is not padded.
func (t *table) flush() error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+columnGap))
			}
		}
		b.WriteByte('\n')
	}
	t.rows = nil
	_, err := io.WriteString(t.w, b.String())
	return err
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// jsonSafe escapes, in an encoded JSON document, every character termsafe
// would replace that encoding/json leaves raw — C1 controls, DEL, bidi
// controls — as a \uXXXX sequence. The document decodes to the same
// values; only the bytes on the wire change, so a script that prints a
// field without decoding cannot hand a terminal a CSI or reverse a line.
// encoding/json already escapes C0 controls and U+2028/U+2029 inside
// strings; the raw newlines left are the document's own indentation.
func jsonSafe(doc []byte) []byte {
	var b []byte
	for i := 0; i < len(doc); {
		r, size := utf8.DecodeRune(doc[i:])
		if r >= 0x7f && termsafe.IsControl(r) {
			if b == nil {
				b = append(make([]byte, 0, len(doc)+16), doc[:i]...)
			}
			b = fmt.Appendf(b, `\u%04x`, r)
		} else if b != nil {
			b = append(b, doc[i:i+size]...)
		}
		i += size
	}
	if b == nil {
		return doc
	}
	return b
}
