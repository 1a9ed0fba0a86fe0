package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/timefmt"
)

// filesPane is a workroom's file area, opened from the room with f. It
// has two views of the same files: a list, folder by folder (the room's
// categories), each file's latest version with its uploader, size, time
// and scan status, and its earlier versions unfolded under it; and a
// gallery of cards, where pictures are drawn (gallery.go). Under both:
// the space the room uses against its quota, whether files are
// virus-scanned, and the sftp and scp commands that download what is
// selected.
type filesPane struct {
	paneBase
	sess *session
	keys filesKeys
	id   workroom.RoomID
	area *fileArea // nil until loaded

	folded   map[string]bool // folders whose files are hidden (list)
	unfolded map[string]bool // files whose versions show (list)
	rows     []fileRow
	cursor   int
	offset   int

	gallery bool
	gal     galleryState

	width, height int
}

// fileRow is one row of the list: a folder, a file (its latest version),
// or one of its versions.
type fileRow struct {
	kind    fileRowKind
	folder  string
	file    int // index in area.files (file and version rows)
	version int // the version's N (version rows)
}

type fileRowKind int

const (
	rowFolder fileRowKind = iota
	rowFile
	rowVersion
)

// filesLoadedMsg brings the room's file area.
type filesLoadedMsg struct {
	area *fileArea
	err  error
}

func newFiles(e *env, id workroom.RoomID) (pane, tea.Cmd, error) {
	m := &filesPane{paneBase: e.newBase(), sess: e.sess, keys: newFilesKeys(), id: id,
		folded: map[string]bool{}, unfolded: map[string]bool{}}
	m.gal.thumbs = map[thumbKey]thumb{}
	m.gal.pending = map[thumbKey]bool{}
	m.updateBindings()
	return m, m.load(), nil
}

func (m *filesPane) load() tea.Cmd {
	svc, ctx, log, uid, id := m.sess.svc, m.sess.ctx, m.sess.log, m.sess.user.ID, m.id
	return m.do(func() tea.Msg {
		a, err := readFileArea(ctx, svc, id)
		logFailure(log, "files", uid, err)
		return filesLoadedMsg{area: a, err: err}
	})
}

// Reload reads the area afresh.
func (m *filesPane) Reload() tea.Cmd { return m.load() }

// Event reads the area again when one of its files changed (a version
// came in by any way, a file was renamed or deleted): the list, the space
// used and the folders all follow from it.
func (m *filesPane) Event(ev workroom.Event) tea.Cmd {
	if ev.Kind == workroom.EventFile && ev.RoomID == m.id {
		return m.load()
	}
	return nil
}

func (m *filesPane) Typing() bool      { return false }
func (m *filesPane) Keys() help.KeyMap { return m.keys }

func (m *filesPane) Title() string {
	if m.area == nil {
		return fmt.Sprintf("#%d · files", m.id)
	}
	return fmt.Sprintf("#%d %s · files", m.id, oneLine(m.area.room.Title))
}

func (m *filesPane) Resize(width, height int) {
	m.width, m.height = width, height
	m.gal.layout(m.area, width)
	m.scroll()
}

func (m *filesPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case filesLoadedMsg:
		if msg.err != nil {
			m.notice = errorNotice(msg.err)
			return nil
		}
		m.apply(msg.area)
		return m.wantThumbs()
	case thumbDrawnMsg:
		delete(m.gal.pending, msg.key)
		m.gal.thumbs[msg.key] = msg.th
		return nil
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return nil
}

// apply shows a freshly read area, keeping the selection on the same
// file (or folder) where it still exists.
func (m *filesPane) apply(a *fileArea) {
	var keep fileRow
	var keepPath string
	if m.cursor < len(m.rows) && m.area != nil {
		keep = m.rows[m.cursor]
		if keep.kind != rowFolder {
			keepPath = m.area.files[keep.file].Path
		}
	}
	m.area = a
	m.rebuild()
	for i, r := range m.rows {
		if keepPath != "" && r.kind == rowFile && a.files[r.file].Path == keepPath ||
			keepPath == "" && r.kind == rowFolder && r.folder == keep.folder && m.cursor > 0 {
			m.cursor = i
		}
	}
	m.cursor = min(m.cursor, max(len(m.rows)-1, 0))
	m.gal.layout(a, m.width)
	m.gal.cursor = min(m.gal.cursor, max(len(m.gal.cards)-1, 0))
	m.scroll()
	m.updateBindings()
}

