package workroom

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// LastSeen is when a person's last live session (a terminal UI) ended: what
// the People pane and `members` show for someone away. The hub knows it
// for everyone who left since the server started; the store keeps it
// across restarts.
//
// It is written behind, like read marks (readmark.go): a disconnect is
// kept in memory and written with the others of the same interval
// (Config.ReadMarkInterval) in one transaction, and whatever is left when
// the service closes. A server that stops at once on restart would
// otherwise pay a synced commit for each of its sessions. A crash loses
// at most the last interval's: those people show their previous time.
type LastSeen struct {
	UserID UserID    `json:"user_id"`
	At     time.Time `json:"at"`
}

// lastSeens holds the times not yet written.
type lastSeens struct {
	store    Store
	log      *slog.Logger
	interval time.Duration

	mu      sync.Mutex
	pending map[UserID]time.Time
	timer   *time.Timer // the next write; nil when nothing waits
	closed  bool        // close ran: times are written through

	flushMu sync.Mutex // one write at a time, so times land in order
}

func newLastSeens(st Store, log *slog.Logger, interval time.Duration) *lastSeens {
	if interval <= 0 {
		interval = DefaultReadMarkInterval
	}
	return &lastSeens{store: st, log: log, interval: interval, pending: make(map[UserID]time.Time)}
}

// record keeps when user's last session ended, to be written behind.
func (ls *lastSeens) record(user UserID, at time.Time) {
	if at.IsZero() {
		return
	}
	ls.mu.Lock()
	ls.pending[user] = at
	if !ls.closed {
		if ls.timer == nil {
			ls.timer = time.AfterFunc(ls.interval, ls.due)
		}
		ls.mu.Unlock()
		return
	}
	ls.mu.Unlock()
	_ = ls.flush(context.Background()) // after close nothing writes behind
}

func (ls *lastSeens) due() {
	ls.mu.Lock()
	ls.timer = nil
	ls.mu.Unlock()
	_ = ls.flush(context.Background())
}

// flush writes every time kept in memory in one transaction; a failed
// write keeps them for the next interval (or the close).
func (ls *lastSeens) flush(ctx context.Context) error {
	ls.flushMu.Lock()
	defer ls.flushMu.Unlock()
	ls.mu.Lock()
	seen := make([]LastSeen, 0, len(ls.pending))
	for u, at := range ls.pending {
		seen = append(seen, LastSeen{UserID: u, At: at})
	}
	ls.mu.Unlock()
	if len(seen) == 0 {
		return nil
	}
	err := ls.store.SetLastSeen(ctx, seen)
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if err != nil {
		ls.log.Error("writing last seen times", "users", len(seen), "err", err)
		if !ls.closed && ls.timer == nil {
			ls.timer = time.AfterFunc(ls.interval, ls.due)
		}
		return err
	}
	for _, s := range seen {
		if ls.pending[s.UserID].Equal(s.At) {
			delete(ls.pending, s.UserID) // not replaced meanwhile
		}
	}
	return nil
}

// of returns when each user was last seen: the time kept in memory, else
// the stored one. Users never seen are absent.
func (ls *lastSeens) of(ctx context.Context, users []UserID) (map[UserID]time.Time, error) {
	out, err := ls.store.LastSeen(ctx, users)
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = make(map[UserID]time.Time)
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	for _, u := range users {
		if at, ok := ls.pending[u]; ok {
			out[u] = at
		}
	}
	return out, nil
}

// close writes what is kept and stops writing behind.
func (ls *lastSeens) close(ctx context.Context) error {
	ls.mu.Lock()
	ls.closed = true
	if ls.timer != nil {
		ls.timer.Stop()
		ls.timer = nil
	}
	ls.mu.Unlock()
	return ls.flush(ctx)
}
