package tui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// textBox is the text being written in the composer: what was typed and
// pasted, the cursor, and the rows it wraps to in the box. It replaces
// bubbles' textarea there, which re-wrapped and re-styled every line and
// drew itself twice per key press (in Update for its viewport, again in
// View): in meeting mode, where every key is drawn, that was nearly half
// of the server's CPU per line (BenchmarkMeetingLine). The box wraps only
// the line a key changed and draws the rows shown once per change.
//
// It keeps the textarea's keys, word wrapping and look (the cursor a
// reversed cell, the line being written in the terminal's own colour, the
// others in the theme's text colour; TestTextBox_LooksLikeTheTextArea).
// The text is kept as grapheme clusters, so the cursor, backspace and
// wrapping never split an emoji or a letter from its accents.
type textBox struct {
	lines [][]cluster // the text's lines, at least one (empty)
	row   int         // the cursor: a line, and a cluster in it (or its end)
	col   int
	// goal is the column (cells) up and down keep to while the cursor
	// moves across rows of different lengths; -1 when it is the cursor's
	// own.
	goal    int
	width   int         // cells per row
	height  int         // rows shown
	top     int         // the first row shown
	focused bool        // the cursor shows; else the text is dimmed
	wraps   [][]rowSpan // each line's rows, nil until wrapped again

	text   string // the value, as last joined
	textOK bool
}

// cluster is one grapheme cluster of the text and the cells it takes.
type cluster struct {
	s string
	w int
}

// rowSpan is one row of a wrapped line: its clusters [start, end), and
// the cells they take with every space as one (spaces are drawn as " ").
// A line's last row also holds the cell after the text, where the cursor
// sits at the line's end, counted in width.
type rowSpan struct {
	start, end, width int
}

// tabSpaces is what a pasted tab becomes, as in the textarea.
const tabSpaces = "    "

// maxBoxLines is the most lines the box holds, as the textarea did; the
// line breaks beyond it are dropped (the textarea dropped the text after
// them too), so the text joins the last line. Characters are not limited
// here: the service refuses a message over its limit and says by how
// much.
const maxBoxLines = 10000

func newTextBox(width, height int) *textBox {
	return &textBox{lines: [][]cluster{nil}, goal: -1, width: max(width, 1), height: max(height, 1), wraps: make([][]rowSpan, 1)}
}

// setWidth wraps the text again for rows width cells wide.
func (b *textBox) setWidth(width int) {
	width = max(width, 1)
	if width == b.width {
		return
	}
	b.width = width
	clear(b.wraps)
	b.show()
}

// value is the text, lines joined by "\n".
func (b *textBox) value() string {
	if !b.textOK {
		var s strings.Builder
		for i, l := range b.lines {
			if i > 0 {
				s.WriteByte('\n')
			}
			for _, c := range l {
				s.WriteString(c.s)
			}
		}
		b.text, b.textOK = s.String(), true
	}
	return b.text
}

// empty reports whether the box holds no text at all.
func (b *textBox) empty() bool { return len(b.lines) == 1 && len(b.lines[0]) == 0 }

// blank reports whether the box holds nothing but spaces.
func (b *textBox) blank() bool {
	for _, l := range b.lines {
		for _, c := range l {
			if !isSpace(c) {
				return false
			}
		}
	}
	return true
}

// reset empties the box.
func (b *textBox) reset() {
	b.lines, b.wraps = [][]cluster{nil}, make([][]rowSpan, 1)
	b.row, b.col, b.goal, b.top = 0, 0, -1, 0
	b.changed()
}

// setValue replaces the text, with the cursor at its end.
func (b *textBox) setValue(s string) {
	b.reset()
	b.insert(s)
}

// changed notes that the text changed, so its value is joined again.
func (b *textBox) changed() { b.textOK = false }

// edited notes that line i changed: it is wrapped again when drawn.
func (b *textBox) edited(i int) {
	b.wraps[i] = nil
	b.changed()
}

