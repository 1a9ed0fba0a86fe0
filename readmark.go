package workroom

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// ReadMark is how far a member has read a room: every message up to and
// including Upto. Unread counts the messages by others after it.
//
// Read marks move with every message a reader sees arrive, so writing each
// one would cost a synced commit per message per reader: 100 people in a
// meeting would queue 100 writers behind every line. The service keeps
// marks in memory instead and writes them behind, in one transaction per
// interval (Config.ReadMarkInterval), and at once when the reader leaves
// the room or closes the session; Close writes what is left. What the
// reader is told (unread counts, their room list) comes from the marks in
// memory, so it is right at once. A crash loses at most the last
// interval's marks: those messages show as unread again.
type ReadMark struct {
	RoomID RoomID `json:"room_id"`
	UserID UserID `json:"user_id"`
	Upto   uint64 `json:"upto"`
}

// DefaultReadMarkInterval is how often marks kept in memory are written
// when Config.ReadMarkInterval is zero.
const DefaultReadMarkInterval = 2 * time.Second

// readMarks holds the marks not yet written, and for one more interval
// the ones just written (a message committed before a write but counted
// after it would otherwise be told with the store's older count).
type readMarks struct {
	store    Store
	log      *slog.Logger
	interval time.Duration

	mu      sync.Mutex
	pending map[markKey]*pendingMark
	timer   *time.Timer // the next write; nil when nothing waits
	closed  bool        // Close ran: marks are written through

	flushMu sync.Mutex     // one write at a time, so marks land in order
	leaving sync.WaitGroup // writes for readers leaving, still running
}

type markKey struct {
	room RoomID
	user UserID
}

// pendingMark is one member's mark in a room as the service knows it.
type pendingMark struct {
	upto    uint64
	unread  int    // messages by others after upto
	counted uint64 // the newest message unread was counted against
	dirty   bool   // not written yet
	written bool   // written by the last flush; dropped by the next if still clean
}

func newReadMarks(st Store, log *slog.Logger, interval time.Duration) *readMarks {
	if interval <= 0 {
		interval = DefaultReadMarkInterval
	}
	return &readMarks{store: st, log: log, interval: interval, pending: make(map[markKey]*pendingMark)}
}

// lastRead is the member's mark: the one in memory when it is ahead of
// the stored one.
func (rm *readMarks) lastRead(mb *Member) uint64 {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if p := rm.pending[markKey{mb.RoomID, mb.UserID}]; p != nil {
		return max(p.upto, mb.LastRead)
	}
	return mb.LastRead
}

// unread is the member's unread count in a room, stored says what the
// store has.
func (rm *readMarks) unread(room RoomID, user UserID, stored int) int {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if p := rm.pending[markKey{room, user}]; p != nil {
		return p.unread
	}
	return stored
}

// mark moves a member's mark forward to m.Upto, with unread messages by
// others after it counted up to the message newest. It reports whether
// the mark moved.
func (rm *readMarks) mark(m ReadMark, unread int, newest uint64) bool {
	k := markKey{m.RoomID, m.UserID}
	rm.mu.Lock()
	p := rm.pending[k]
	if p != nil && m.Upto <= p.upto {
		rm.mu.Unlock()
		return false
	}
	if p == nil {
		p = &pendingMark{}
		rm.pending[k] = p
	}
	p.upto, p.unread, p.counted, p.dirty, p.written = m.Upto, unread, newest, true, false
	if !rm.closed {
		rm.schedule()
		rm.mu.Unlock()
		return true
	}
	rm.mu.Unlock()
	// After Close nothing writes behind any more: write it now.
	rm.flush(context.Background(), func(x markKey) bool { return x == k })
	return true
}

// arrived counts a message that just arrived in the member's unread
// count, and returns that count. mb is the member as the append left it.
func (rm *readMarks) arrived(mb Member, m *Message) int {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	p := rm.pending[markKey{mb.RoomID, mb.UserID}]
	if p == nil {
		return mb.Unread
	}
	if m.ID > p.counted && m.ID > p.upto && m.AuthorID != mb.UserID {
		p.unread++
	}
	return p.unread
}

// schedule arranges the next write. Called with mu held.
func (rm *readMarks) schedule() {
	if rm.timer == nil && !rm.closed {
		rm.timer = time.AfterFunc(rm.interval, rm.due)
	}
}

// due is the interval's write: every dirty mark in one transaction.
func (rm *readMarks) due() {
	rm.mu.Lock()
	rm.timer = nil
	rm.mu.Unlock()
	rm.flush(context.Background(), func(markKey) bool { return true })
}

// leave writes a reader's marks in a room (room 0: in every room) now,
// in the background, as they leave it.
func (rm *readMarks) leave(room RoomID, user UserID) {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if rm.closed {
		return
	}
	rm.leaving.Add(1)
	go func() {
		defer rm.leaving.Done()
		rm.flush(context.Background(), func(k markKey) bool { return k.user == user && (room == 0 || k.room == room) })
	}()
}

// flush writes the dirty marks that match in one transaction. Clean marks
// written by an earlier flush are dropped: the store has them. A failed
// write keeps the marks dirty for the next interval.
func (rm *readMarks) flush(ctx context.Context, match func(markKey) bool) error {
	rm.flushMu.Lock()
	defer rm.flushMu.Unlock()
	rm.mu.Lock()
	var marks []ReadMark
	for k, p := range rm.pending {
		switch {
		case !match(k):
		case p.dirty:
			marks = append(marks, ReadMark{RoomID: k.room, UserID: k.user, Upto: p.upto})
			p.dirty = false
		case p.written:
			delete(rm.pending, k)
		}
	}
	rm.mu.Unlock()
	var err error
	if len(marks) > 0 {
		err = rm.store.MarkRead(ctx, marks)
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	for _, m := range marks {
		p := rm.pending[markKey{m.RoomID, m.UserID}]
		switch {
		case p == nil || p.upto != m.Upto:
		case err != nil:
			p.dirty = true
		default:
			p.written = true
		}
	}
	if err != nil {
		rm.log.Error("writing read marks", "marks", len(marks), "err", err)
	}
	if len(rm.pending) > 0 {
		rm.schedule()
	}
	return err
}

// close writes every mark and stops writing behind.
func (rm *readMarks) close(ctx context.Context) error {
	rm.mu.Lock()
	rm.closed = true
	if rm.timer != nil {
		rm.timer.Stop()
		rm.timer = nil
	}
	rm.mu.Unlock()
	rm.leaving.Wait()
	return rm.flush(ctx, func(markKey) bool { return true })
}

// Flush writes the read marks kept in memory now.
func (s *Service) Flush(ctx context.Context) error {
	return s.reads.flush(ctx, func(markKey) bool { return true })
}

// Close writes the read marks and last-seen times kept in memory and
// stops writing behind; call it before closing the store. Those made
// afterwards are written at once.
func (s *Service) Close(ctx context.Context) error {
	return errors.Join(s.reads.close(ctx), s.seen.close(ctx))
}
