// Package pglive is the workroom.Hub for several front ends (`workroom
// serve` processes) over one PostgreSQL database: an event published on
// one reaches the live sessions of all, and presence (who looks at which
// room, who is online) counts the sessions of all.
//
// Each front end keeps its own sessions in a live.Hub, so local delivery
// is what it is with one process: bounded queues, stale marking, stuck
// sessions dropped. What it publishes also goes, through a bounded queue
// and one sender goroutine that never holds up the publisher, to the
// table live_events; the sender NOTIFYs the ids of what it wrote
// (payloads carry ids, never bodies: NOTIFY takes at most 8000 bytes).
// Every other front end LISTENs on one dedicated connection, reads the
// rows by id and hands them to its local hub; a front end skips its own.
//
// Presence goes the same way: each session's start, room and end is a
// numbered change, and each front end keeps a view of the others'
// sessions. A front end starting (or reconnecting) asks the others for
// their whole presence (a snapshot). Each one heartbeats in
// live_frontends; one silent for DeadAfter is taken for dead (killed, or
// cut off): the others drop its sessions, and exactly one of them — the
// one that marks it departed — tells the service (OnDeparted), which
// tells the rooms those people left.
package pglive

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
)

// Defaults of Config.
const (
	// DefaultHeartbeat is how often a front end says it is alive and
	// looks for the ones that stopped.
	DefaultHeartbeat = 5 * time.Second
	// DefaultDeadAfter is how long a front end may stay silent before
	// the others drop its sessions. With the heartbeat's period on top,
	// a killed front end's people leave presence within 25 s, inside
	// the SSH keepalive window (a vanished client leaves within a
	// minute).
	DefaultDeadAfter = 20 * time.Second
)

// Limits of the fan-out between front ends.
const (
	// QueueSize is how many envelopes may wait for the database. When
	// it is full (the database is slow or gone) what does not fit is
	// dropped, and the other front ends are told to reload once the
	// database answers again.
	QueueSize = 8192
	// maxBatch is how many envelopes one INSERT and NOTIFY carry: their
	// ids (up to 20 digits and a space each) fit the 8000-byte payload.
	maxBatch = 256
	// EventRetention is how long an event's row is kept: long enough
	// for a front end that fell behind to still read it.
	EventRetention = 5 * time.Minute
	// departedRetention is how long the row of a dead front end stays.
	departedRetention = 24 * time.Hour
	// queryWait bounds each statement: a database that does not answer
	// within it is taken for lost (the listener reconnects, a batch is
	// dropped and the others told to reload).
	queryWait = 10 * time.Second
	// retryWait is the pause before reconnecting or writing again after
	// the database failed.
	retryWait = time.Second
	// startWait bounds how long Start waits for the other front ends'
	// presence before it returns.
	startWait = 5 * time.Second
)

// channel is the NOTIFY channel of every front end.
const channel = "workroom_live"

// Config tunes a Hub; zero fields take the defaults.
type Config struct {
	Heartbeat time.Duration
	DeadAfter time.Duration
	// Now is the clock for last seen times (time.Now by default).
	Now func() time.Time
	Log *slog.Logger
}

// Hub implements workroom.Hub across front ends.
type Hub struct {
	local  *live.Hub
	pool   *pgxpool.Pool
	cfg    Config
	log    *slog.Logger
	origin string // this front end, new at each start

	out       chan envelope // to the other front ends, in order
	listenPID atomic.Uint32 // the listening connection's server process
	pings     atomic.Int64  // times the quiet listening connection was checked
	lost      atomic.Bool   // an envelope was dropped: resync when the database answers

	mu        sync.Mutex
	seq       uint64 // the last presence change of this front end
	lastID    uint64 // the last session id given out
	mine      map[uint64]*subscription
	view      view                       // the other front ends' sessions
	missing   map[string]bool            // front ends in view found with no heartbeat row once
	departed  func([]workroom.Departure) // OnDeparted
	lastHello time.Time                  // when a snapshot was last asked for
	heard     chan struct{}              // closed and replaced when a snapshot arrives

	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closing   chan struct{} // closed by Close: the sender sends what is queued, then stops
	closeOnce sync.Once
	sent      chan struct{} // closed when the sender stopped
}

var _ workroom.Hub = (*Hub)(nil)