// rebuild lays out the list's rows from the area and what is folded.
func (m *filesPane) rebuild() {
	m.rows = m.rows[:0]
	for _, folder := range m.area.folders {
		m.rows = append(m.rows, fileRow{kind: rowFolder, folder: folder})
		if m.folded[folder] {
			continue
		}
		for _, i := range m.area.byFolder(folder) {
			f := &m.area.files[i]
			m.rows = append(m.rows, fileRow{kind: rowFile, folder: folder, file: i})
			if !m.unfolded[f.Path] {
				continue
			}
			for j := len(f.Versions) - 1; j >= 0; j-- {
				m.rows = append(m.rows, fileRow{kind: rowVersion, folder: folder, file: i, version: f.Versions[j].N})
			}
		}
	}
}

func (m *filesPane) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		return closePaneCmd(notice{})
	case key.Matches(msg, m.keys.Refresh):
		m.notice = notice{}
		return m.load()
	case key.Matches(msg, m.keys.Gallery):
		m.setGallery(!m.gallery)
		return m.wantThumbs()
	case m.area == nil:
		return nil
	case m.gallery:
		return m.galleryKey(msg)
	}
	if d, ok := m.keys.step(msg, m.listRows()); ok {
		m.cursor = max(min(m.cursor+d, len(m.rows)-1), 0)
	} else if key.Matches(msg, m.keys.Unfold) {
		how := unfoldIt
		if msg.String() == "enter" {
			how = flipIt
		}
		m.toggle(how)
	} else if key.Matches(msg, m.keys.Fold) {
		m.toggle(foldIt)
	}
	m.scroll()
	m.updateBindings()
	return nil
}

// Ways to change what the cursor is on in the list.
const (
	foldIt   = -1 // ←: fold
	flipIt   = 0  // enter: fold what is open, open what is folded
	unfoldIt = 1  // →: open
)

// toggle folds or opens what the cursor is on: a folder's files, a
// file's versions. Folding on a version folds its file.
func (m *filesPane) toggle(how int) {
	if m.cursor >= len(m.rows) {
		return
	}
	r := m.rows[m.cursor]
	switch r.kind {
	case rowFolder:
		open := !m.folded[r.folder]
		m.folded[r.folder] = !(how == unfoldIt || how == flipIt && !open)
	case rowFile:
		if len(m.area.files[r.file].Versions) < 2 && how != foldIt {
			break // one version: it is the row itself
		}
		p := m.area.files[r.file].Path
		m.unfolded[p] = how == unfoldIt || how == flipIt && !m.unfolded[p]
	case rowVersion:
		if how != unfoldIt {
			m.unfolded[m.area.files[r.file].Path] = false
		}
	}
	m.rebuild()
	// Keep the cursor on the row it was on, or on the file that held the
	// version that went.
	for i, x := range m.rows {
		if r.kind != rowFolder && x.kind == rowFile && x.file == r.file ||
			r.kind == rowFolder && x.kind == rowFolder && x.folder == r.folder {
			m.cursor = i
			if r.kind == rowVersion && m.unfolded[m.area.files[r.file].Path] {
				continue // still shown: find the version row itself
			}
			return
		}
		if r.kind == rowVersion && x == r {
			m.cursor = i
			return
		}
	}
	m.cursor = min(m.cursor, max(len(m.rows)-1, 0))
}

// setGallery switches between the list and the gallery, keeping the
// selected file.
func (m *filesPane) setGallery(on bool) {
	m.gallery = on
	if m.area == nil {
		m.updateBindings()
		return
	}
	if on {
		if f, ok := m.selectedFile(); ok {
			m.gal.selectFile(f)
		}
	} else if i, ok := m.gal.selected(); ok {
		m.selectFileRow(i)
	}
	m.scroll()
	m.updateBindings()
}

// selectFileRow puts the list's cursor on file i, unfolding its folder.
func (m *filesPane) selectFileRow(i int) {
	if m.folded[m.area.files[i].Folder()] {
		m.folded[m.area.files[i].Folder()] = false
		m.rebuild()
	}
	for j, r := range m.rows {
		if r.kind == rowFile && r.file == i {
			m.cursor = j
		}
	}
}

// selectedFile is the index of the file the list's cursor is on (or on
// one of its versions).
func (m *filesPane) selectedFile() (int, bool) {
	if m.cursor >= len(m.rows) || m.rows[m.cursor].kind == rowFolder {
		return 0, false
	}
	return m.rows[m.cursor].file, true
}

// updateBindings enables the keys that fit the view and the selection.
func (m *filesPane) updateBindings() {
	list := !m.gallery
	for _, b := range []*key.Binding{&m.keys.Unfold, &m.keys.Fold} {
		b.SetEnabled(list)
	}
	for _, b := range []*key.Binding{&m.keys.Prev, &m.keys.Next, &m.keys.Versions} {
		b.SetEnabled(!list)
	}
	if list {
		m.keys.Gallery.SetHelp("g", "gallery")
	} else {
		m.keys.Gallery.SetHelp("g", "list")
	}
	if list && m.cursor < len(m.rows) {
		switch r := m.rows[m.cursor]; {
		case r.kind == rowFolder && m.folded[r.folder]:
			m.keys.Unfold.SetHelp("enter/→", "open folder")
		case r.kind == rowFolder:
			m.keys.Unfold.SetHelp("enter", "fold folder")
		case r.kind == rowFile && len(m.area.files[r.file].Versions) < 2:
			m.keys.Unfold.SetEnabled(false) // its one version is the row
		case r.kind == rowVersion || r.kind == rowFile && m.unfolded[m.area.files[r.file].Path]:
			m.keys.Unfold.SetHelp("enter", "hide versions")
		default:
			m.keys.Unfold.SetHelp("enter/→", "versions")
		}
	}
}

