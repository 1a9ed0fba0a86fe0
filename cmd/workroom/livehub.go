package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/pflag"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
	"github.com/workroom/workroom/pglive"
)

// liveConfig is what the flags say of the hub across front ends, used
// when the store is PostgreSQL.
type liveConfig struct {
	Heartbeat time.Duration
	DeadAfter time.Duration
}

// bindLiveFlags declares the flags of the hub across front ends.
func bindLiveFlags(fs *pflag.FlagSet, c *liveConfig) {
	dur := func(p *time.Duration, name string, def time.Duration, usage string) {
		fs.DurationVar(p, name, def, fmt.Sprintf("%s (env %s)", usage, envName(name)))
	}
	dur(&c.Heartbeat, "live-heartbeat", pglive.DefaultHeartbeat, "with a PostgreSQL store: how often this front end tells the others it is alive")
	dur(&c.DeadAfter, "live-dead-after", pglive.DefaultDeadAfter,
		"with a PostgreSQL store: how long a front end may stay silent before the others take it for dead and its people leave presence (at least twice --live-heartbeat)")
}

// validate refuses a heartbeat that is not positive, and a dead-after
// time shorter than two heartbeats (one late beat would drop a live
// front end's people).
func (c *liveConfig) validate() error {
	if c.Heartbeat <= 0 {
		return fmt.Errorf("--live-heartbeat must be a positive duration such as 5s, not %s", c.Heartbeat)
	}
	if c.DeadAfter < 2*c.Heartbeat {
		return fmt.Errorf("--live-dead-after (%s) must be at least twice --live-heartbeat (%s): one late heartbeat would take a live front end for dead", c.DeadAfter, c.Heartbeat)
	}
	return nil
}

// pooled is a store in PostgreSQL: it shares its connections with the
// parts beside it (postgres.DB).
type pooled interface {
	Pool() *pgxpool.Pool
}

// openHub returns the service's live hub. Over a PostgreSQL store it is
// the hub across every front end on that database (pglive); over bbolt
// this process's own, as ever. wire gives it the service once made (a
// dead front end's people are told gone through it); leave, deferred
// before the service closes and after the store opens, makes it leave.
func openHub(ctx context.Context, st workroom.Store, c liveConfig, log *slog.Logger) (hub workroom.Hub, wire func(*workroom.Service), leave func(), err error) {
	p, ok := st.(pooled)
	if !ok {
		return live.New(), func(*workroom.Service) {}, func() {}, nil
	}
	h, err := pglive.Start(ctx, p.Pool(), pglive.Config{Heartbeat: c.Heartbeat, DeadAfter: c.DeadAfter, Log: log})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("live: %w", err)
	}
	wire = func(svc *workroom.Service) { h.OnDeparted(svc.Departed) }
	leave = func() {
		if err := h.Close(); err != nil {
			log.Warn("live: leaving the other front ends", "err", err)
		}
	}
	return h, wire, leave, nil
}
