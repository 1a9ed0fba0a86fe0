package tui

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/timefmt"
)

// session is what every screen needs to act as the signed-in user: the
// service, the logger, and a context carrying the user. The app owns it and
// changes it only in Update; commands capture the context they need when
// they are made, so they never read it concurrently.
type session struct {
	svc  *workroom.Service
	log  *slog.Logger
	ctx  context.Context // carries the identity: key, address, and user
	user *workroom.User
	gen  int // last load generation handed out; see nextGen
	// drafts writes the user's drafts in order (draft.go).
	drafts *drafts
}

// newSession acts as u with the key and address of the connection that
// base carries, so the service's per-key and per-address rules (rate
// limits) hold in the terminal as they do for commands.
func newSession(svc *workroom.Service, log *slog.Logger, base context.Context, u *workroom.User) *session {
	id := *workroom.IdentityFromContext(base)
	id.User = u
	return &session{svc: svc, log: log, ctx: workroom.NewContextWithIdentity(base, &id), user: u, drafts: &drafts{}}
}

// setUser puts the account as stored (after a change of its settings)
// into the session: screens read the user when they draw, so every time
// shown follows its zone at once, and calls made from now on act as it.
func (s *session) setUser(u *workroom.User) {
	id := *workroom.IdentityFromContext(s.ctx)
	id.User = u
	s.ctx = workroom.NewContextWithIdentity(s.ctx, &id)
	s.user = u
}

// when shows a time by the one rule of timefmt, in the user's own zone:
// how long ago within a day, else the date with year and zone.
func (s *session) when(t time.Time) string {
	return timefmt.When(t, time.Now(), s.user.Location())
}

// clock shows a time of day in the user's own zone (a meeting's start
// and end).
func (s *session) clock(t time.Time) string {
	return t.In(s.user.Location()).Format("15:04")
}

// clockSeconds is clock with the seconds (when a request expires).
func (s *session) clockSeconds(t time.Time) string {
	return t.In(s.user.Location()).Format("15:04:05")
}

// nextGen numbers a load of a view. A view keeps the number of its latest
// load and drops results that carry an older one (a reload overtook them,
// or another room was opened meanwhile). One counter for the session keeps
// numbers unique across views.
func (s *session) nextGen() int {
	s.gen++
	return s.gen
}

// logFailure logs server faults (internal errors, a disk that refuses
// writes) with their cause, which the user does not see. Refusals (wrong code, empty body) are the user's business, not
// the operator's, and are not logged. It is called inside commands, where
// the cause is at hand.
func logFailure(log *slog.Logger, op string, user workroom.UserID, err error) {
	if workroom.ServerFault(err) {
		log.Error("tui: "+op+" failed", "user", user, "err", err)
	}
}

// errorText is what the TUI shows for a failed service call: the service's
// own words with the TUI's how-to (howto.go), made inert for the terminal
// (they may quote what a user typed).
func errorText(err error) string {
	return oneLine(howTos.Explain(err))
}

// notice is a one-line message under a screen: a refusal, a confirmation,
// or a gentle hint.
type notice struct {
	text string
	kind noticeKind
}

type noticeKind int

const (
	noticeInfo noticeKind = iota
	noticeOK
	noticeError
)

func errorNotice(err error) notice { return notice{text: errorText(err), kind: noticeError} }
func okNotice(text string) notice  { return notice{text: text, kind: noticeOK} }

// lines is the notice wrapped to width cells, at spaces where it can be
// (a word longer than the line is broken).
func (n notice) lines(width int) []string {
	if n.text == "" {
		return nil
	}
	return strings.Split(ansi.Wrap(n.text, max(width, 1), ""), "\n")
}

// view draws the notice wrapped, each line in the style of its kind.
func (n notice) view(st *styles, width int) string {
	style := st.Warn
	switch n.kind {
	case noticeError:
		style = st.Error
	case noticeOK:
		style = st.OK
	}
	lines := n.lines(width)
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return strings.Join(lines, "\n")
}
