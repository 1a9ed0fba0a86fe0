package tui

import (
	"context"
	"io"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/workroom/workroom"
)

// The gallery shows a room's files as a grid of cards, folder by folder:
// each card the latest version, drawn as a thumbnail when it is a PNG,
// JPEG or GIF (thumbnail.go), else named by its kind ("PDF", "ZIP
// archive"), with its name, version and size. Thumbnails are drawn by
// commands for the cards in view only, and kept.

// Card geometry: the thumbnail, a name line and a details line, in a
// border, with a gap between cards.
const (
	cardWidth  = thumbCols + 2
	cardHeight = thumbRows + 2 + 2
	cardGap    = 1
)

type galleryState struct {
	cards  []int        // indices in area.files, in the order drawn
	segs   []gallerySeg // the grid: folder headings and rows of cards
	cursor int          // the selected card (index in cards)
	offset int          // the first segment shown

	thumbs  map[thumbKey]thumb // drawn for this pane
	pending map[thumbKey]bool  // being drawn
}

// gallerySeg is a folder's heading, or one row of cards.
type gallerySeg struct {
	header   bool
	folder   string
	first, n int // the row's cards: cards[first:first+n]
}

func (s gallerySeg) lines() int {
	if s.header {
		return 1
	}
	return cardHeight
}

// thumbDrawnMsg brings a drawn thumbnail.
type thumbDrawnMsg struct {
	key thumbKey
	th  thumb
}

// layout arranges the area's files in rows that fit width.
func (g *galleryState) layout(a *fileArea, width int) {
	if a == nil {
		return
	}
	var sel = -1
	if i, ok := g.selected(); ok {
		sel = i
	}
	perRow := max((width-1+cardGap)/(cardWidth+cardGap), 1)
	g.cards, g.segs = g.cards[:0], g.segs[:0]
	for _, folder := range a.folders {
		files := a.byFolder(folder)
		if len(files) == 0 {
			continue
		}
		g.segs = append(g.segs, gallerySeg{header: true, folder: folder})
		for len(files) > 0 {
			n := min(perRow, len(files))
			g.segs = append(g.segs, gallerySeg{folder: folder, first: len(g.cards), n: n})
			g.cards = append(g.cards, files[:n]...)
			files = files[n:]
		}
	}
	if sel >= 0 {
		g.selectFile(sel)
	}
	g.cursor = min(g.cursor, max(len(g.cards)-1, 0))
}

// selected is the file the selected card shows.
func (g *galleryState) selected() (int, bool) {
	if g.cursor >= len(g.cards) {
		return 0, false
	}
	return g.cards[g.cursor], true
}

// selectFile selects the card of file i.
func (g *galleryState) selectFile(i int) {
	for p, f := range g.cards {
		if f == i {
			g.cursor = p
		}
	}
}

// seg is the segment holding card position p.
func (g *galleryState) seg(p int) int {
	for s, x := range g.segs {
		if !x.header && p >= x.first && p < x.first+x.n {
			return s
		}
	}
	return 0
}

// vertical moves the selection by rows of cards, keeping its column.
func (g *galleryState) vertical(d int) {
	if len(g.cards) == 0 {
		return
	}
	s := g.seg(g.cursor)
	col := g.cursor - g.segs[s].first
	for step := 1; d != 0; {
		if d < 0 {
			step = -1
		}
		t := s + step
		for t >= 0 && t < len(g.segs) && g.segs[t].header {
			t += step
		}
		if t < 0 || t >= len(g.segs) {
			break
		}
		s, d = t, d-step
	}
	g.cursor = g.segs[s].first + min(col, g.segs[s].n-1)
}

func (g *galleryState) move(d int) {
	g.cursor = max(min(g.cursor+d, len(g.cards)-1), 0)
}

// scroll keeps the selected card, and its folder's heading when it fits,
// in rows lines.
func (g *galleryState) scroll(rows int) {
	if len(g.segs) == 0 {
		g.offset = 0
		return
	}
	s := g.seg(g.cursor)
	if s-1 >= 0 && g.segs[s-1].header {
		s--
	}
	g.offset = min(g.offset, s)
	for g.offset < s && g.linesBetween(g.offset, g.seg(g.cursor)) > rows {
		g.offset++
	}
}

func (g *galleryState) linesBetween(from, to int) int {
	n := 0
	for s := from; s <= to && s < len(g.segs); s++ {
		n += g.segs[s].lines()
	}
	return n
}

// visible are the segments shown in rows lines.
func (g *galleryState) visible(rows int) []gallerySeg {
	var out []gallerySeg
	for s, n := g.offset, 0; s < len(g.segs) && n < rows; s++ {
		out = append(out, g.segs[s])
		n += g.segs[s].lines()
	}
	return out
}