// insert puts text at the cursor, as typed or pasted: a newline (or a
// carriage return, or both) starts a line, a tab is four spaces, other
// control characters are dropped.
func (b *textBox) insert(text string) {
	text = sanitize(text)
	if text == "" {
		return
	}
	parts := strings.Split(text, "\n")
	if room := maxBoxLines - len(b.lines) + 1; len(parts) > room {
		room = max(room, 1)
		parts = append(parts[:room-1], strings.Join(parts[room-1:], ""))
	}
	line := b.lines[b.row]
	tail := append([]cluster(nil), line[b.col:]...)
	head := line[:b.col]
	// A mark typed after a letter joins its cluster: the cluster before
	// the cursor is split again with what comes.
	var first []cluster
	if n := len(head); n > 0 {
		first = clustersOf(head[n-1].s + parts[0])
		head = head[:n-1]
	} else {
		first = clustersOf(parts[0])
	}
	if len(parts) == 1 {
		b.lines[b.row] = append(append(head, first...), tail...)
		b.col = len(head) + len(first)
		b.edited(b.row)
		b.goal = -1
		b.show()
		return
	}
	b.lines[b.row] = append(head, first...)
	b.edited(b.row)
	added := make([][]cluster, 0, len(parts)-1)
	for _, p := range parts[1:] {
		added = append(added, clustersOf(p))
	}
	last := len(added) - 1
	b.col = len(added[last])
	added[last] = append(added[last], tail...)
	b.lines = insertAt(b.lines, b.row+1, added...)
	b.wraps = insertAt(b.wraps, b.row+1, make([][]rowSpan, len(added))...)
	b.row += len(added)
	b.changed()
	b.goal = -1
	b.show()
}

// insertAt puts v into s before index i.
func insertAt[T any](s []T, i int, v ...T) []T {
	s = append(s, v...)
	copy(s[i+len(v):], s[i:len(s)-len(v)])
	copy(s[i:], v)
	return s
}

// sanitize turns text as it came from the terminal into text for the box.
func sanitize(text string) string {
	clean := true
	for _, r := range text {
		if r == utf8.RuneError || r == '\t' || r == '\r' || (r != '\n' && unicode.IsControl(r)) {
			clean = false
			break
		}
	}
	if clean {
		return text
	}
	var s strings.Builder
	prevCR := false
	for _, r := range text {
		switch {
		case r == '\n' && prevCR: // \r\n is one line break
		case r == '\r' || r == '\n':
			s.WriteByte('\n')
		case r == '\t':
			s.WriteString(tabSpaces)
		case r == utf8.RuneError || unicode.IsControl(r):
		default:
			s.WriteRune(r)
		}
		prevCR = r == '\r'
	}
	return s.String()
}

// clustersOf splits s into grapheme clusters.
func clustersOf(s string) []cluster {
	var out []cluster
	for s != "" {
		c, w := ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
		if c == "" { // not expected; never loop forever
			c, w = s[:1], 1
		}
		out = append(out, cluster{s: c, w: w})
		s = s[len(c):]
	}
	return out
}

// isSpace: a space of any kind, where a line may wrap.
func isSpace(c cluster) bool {
	r, n := utf8.DecodeRuneInString(c.s)
	return n == len(c.s) && unicode.IsSpace(r)
}

// wrap is the rows of line i, wrapped when it changed.
func (b *textBox) wrap(i int) []rowSpan {
	if b.wraps[i] == nil {
		b.wraps[i] = wrapLine(b.lines[i], b.width)
	}
	return b.wraps[i]
}

// wrapLine wraps a line at spaces into rows of width cells, the way the
// textarea does: a space stays at the end of the row before the break, a
// word longer than a row is cut, and the cell after the text (the
// cursor's at the end) goes on a row of its own when the last row is
// full.
func wrapLine(line []cluster, width int) []rowSpan {
	rows := []rowSpan{{}}
	cur := 0
	wordStart, wordW := 0, 0
	for i, c := range line {
		if isSpace(c) {
			if rows[cur].width+wordW+1 > width {
				rows = append(rows, rowSpan{start: wordStart})
				cur++
			}
			rows[cur].end, rows[cur].width = i+1, rows[cur].width+wordW+1
			wordStart, wordW = i+1, 0
			continue
		}
		wordW += c.w
		if wordW+c.w > width { // the textarea counts the last one twice
			if rows[cur].end > rows[cur].start {
				rows = append(rows, rowSpan{start: wordStart})
				cur++
			}
			rows[cur].end, rows[cur].width = i+1, rows[cur].width+wordW
			wordStart, wordW = i+1, 0
		}
	}
	if rows[cur].width+wordW >= width {
		rows = append(rows, rowSpan{start: wordStart})
		cur++
	}
	rows[cur].end, rows[cur].width = len(line), rows[cur].width+wordW+1
	return rows
}