// listRows is the number of list rows the pane has room for.
func (m *filesPane) listRows() int {
	return max(m.height-len(m.footer(max(m.width, 1))), 1)
}

// scroll keeps the selection in view.
func (m *filesPane) scroll() {
	if m.gallery {
		m.gal.scroll(m.listRows())
		return
	}
	m.offset = windowStart(m.offset, m.cursor, m.listRows(), len(m.rows))
}

func (m *filesPane) View(width, height int) string {
	st := m.env.st
	if m.area == nil {
		return st.Subtle.Render("  reading the files…")
	}
	foot := m.footer(width)
	rows := max(height-len(foot), 1)
	var body string
	if m.gallery {
		body = m.gal.view(st, m.area, width, rows)
	} else {
		body = m.listView(st, width, rows)
	}
	return fit(body, width, rows) + "\n" + strings.Join(foot, "\n")
}

func (m *filesPane) listView(st *styles, width, rows int) string {
	if len(m.area.files) == 0 && len(m.area.folders) == 0 {
		return st.Subtle.Render("  No files yet. Upload with sftp or scp (the commands are below), or: ssh HOST put ROOM NAME < FILE")
	}
	cols := fileColumns(width)
	var b strings.Builder
	now, loc := time.Now(), m.sess.user.Location()
	for i := m.offset; i < len(m.rows) && i < m.offset+rows; i++ {
		if i > m.offset {
			b.WriteByte('\n')
		}
		b.WriteString(m.rowView(st, m.rows[i], i == m.cursor, cols, now, loc))
	}
	return b.String()
}

func (m *filesPane) rowView(st *styles, r fileRow, selected bool, cols columns, now time.Time, loc *time.Location) string {
	if r.kind == rowFolder {
		mark := "▾ "
		if m.folded[r.folder] {
			mark = "▸ "
		}
		n := len(m.area.byFolder(r.folder))
		line := " " + mark + folderLabel(r.folder)
		if selected {
			return st.Selected.Render(padRight(line+" · "+plural(n, "file"), cols.width))
		}
		return st.Title.Render(line) + st.Subtle.Render(" · "+plural(n, "file"))
	}
	f := &m.area.files[r.file]
	v := f.Latest()
	name := "    " + oneLine(f.Name())
	if len(f.Versions) > 1 {
		mark := "▸ "
		if m.unfolded[f.Path] {
			mark = "▾ "
		}
		name = "  " + mark + oneLine(f.Name())
	}
	if r.kind == rowVersion {
		v, _ = f.Version(r.version)
		name = "      ↳ v" + fmt.Sprint(v.N) + "-" + oneLine(f.Name())
	}
	line := cols.row(name, v, now, loc)
	switch {
	case selected:
		return st.Selected.Render(line)
	case r.kind == rowVersion:
		return st.Subtle.Render(line)
	}
	return st.Text.Render(line)
}

// folderLabel names a folder in headings: its path, or the top of the room.
func folderLabel(folder string) string {
	if folder == "" {
		return "/ (top of the room)"
	}
	return oneLine(folder) + "/"
}

// columns says which columns of a file row fit the width: the name takes
// what the others leave, and they are dropped, least useful first, when
// the name would get narrower than minNameWidth.
type columns struct {
	width                         int
	name                          int
	version, uploader, time, scan bool
}

const (
	minNameWidth  = 16
	versionWidth  = 5
	uploaderWidth = 12
	sizeWidth     = 10
	timeWidth     = 21
	scanWidth     = 12
)

func fileColumns(width int) columns {
	c := columns{width: width, name: width - sizeWidth}
	for _, col := range []struct {
		on *bool
		w  int
	}{{&c.time, timeWidth}, {&c.uploader, uploaderWidth}, {&c.version, versionWidth}, {&c.scan, scanWidth}} {
		if c.name-col.w >= minNameWidth {
			*col.on = true
			c.name -= col.w
		}
	}
	return c
}

