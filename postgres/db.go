// Package postgres keeps workroom's data in PostgreSQL, for running
// several front ends over one database. Each method of workroom.Store is
// one transaction, as in the bbolt store, so the same contract
// (store/storetest) holds: a message, the unread counts and the outbox
// together; a quota checked and a version recorded together.
//
// The schema is made by the migrations in migrations/, embedded and run
// at Open (migrate.go).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workroom/workroom"
)

// DB is the PostgreSQL store.
type DB struct {
	pool *pgxpool.Pool
}

// defaultMaxConns is how many connections a front end opens at most
// unless the URL says (pool_max_conns=N). pgxpool's own default (the
// number of CPUs, at least 4) would queue writers on a small machine
// while the server waits on its disk: commits of many connections share
// one flush (group commit), so more writers in flight mean more posts a
// second. Mind PostgreSQL's max_connections (100 by default) when
// running many front ends.
const defaultMaxConns = 16

// Open connects to the database at url (postgres://…) and brings its
// schema up to date. It refuses a database whose schema is newer than
// this binary knows.
func Open(ctx context.Context, url string) (*DB, error) {
	pool, err := openPool(ctx, url, defaultMaxConns, nil)
	if err != nil {
		return nil, err
	}
	return &DB{pool: pool}, nil
}

// openPool connects a pool of at most maxConns connections (unless the
// URL sets pool_max_conns), reading times as UTC, with tune (nil: none)
// applied to its config, and brings the schema up to date.
func openPool(ctx context.Context, url string, maxConns int32, tune func(*pgxpool.Config)) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = max(cfg.MaxConns, maxConns)
	}
	cfg.AfterConnect = scanTimesInUTC
	if tune != nil {
		tune(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// scanTimesInUTC makes the connection read timestamptz values as UTC
// times rather than in the process's local zone: the bbolt store gives
// back the times it was given, and the service and tests compare and
// print them.
func scanTimesInUTC(_ context.Context, conn *pgx.Conn) error {
	conn.TypeMap().RegisterType(&pgtype.Type{
		Name: "timestamptz", OID: pgtype.TimestamptzOID,
		Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC},
	})
	return nil
}

// Close closes the connections.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Pool is the connection pool, for the parts beside the store that share
// the database (the live hub, the rate limiter).
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// tx runs fn in one READ COMMITTED transaction, committed when fn returns
// nil. Methods that must see a stable state lock the rows they decide on
// (SELECT … FOR UPDATE) rather than raise the isolation level: the hot
// paths (a room's next message, its quota) serialise on one row each.
func (db *DB) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return unavailable(pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{}, fn))
}

// serializable runs fn in a SERIALIZABLE transaction, retrying it when
// PostgreSQL reports a serialization failure or deadlock: for the
// methods whose invariants span rows no single lock covers.
func (db *DB) serializable(ctx context.Context, fn func(pgx.Tx) error) error {
	const tries = 20
	var err error
	for range tries {
		err = pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.Serializable}, fn)
		if !retryable(err) {
			return unavailable(err)
		}
	}
	return err
}

// retryable reports a serialization failure or a deadlock.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// uniqueViolation reports whether err is a unique constraint's refusal,
// of the named constraint when name is not "".
func uniqueViolation(err error, name string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && (name == "" || pe.ConstraintName == name)
}

// notFound maps pgx's "no rows" to the store's ENOTFOUND refusal, and
// an unreachable database to EUNAVAILABLE (unavailable).
func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return workroom.Refusal(workroom.ENOTFOUND, "")
	}
	return unavailable(err)
}

var _ workroom.Store = (*DB)(nil)