// cursorRow is the cursor's row in its line's rows, and its cluster in
// that row: the row holding the cluster at the cursor, or the last row at
// the line's end.
func (b *textBox) cursorRow() (int, int) {
	rows := b.wrap(b.row)
	for i, r := range rows {
		if b.col < r.end || i == len(rows)-1 {
			return i, b.col - r.start
		}
	}
	return 0, 0
}

// rowsAbove counts the rows of the lines before line i.
func (b *textBox) rowsAbove(i int) int {
	n := 0
	for j := range i {
		n += len(b.wrap(j))
	}
	return n
}

// show scrolls so the cursor's row is in sight, as little as it can.
func (b *textBox) show() {
	r, _ := b.cursorRow()
	b.top = windowStart(b.top, b.rowsAbove(b.row)+r, b.height, b.rowsAbove(len(b.lines))+b.height)
}

// update applies a key or a paste; it reports whether anything changed
// (the text or the cursor).
func (b *textBox) update(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		b.insert(msg.Content)
		return true
	case tea.KeyPressMsg:
		if act, ok := textBoxKeys[msg.String()]; ok {
			act(b)
			b.show()
			return true
		}
		if msg.Text == "" {
			return false
		}
		b.insert(msg.Text)
		return true
	}
	return false
}

// textBoxKeys are the textarea's keys (bubbles' DefaultKeyMap), less its
// selection and clipboard, which would reach the server's clipboard and
// not the person's. Enter, alt+enter, tab and esc are the composer's.
var textBoxKeys = map[string]func(*textBox){}

func init() {
	bind := func(act func(*textBox), keys ...string) {
		for _, k := range keys {
			textBoxKeys[k] = act
		}
	}
	bind((*textBox).right, "right", "ctrl+f")
	bind((*textBox).left, "left", "ctrl+b")
	bind((*textBox).wordRight, "alt+right", "ctrl+right", "alt+f")
	bind((*textBox).wordLeft, "alt+left", "ctrl+left", "alt+b")
	bind(func(b *textBox) { b.vertical(1) }, "down", "ctrl+n")
	bind(func(b *textBox) { b.vertical(-1) }, "up", "ctrl+p")
	bind((*textBox).deleteWordLeft, "alt+backspace", "ctrl+w", "ctrl+backspace")
	bind((*textBox).deleteWordRight, "alt+delete", "alt+d", "ctrl+delete")
	bind((*textBox).deleteToEnd, "ctrl+k")
	bind((*textBox).deleteToStart, "ctrl+u")
	bind((*textBox).backspace, "backspace", "ctrl+h")
	bind((*textBox).deleteForward, "delete", "ctrl+d")
	bind(func(b *textBox) { b.moveTo(b.row, 0) }, "home", "ctrl+a")
	bind(func(b *textBox) { b.moveTo(b.row, len(b.lines[b.row])) }, "end", "ctrl+e")
	bind((*textBox).pageUp, "pgup")
	bind((*textBox).pageDown, "pgdown")
	bind(func(b *textBox) { b.moveTo(0, 0) }, "alt+<", "ctrl+home")
	bind(func(b *textBox) { n := len(b.lines) - 1; b.moveTo(n, len(b.lines[n])) }, "alt+>", "ctrl+end")
	bind(func(b *textBox) { b.mapWord(func(_ int, s string) string { return strings.ToUpper(s) }) }, "alt+u")
	bind(func(b *textBox) { b.mapWord(func(_ int, s string) string { return strings.ToLower(s) }) }, "alt+l")
	bind(func(b *textBox) { b.mapWord(capitalize) }, "alt+c")
	bind((*textBox).transpose, "ctrl+t")
}