// row lays out one version's details after a name cell.
func (c columns) row(name string, v workroom.Version, now time.Time, loc *time.Location) string {
	var b strings.Builder
	b.WriteString(padRight(name, c.name))
	if c.version {
		b.WriteString(padLeft(fmt.Sprintf("v%d", v.N), versionWidth-1) + " ")
	}
	if c.uploader {
		b.WriteString(" " + padRight(oneLine(v.UploaderName), uploaderWidth-1))
	}
	b.WriteString(padLeft(workroom.FormatSize(v.Size), sizeWidth-1) + " ")
	if c.time {
		b.WriteString(" " + padRight(timefmt.When(v.Uploaded, now, loc), timeWidth-1))
	}
	if c.scan {
		b.WriteString(" " + padRight(scanLabel(v.Scan), scanWidth-1))
	}
	return padRight(b.String(), c.width)
}

func scanLabel(s workroom.ScanStatus) string {
	if s == workroom.ScanNotScanned {
		return "not scanned"
	}
	return string(s)
}

// notScannedText is what the view says on a server run with --no-scan.
const notScannedText = "files are not virus-scanned on this server"

// footer is what goes under both views: a note when not every file is
// shown, the space used, the scan warning, and the download commands for
// the selection.
func (m *filesPane) footer(width int) []string {
	if m.area == nil {
		return nil
	}
	st := m.env.st
	var out []string
	if m.area.truncated {
		out = append(out, st.Subtle.Render(fmt.Sprintf(" showing the first %d files; sftp lists them all", len(m.area.files))))
	}
	out = append(out, spaceBar(st, m.area.usage, width))
	if !m.area.scanning {
		out = append(out, st.Warn.Render(" ⚠ "+notScannedText))
	}
	if remote := m.selectedRemote(); remote != "" {
		server := workroom.IdentityFromContext(m.sess.ctx).Server
		sftpCmd, scpCmd := downloadCommands(server, remote)
		for _, c := range []string{sftpCmd, scpCmd} {
			for _, l := range strings.Split(ansi.Hardwrap(oneLine(c), max(width-3, 10), false), "\n") {
				out = append(out, st.Subtle.Render(" $ ")+st.Key.Render(l))
			}
		}
	}
	return out
}

// selectedRemote is the SFTP path of what is selected: a file's latest
// version, one version, or a folder ("…/"); "" for nothing.
func (m *filesPane) selectedRemote() string {
	room := workroom.RoomFolder(&m.area.room.Room)
	if m.gallery {
		if i, ok := m.gal.selected(); ok {
			return remoteFile(room, m.area.files[i].Path, 0)
		}
		return ""
	}
	if m.cursor >= len(m.rows) {
		return ""
	}
	switch r := m.rows[m.cursor]; r.kind {
	case rowFolder:
		if r.folder == "" {
			return "/" + room + "/"
		}
		return "/" + room + "/" + r.folder + "/"
	case rowVersion:
		return remoteFile(room, m.area.files[r.file].Path, r.version)
	default:
		return remoteFile(room, m.area.files[r.file].Path, 0)
	}
}

// spaceBarWidth is the most cells the space-used bar takes.
const spaceBarWidth = 30

// spaceBar draws the room's space used against its quota.
func spaceBar(st *styles, u workroom.Usage, width int) string {
	text := fmt.Sprintf(" %s of %s used", workroom.FormatSize(u.Used), workroom.FormatSize(u.Quota))
	n := min(spaceBarWidth, width-ansi.StringWidth(text)-8)
	if n < 5 || u.Quota <= 0 {
		return st.Subtle.Render(" space" + text)
	}
	frac := min(float64(u.Used)/float64(u.Quota), 1)
	full := int(frac*float64(n) + 0.5)
	if u.Used > 0 && full == 0 {
		full = 1 // anything stored shows
	}
	fill := st.OK
	switch {
	case frac >= 0.95:
		fill = st.Error
	case frac >= 0.8:
		fill = st.Warn
	}
	return st.Label.Render(" space ") + fill.Render(strings.Repeat("█", full)) +
		st.Faint.Render(strings.Repeat("░", n-full)) + st.Subtle.Render(text)
}

// filesKeys are the Files view's keys. The list and the gallery have
// their own; the ones that do not apply are disabled.
type filesKeys struct {
	nav
	Unfold, Fold, Prev, Next, Versions, Gallery, Refresh, Back key.Binding
}

func newFilesKeys() filesKeys {
	return filesKeys{
		nav:      newNav(),
		Unfold:   key.NewBinding(key.WithKeys("enter", "right", "l"), key.WithHelp("enter/→", "versions")),
		Fold:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←", "fold")),
		Prev:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/→", "move")),
		Next:     key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→", "next")),
		Versions: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "versions")),
		Gallery:  key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "gallery")),
		Refresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

func (k filesKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Unfold, k.Fold, k.Prev, k.Versions, k.Gallery, k.Back}
}

func (k filesKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Unfold, k.Fold, k.Prev, k.Versions},
		{k.Gallery, k.Refresh, k.Back},
	}
}
