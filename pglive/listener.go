package pglive

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// connect opens the listening connection: one of its own, outside the
// pool, since it stays LISTENing for the life of the front end.
func (h *Hub) connect(ctx context.Context) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, queryWait)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, h.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("pglive: listen: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		_ = conn.Close(context.Background())
		return nil, fmt.Errorf("pglive: listen: %w", err)
	}
	h.listenPID.Store(conn.PgConn().PID())
	return conn, nil
}

// listen receives what the other front ends send until the hub closes,
// reconnecting when the connection is lost. What was sent meanwhile is
// lost: every session here reloads from the store, and presence is asked
// for (and given) again.
func (h *Hub) listen(conn *pgx.Conn) {
	defer h.wg.Done()
	for {
		err := h.receive(conn)
		_ = conn.Close(context.Background())
		if h.ctx.Err() != nil {
			return
		}
		h.log.Warn("live: lost the connection the other front ends' events come by; reconnecting", "err", err)
		for {
			select {
			case <-h.ctx.Done():
				return
			case <-time.After(retryWait):
			}
			if conn, err = h.connect(h.ctx); err == nil {
				break
			}
			h.log.Warn("live: reconnecting", "err", err)
		}
		h.log.Info("live: reconnected; sessions reload what they show")
		h.local.MarkStale()
		h.resync(false)
	}
}

// receive hands each notification's envelopes to apply, in order. A
// connection quiet for DeadAfter is pinged: one the network silently
// dropped would otherwise wait for good.
func (h *Hub) receive(conn *pgx.Conn) error {
	for {
		wait, cancel := context.WithTimeout(h.ctx, h.cfg.DeadAfter)
		n, err := conn.WaitForNotification(wait)
		cancel()
		if err != nil && pgconn.Timeout(err) && h.ctx.Err() == nil {
			if err := h.ping(conn); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		origin, ids, err := parsePayload(n.Payload)
		if err != nil {
			h.log.Warn("live: a notification not understood", "payload", n.Payload, "err", err)
			continue
		}
		if origin == h.origin {
			continue // delivered here when it was published
		}
		envs, err := h.fetch(conn, ids)
		if err != nil {
			return err
		}
		for _, env := range envs {
			h.apply(origin, env)
		}
	}
}

// ping checks the listening connection still reaches the database.
func (h *Hub) ping(conn *pgx.Conn) error {
	h.pings.Add(1)
	ctx, cancel := context.WithTimeout(h.ctx, queryWait)
	defer cancel()
	return conn.Ping(ctx)
}

// parsePayload reads what a NOTIFY carries (sendSQL): the sender, then
// the ids of the rows it wrote, separated by spaces.
func parsePayload(p string) (origin string, ids []int64, err error) {
	fields := strings.Fields(p)
	if len(fields) < 2 {
		return "", nil, fmt.Errorf("no ids")
	}
	ids = make([]int64, len(fields)-1)
	for i, f := range fields[1:] {
		if ids[i], err = strconv.ParseInt(f, 10, 64); err != nil {
			return "", nil, err
		}
	}
	return fields[0], ids, nil
}

// fetch reads the envelopes by id, in the order they were sent. One
// already deleted (this front end fell EventRetention behind) is lost:
// the sessions here reload.
func (h *Hub) fetch(conn *pgx.Conn, ids []int64) ([]envelope, error) {
	ctx, cancel := context.WithTimeout(h.ctx, queryWait)
	defer cancel()
	rows, err := conn.Query(ctx, `SELECT body FROM live_events WHERE id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return nil, err
	}
	bodies, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, err
	}
	if len(bodies) < len(ids) {
		h.log.Warn("live: events from another front end were gone before they were read; sessions reload", "missing", len(ids)-len(bodies))
		h.local.MarkStale()
	}
	envs := make([]envelope, 0, len(bodies))
	for _, b := range bodies {
		var env envelope
		if err := json.Unmarshal(b, &env); err != nil {
			h.log.Error("live: an event from another front end not understood", "err", err)
			continue
		}
		envs = append(envs, env)
	}
	return envs, nil
}

// apply delivers an envelope from another front end to the sessions
// here, or updates what is known of its presence.
func (h *Hub) apply(origin string, env envelope) {
	switch {
	case env.Event != nil && env.Room != nil:
		h.local.PublishRoom(*env.Event, *env.Room)
	case env.Event != nil:
		h.local.Publish(*env.Event, env.To)
	case env.Session != nil:
		h.mu.Lock()
		gap := h.view.change(origin, env.Session)
		h.mu.Unlock()
		if gap {
			h.log.Warn("live: presence changes of another front end were missed; asking for its presence", "from", origin)
			h.helloAgain()
		}
	case env.Snapshot != nil:
		h.mu.Lock()
		h.view.replace(origin, env.Snapshot, h.origin)
		close(h.heard)
		h.heard = make(chan struct{})
		h.mu.Unlock()
	case env.Hello:
		h.sendSnapshot(origin)
	case env.Stale:
		h.local.MarkStale()
	}
}