// moveTo puts the cursor at a line and cluster, forgetting the column
// up and down aimed for.
func (b *textBox) moveTo(row, col int) {
	b.row, b.col, b.goal = row, col, -1
}

// cur is the cluster at the cursor.
func (b *textBox) cur() string { return b.lines[b.row][b.col].s }

func (b *textBox) right() {
	switch {
	case b.col < len(b.lines[b.row]):
		b.moveTo(b.row, b.col+1)
	case b.row < len(b.lines)-1:
		b.moveTo(b.row+1, 0)
	}
}

func (b *textBox) left() {
	switch {
	case b.col > 0:
		b.moveTo(b.row, b.col-1)
	case b.row > 0:
		b.moveTo(b.row-1, len(b.lines[b.row-1]))
	}
}

// spaceAt reports whether the cluster at (row, col) is a space; a line's
// end counts as one.
func (b *textBox) spaceAt(row, col int) bool {
	return col >= len(b.lines[row]) || isSpace(b.lines[row][col])
}

// wordRight moves past the spaces and then the word after the cursor.
func (b *textBox) wordRight() {
	for b.spaceAt(b.row, b.col) && !b.atEnd() {
		b.right()
	}
	for b.col < len(b.lines[b.row]) && !b.spaceAt(b.row, b.col) {
		b.moveTo(b.row, b.col+1)
	}
}

func (b *textBox) atEnd() bool { return b.row == len(b.lines)-1 && b.col == len(b.lines[b.row]) }

// wordLeft moves to the start of the word before the cursor.
func (b *textBox) wordLeft() {
	for {
		r, c := b.row, b.col
		switch {
		case b.col > 0:
			b.moveTo(b.row, b.col-1)
		case b.row > 0: // onto the last cluster of the line above
			b.moveTo(b.row-1, max(len(b.lines[b.row-1])-1, 0))
		}
		if b.row == r && b.col == c {
			return
		}
		if !b.spaceAt(b.row, b.col) {
			break
		}
	}
	for b.col > 0 && !b.spaceAt(b.row, b.col-1) {
		b.moveTo(b.row, b.col-1)
	}
}

// vertical moves the cursor n rows down (up when negative), keeping to
// the column it had when it started moving.
func (b *textBox) vertical(n int) {
	r, c := b.cursorRow()
	rows := b.wrap(b.row)
	if b.goal < 0 {
		b.goal = b.cellsBefore(b.row, rows[r].start, rows[r].start+c)
	}
	row, vr := b.row, r
	for ; n > 0; n-- {
		if vr+1 < len(b.wrap(row)) {
			vr++
		} else if row < len(b.lines)-1 {
			row, vr = row+1, 0
		}
	}
	for ; n < 0; n++ {
		if vr > 0 {
			vr--
		} else if row > 0 {
			row = row - 1
			vr = len(b.wrap(row)) - 1
		}
	}
	rows = b.wrap(row)
	span := rows[vr]
	last := max(span.end-1, span.start) // the row's last cluster; a line's last row ends after its text
	if vr == len(rows)-1 {
		last = span.end
	}
	col, x := span.start, 0
	for col < last && x < b.goal {
		x += cells(b.lines[row][col])
		col++
	}
	b.row, b.col = row, col
}

// cells is what a cluster takes on screen: a space of any kind is drawn
// as " ".
func cells(c cluster) int {
	if isSpace(c) {
		return 1
	}
	return c.w
}

// cellsBefore is the cells clusters [from, to) of a line take on screen.
func (b *textBox) cellsBefore(row, from, to int) int {
	x := 0
	for _, c := range b.lines[row][from:to] {
		x += cells(c)
	}
	return x
}

// pageUp moves to the first row in sight, or a page up from there.
func (b *textBox) pageUp() {
	r, _ := b.cursorRow()
	if at := b.rowsAbove(b.row) + r; at > b.top {
		b.vertical(b.top - at)
		return
	}
	b.vertical(-b.height)
}

