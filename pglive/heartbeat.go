package pglive

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// heartbeat says every Heartbeat that this front end is alive, drops the
// front ends that stopped saying so, and deletes old rows.
func (h *Hub) heartbeat() {
	defer h.wg.Done()
	t := time.NewTicker(h.cfg.Heartbeat)
	defer t.Stop()
	lastBeat := time.Now()
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(h.ctx, queryWait)
		departed, err := h.beat(ctx)
		if err != nil {
			cancel()
			if h.ctx.Err() == nil {
				h.log.Warn("live: heartbeat failed", "err", err)
			}
			continue
		}
		if departed || time.Since(lastBeat) > h.cfg.DeadAfter {
			h.log.Warn("live: the other front ends may have taken this one for dead; sending its presence again")
			h.resync(false)
		}
		lastBeat = time.Now()
		if h.lost.Swap(false) {
			h.resync(true)
		}
		if err := h.reap(ctx); err != nil && h.ctx.Err() == nil {
			h.log.Warn("live: looking for front ends that stopped", "err", err)
		}
		cancel()
	}
}

// beat records that this front end is alive, and reports whether another
// had taken it for dead (and told its rooms its people left).
func (h *Hub) beat(ctx context.Context) (departed bool, err error) {
	err = h.pool.QueryRow(ctx, `WITH before AS (SELECT departed FROM live_frontends WHERE id = $1)
INSERT INTO live_frontends (id, beat_at) VALUES ($1, now())
ON CONFLICT (id) DO UPDATE SET beat_at = now(), departed = false
RETURNING coalesce((SELECT departed FROM before), false)`, h.origin).Scan(&departed)
	return departed, err
}

// frontRow is a front end as live_frontends has it.
type frontRow struct {
	ID       string
	BeatAt   time.Time
	Dead     bool // silent for DeadAfter, by the database's clock
	Departed bool
}

// reap drops the sessions of every front end that stopped heartbeating
// (or that left, Close). The survivor that marks one departed tells the
// service who left (OnDeparted): one front end only, so each room hears
// it once. It asks again for the presence of a front end alive whose
// sessions it does not know (it took it for dead too early), and deletes
// rows nobody needs any more.
func (h *Hub) reap(ctx context.Context) error {
	rows, err := h.pool.Query(ctx, `SELECT id, beat_at, beat_at < now() - make_interval(secs => $1), departed FROM live_frontends WHERE id <> $2`,
		h.cfg.DeadAfter.Seconds(), h.origin)
	if err != nil {
		return err
	}
	fronts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[frontRow])
	if err != nil {
		return err
	}
	lost, unknown := h.dropStopped(fronts)
	if unknown {
		h.helloAgain()
	}
	h.mu.Lock()
	tell := h.departed
	h.mu.Unlock()
	for origin, gone := range lost {
		h.log.Warn("live: another front end stopped; its sessions are gone", "stopped", origin, "people", len(gone))
		if len(gone) > 0 && tell != nil && h.claim(ctx, origin) {
			go tell(gone)
		}
	}
	return h.clean(ctx)
}

// dropStopped drops from the view the front ends that fronts say stopped,
// returning who was on each; unknown reports a front end alive whose
// presence never arrived. A front end with no row at all (the database
// restarted and lost its unlogged rows, and it never beat again) is
// dropped the second time it is found missing: the first time, its row
// may have been written just after fronts was read.
func (h *Hub) dropStopped(fronts []frontRow) (lost map[string][]workroom.Departure, unknown bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	lost = make(map[string][]workroom.Departure)
	listed := make(map[string]bool, len(fronts))
	for _, f := range fronts {
		listed[f.ID] = true
		known := h.view.fronts[f.ID]
		switch {
		case !f.Dead && !f.Departed:
			unknown = unknown || known == nil || !known.synced
		case known != nil:
			lost[f.ID] = h.view.drop(f.ID, f.BeatAt)
		}
	}
	for origin := range h.view.fronts {
		switch {
		case listed[origin]:
			delete(h.missing, origin)
		case h.missing[origin]:
			delete(h.missing, origin)
			h.view.drop(origin, h.cfg.Now())
			h.log.Warn("live: another front end has no heartbeat at all; its sessions are gone", "stopped", origin)
		default:
			h.missing[origin] = true
		}
	}
	return lost, unknown
}

// claim marks a stopped front end departed, reporting whether this one
// did: the one that does tells the rooms. One that beat again meanwhile
// is not claimed.
func (h *Hub) claim(ctx context.Context, origin string) bool {
	var claimed bool
	err := h.pool.QueryRow(ctx, `UPDATE live_frontends SET departed = true
WHERE id = $1 AND NOT departed AND beat_at < now() - make_interval(secs => $2) RETURNING true`,
		origin, h.cfg.DeadAfter.Seconds()).Scan(&claimed)
	switch {
	case errors.Is(err, pgx.ErrNoRows): // another survivor tells them
	case err != nil:
		h.log.Error("live: could not tell the rooms that a stopped front end's people left", "stopped", origin, "err", err)
	}
	return claimed
}

// clean deletes the events every front end has read, and the rows of
// front ends long gone.
func (h *Hub) clean(ctx context.Context) error {
	_, err := h.pool.Exec(ctx, `DELETE FROM live_events WHERE at < now() - make_interval(secs => $1)`, EventRetention.Seconds())
	if err != nil {
		return err
	}
	_, err = h.pool.Exec(ctx, `DELETE FROM live_frontends WHERE beat_at < now() - make_interval(secs => $1)`, departedRetention.Seconds())
	return err
}

// awaitPresence waits, up to startWait, until every other front end alive
// has answered Start's hello with its snapshot, taken after the hello
// reached it: this one then counts their sessions from its first session
// on.
func (h *Hub) awaitPresence(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, startWait)
	defer cancel()
	rows, err := h.pool.Query(ctx, `SELECT id FROM live_frontends WHERE id <> $1 AND NOT departed AND beat_at >= now() - make_interval(secs => $2)`,
		h.origin, h.cfg.DeadAfter.Seconds())
	if err != nil {
		h.log.Warn("live: listing the other front ends", "err", err)
		return
	}
	others, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		h.log.Warn("live: listing the other front ends", "err", err)
		return
	}
	for {
		h.mu.Lock()
		waiting := 0
		for _, o := range others {
			if f := h.view.fronts[o]; f == nil || !f.answered {
				waiting++
			}
		}
		heard := h.heard
		h.mu.Unlock()
		if waiting == 0 {
			return
		}
		select {
		case <-heard:
		case <-ctx.Done():
			h.log.Warn("live: some front ends did not send their presence in time; their sessions show as they come", "missing", waiting)
			return
		}
	}
}