// Start joins the front ends over pool's database: it listens, heartbeats,
// asks the others for their presence and waits (a few seconds at most)
// for it, then returns the hub. The schema must be migrated
// (postgres.Open does it). Close leaves.
func Start(ctx context.Context, pool *pgxpool.Pool, cfg Config) (*Hub, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	h := &Hub{
		local:   live.NewWithClock(cfg.Now),
		pool:    pool,
		cfg:     cfg,
		log:     cfg.Log.With("frontend", hex.EncodeToString(id[:])),
		origin:  hex.EncodeToString(id[:]),
		out:     make(chan envelope, QueueSize),
		mine:    make(map[uint64]*subscription),
		view:    newView(),
		missing: make(map[string]bool),
		heard:   make(chan struct{}),
		closing: make(chan struct{}),
		sent:    make(chan struct{}),
	}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	l, err := h.connect(ctx)
	if err != nil {
		h.cancel()
		return nil, err
	}
	if _, err := h.beat(ctx); err != nil {
		_ = l.Close(context.Background())
		h.cancel()
		return nil, fmt.Errorf("pglive: heartbeat: %w", err)
	}
	h.wg.Add(3)
	go h.listen(l)
	go h.send()
	go h.heartbeat()
	h.resync(false) // its presence (none yet), and a request for theirs
	h.awaitPresence(ctx)
	h.log.Info("live: joined the front ends", "heartbeat", cfg.Heartbeat, "dead_after", cfg.DeadAfter)
	return h, nil
}

func (c Config) withDefaults() (Config, error) {
	if c.Heartbeat == 0 {
		c.Heartbeat = DefaultHeartbeat
	}
	if c.DeadAfter == 0 {
		c.DeadAfter = DefaultDeadAfter
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Heartbeat < 0 || c.DeadAfter < 2*c.Heartbeat {
		return c, errors.New("pglive: the dead-after time must be at least twice the heartbeat, or one late beat drops a live front end's people")
	}
	return c, nil
}

// OnDeparted registers f, told (on its own goroutine) of the people whose
// front end died: the service's Departed. Of the surviving front ends,
// one only is told about each dead one.
func (h *Hub) OnDeparted(f func([]workroom.Departure)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.departed = f
}

// Close leaves: what is queued is sent (for a few seconds at most), then
// this front end's heartbeat is set DeadAfter in the past, so that the others drop
// any session still open here at their next beat, and one of them tells
// its rooms. Close the sessions first for everyone to see them leave at
// once.
func (h *Hub) Close() error {
	h.closeOnce.Do(func() { close(h.closing) })
	select {
	case <-h.sent:
	case <-time.After(startWait):
		h.log.Warn("live: leaving without sending everything to the other front ends: the database is slow")
	}
	h.cancel()
	h.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), startWait)
	defer cancel()
	_, err := h.pool.Exec(ctx, `UPDATE live_frontends SET beat_at = now() - make_interval(secs => $2) WHERE id = $1`,
		h.origin, h.cfg.DeadAfter.Seconds())
	return err
}

// Subscribe registers a session of user on this front end.
func (h *Hub) Subscribe(user workroom.UserID) workroom.Subscription {
	inner := h.local.Subscribe(user)
	h.mu.Lock()
	h.lastID++
	s := &subscription{Subscription: inner, h: h, id: h.lastID, user: user}
	h.mine[s.id] = s
	h.changed(s)
	h.mu.Unlock()
	inner.OnDrop(s.droppedByHub)
	return s
}

// Publish sends ev to every session of the given users, here and on the
// other front ends.
func (h *Hub) Publish(ev workroom.Event, to []workroom.UserID) {
	if len(to) == 0 {
		return
	}
	h.local.Publish(ev, to)
	h.enqueue(envelope{Event: &ev, To: to})
}

// PublishRoom sends ev to the sessions looking at room, here and on the
// other front ends.
func (h *Hub) PublishRoom(ev workroom.Event, room workroom.RoomID) {
	h.local.PublishRoom(ev, room)
	h.enqueue(envelope{Event: &ev, Room: &room})
}

// PublishAll sends ev to every session of this front end only: it is how
// a front end that stops tells its own sessions (EventShutdown); the
// others go on.
func (h *Hub) PublishAll(ev workroom.Event) { h.local.PublishAll(ev) }

// Present returns who is looking at room on any front end, with how many
// sessions each.
func (h *Hub) Present(room workroom.RoomID) []workroom.Here {
	here := h.local.Present(room)
	h.mu.Lock()
	defer h.mu.Unlock()
	for u, n := range h.view.rooms[room] {
		i := 0
		for i < len(here) && here[i].UserID != u {
			i++
		}
		if i == len(here) {
			here = append(here, workroom.Here{UserID: u})
		}
		here[i].Sessions += n
	}
	return here
}

// Online returns how many sessions user has on all front ends, and, when
// none, when the last one ended.
func (h *Hub) Online(user workroom.UserID) (int, time.Time) {
	n, seen := h.local.Online(user)
	h.mu.Lock()
	defer h.mu.Unlock()
	if n += h.view.users[user]; n > 0 {
		return n, time.Time{}
	}
	if remote := h.view.lastSeen[user]; remote.After(seen) {
		seen = remote
	}
	return 0, seen
}

// enqueue hands env to the sender without waiting; when the queue is full
// it is dropped, and the others are told to reload later.
func (h *Hub) enqueue(env envelope) {
	select {
	case h.out <- env:
	default:
		if !h.lost.Swap(true) {
			h.log.Warn("live: the queue to the other front ends is full; their sessions will reload")
		}
	}
}