// pageDown moves to the last row in sight, or a page down from there.
func (b *textBox) pageDown() {
	r, _ := b.cursorRow()
	if at := b.rowsAbove(b.row) + r; at < b.top+b.height-1 {
		b.vertical(b.top + b.height - 1 - at)
		return
	}
	b.vertical(b.height)
}

// joinNext joins the line after the cursor's to it.
func (b *textBox) joinNext() {
	if b.row >= len(b.lines)-1 {
		return
	}
	b.lines[b.row] = append(b.lines[b.row], b.lines[b.row+1]...)
	b.lines = append(b.lines[:b.row+1], b.lines[b.row+2:]...)
	b.wraps = append(b.wraps[:b.row+1], b.wraps[b.row+2:]...)
	b.edited(b.row)
}

// joinPrev joins the cursor's line to the one before, the cursor where
// they meet.
func (b *textBox) joinPrev() {
	if b.row == 0 {
		return
	}
	b.moveTo(b.row-1, len(b.lines[b.row-1]))
	b.joinNext()
}

// cut removes clusters [from, to) of the cursor's line and puts the
// cursor at from.
func (b *textBox) cut(from, to int) {
	l := b.lines[b.row]
	b.lines[b.row] = append(l[:from], l[to:]...)
	b.moveTo(b.row, from)
	b.edited(b.row)
}

func (b *textBox) backspace() {
	if b.col == 0 {
		b.joinPrev()
		return
	}
	b.cut(b.col-1, b.col)
}

func (b *textBox) deleteForward() {
	if b.col >= len(b.lines[b.row]) {
		b.joinNext()
		return
	}
	b.cut(b.col, b.col+1)
}

func (b *textBox) deleteToEnd() {
	if b.col >= len(b.lines[b.row]) {
		b.joinNext()
		return
	}
	b.cut(b.col, len(b.lines[b.row]))
}

func (b *textBox) deleteToStart() {
	if b.col == 0 {
		b.joinPrev()
		return
	}
	b.cut(0, b.col)
}

// deleteWordLeft removes the spaces before the cursor and the word
// before them.
func (b *textBox) deleteWordLeft() {
	if b.col == 0 {
		b.joinPrev()
		return
	}
	from := b.col
	for from > 0 && b.spaceAt(b.row, from-1) {
		from--
	}
	for from > 0 && !b.spaceAt(b.row, from-1) {
		from--
	}
	b.cut(from, b.col)
}

// deleteWordRight removes the spaces after the cursor and the word after
// them.
func (b *textBox) deleteWordRight() {
	n := len(b.lines[b.row])
	if b.col >= n {
		b.joinNext()
		return
	}
	to := b.col
	for to < n && b.spaceAt(b.row, to) {
		to++
	}
	for to < n && !b.spaceAt(b.row, to) {
		to++
	}
	b.cut(b.col, to)
}

// mapWord changes each cluster of the word after the cursor (its i-th)
// and moves past it.
func (b *textBox) mapWord(f func(i int, s string) string) {
	for b.spaceAt(b.row, b.col) && !b.atEnd() {
		b.right()
	}
	for i := 0; b.col < len(b.lines[b.row]) && !b.spaceAt(b.row, b.col); i++ {
		s := f(i, b.cur())
		b.lines[b.row][b.col] = cluster{s: s, w: ansi.StringWidth(s)}
		b.moveTo(b.row, b.col+1)
	}
	b.edited(b.row)
}

// capitalize is a word's i-th cluster with its first letter in title
// case.
func capitalize(i int, s string) string {
	if i > 0 {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToTitle(r)) + s[n:]
}

// transpose swaps the clusters before and at the cursor (before the
// cursor at a line's end) and moves on, as ctrl+t does in a shell.
func (b *textBox) transpose() {
	l := b.lines[b.row]
	if b.col == 0 || len(l) < 2 {
		return
	}
	c := min(b.col, len(l)-1)
	l[c-1], l[c] = l[c], l[c-1]
	b.moveTo(b.row, min(c+1, len(l)))
	b.edited(b.row)
}
