package main

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
	"github.com/workroom/workroom/store"
)

// pgStore stands for the PostgreSQL store: a store with a pool.
type pgStore struct {
	workroom.Store
	pool *pgxpool.Pool
}

func (s pgStore) Pool() *pgxpool.Pool { return s.pool }

// Over bbolt the hub is this process's own; over PostgreSQL it is the
// hub across front ends, which starts by listening on the store's
// database (here one that refuses connections, so it says so).
func TestOpenHub_PostgresStoreGetsTheHubAcrossFrontEnds(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	cfg := liveConfig{Heartbeat: time.Second, DeadAfter: 3 * time.Second}
	hub, _, leave, err := openHub(context.Background(), &store.DB{}, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	leave()
	if _, ok := hub.(*live.Hub); !ok {
		t.Fatalf("over bbolt the hub is a %T, want *live.Hub", hub)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there now
	pool, err := pgxpool.New(context.Background(), "postgres://workroom@"+addr+"/workroom?connect_timeout=5")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	_, _, _, err = openHub(context.Background(), pgStore{pool: pool}, cfg, log)
	if err == nil || !strings.Contains(err.Error(), "live: pglive: listen") {
		t.Fatalf("over an unreachable PostgreSQL: %v; want the hub across front ends failing to listen", err)
	}
}