func (g *galleryState) view(st *styles, a *fileArea, width, rows int) string {
	if len(g.cards) == 0 {
		return st.Subtle.Render("  No files yet.")
	}
	var b strings.Builder
	for i, s := range g.visible(rows) {
		if i > 0 {
			b.WriteByte('\n')
		}
		if s.header {
			b.WriteString(st.Title.Render(" " + folderLabel(s.folder)))
			continue
		}
		cards := make([]string, 0, s.n*2)
		for p := s.first; p < s.first+s.n; p++ {
			cards = append(cards, g.card(st, &a.files[g.cards[p]], p == g.cursor), strings.Repeat(" ", cardGap))
		}
		b.WriteString(lipgloss.JoinHorizontal(lipgloss.Top, append([]string{" "}, cards...)...))
	}
	return b.String()
}

// card draws one file: its picture or kind, its name, its version and size.
func (g *galleryState) card(st *styles, f *workroom.File, selected bool) string {
	v := f.Latest()
	frame := st.PaneBlurred
	if selected {
		frame = st.Pane
	}
	var pic []string
	switch th, drawn := g.thumbs[thumbKeyOf(v)]; {
	case drawable(f.Name()) && drawn && th.art != "":
		pic = strings.Split(th.art, "\n")
	case drawable(f.Name()) && drawn:
		pic = []string{"", st.Title.Render(fileKind(f.Name())), st.Faint.Render(th.note)}
	case drawable(f.Name()):
		pic = []string{"", st.Title.Render(fileKind(f.Name())), st.Faint.Render("drawing…")}
	default:
		pic = []string{"", "", st.Title.Render(fileKind(f.Name()))}
	}
	lines := make([]string, 0, thumbRows+2)
	top := max((thumbRows-len(pic))/2, 0)
	for i := range thumbRows {
		l := ""
		if j := i - top; j >= 0 && j < len(pic) {
			l = pic[j]
		}
		lines = append(lines, center(l, thumbCols))
	}
	name := st.Text.Render(clip(oneLine(f.Name()), thumbCols))
	if selected {
		name = st.Selected.Render(padRight(clip(oneLine(f.Name()), thumbCols), thumbCols))
	}
	details := st.Subtle.Render(clip("v"+strconv.Itoa(v.N)+" · "+workroom.FormatSize(v.Size), thumbCols))
	lines = append(lines, name, details)
	return frame.Width(cardWidth).Render(strings.Join(lines, "\n"))
}

// center pads a (styled) line to width cells, centred.
func center(s string, width int) string {
	w := ansi.StringWidth(s)
	if w >= width {
		return clip(s, width)
	}
	left := (width - w) / 2
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", width-w-left)
}

func thumbKeyOf(v workroom.Version) thumbKey {
	return thumbKey{sum: v.SHA256, cols: thumbCols, rows: thumbRows}
}

// galleryKey handles a key in the gallery.
func (m *filesPane) galleryKey(msg tea.KeyPressMsg) tea.Cmd {
	page := max(m.listRows()/cardHeight, 1)
	switch {
	case key.Matches(msg, m.keys.Prev):
		m.gal.move(-1)
	case key.Matches(msg, m.keys.Next):
		m.gal.move(1)
	case key.Matches(msg, m.keys.Up):
		m.gal.vertical(-1)
	case key.Matches(msg, m.keys.Down):
		m.gal.vertical(1)
	case key.Matches(msg, m.keys.PageUp):
		m.gal.vertical(-page)
	case key.Matches(msg, m.keys.PageDown):
		m.gal.vertical(page)
	case key.Matches(msg, m.keys.Versions):
		// The list shows versions: go there with this file unfolded.
		if i, ok := m.gal.selected(); ok {
			m.unfolded[m.area.files[i].Path] = true
			m.rebuild()
		}
		m.setGallery(false)
		return nil
	}
	m.scroll()
	return m.wantThumbs()
}

// wantThumbs starts drawing the thumbnails of the cards in view that are
// neither drawn nor on their way.
func (m *filesPane) wantThumbs() tea.Cmd {
	if !m.gallery || m.area == nil {
		return nil
	}
	var cmds []tea.Cmd
	for _, s := range m.gal.visible(m.listRows()) {
		for p := s.first; !s.header && p < s.first+s.n; p++ {
			f := &m.area.files[m.gal.cards[p]]
			v := f.Latest()
			k := thumbKeyOf(v)
			if _, ok := m.gal.thumbs[k]; ok || m.gal.pending[k] || !drawable(f.Name()) {
				continue
			}
			m.gal.pending[k] = true
			cmds = append(cmds, m.drawThumb(k, f.Path, v))
		}
	}
	return tea.Batch(cmds...)
}

func (m *filesPane) drawThumb(k thumbKey, path string, v workroom.Version) tea.Cmd {
	svc, ctx, log, uid, room := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID, m.id
	open := func(ctx context.Context) (io.ReaderAt, int64, io.Closer, error) {
		_, _, b, err := svc.OpenVersion(ctx, room, path, v.N)
		if err != nil {
			logFailure(log, "thumbnail", uid, err)
			return nil, 0, nil, err
		}
		return b, b.Size(), b, nil
	}
	return m.do(func() tea.Msg {
		return thumbDrawnMsg{key: k, th: drawThumb(ctx, k, v.Size, open)}
	})
}
