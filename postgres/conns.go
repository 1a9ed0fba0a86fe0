package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workroom/workroom"
)

// DefaultConnExpiry is how long a connection counted against its account
// stays counted without its front end's heartbeat: a front end killed
// with its connections open stops counting against their accounts within
// it. The heartbeat renews every third of it.
const DefaultConnExpiry = 45 * time.Second

// AccountConns counts the connections each account holds open across
// every front end over the database: a row per connection in
// account_conns, with the front end that holds it and an expiry its
// heartbeat (Run) keeps renewing. Times are the database's, so front
// ends' clocks need not agree.
type AccountConns struct {
	pool     *pgxpool.Pool
	frontEnd string
	expiry   time.Duration
	mu       sync.Mutex
	held     map[int64]struct{} // this front end's rows
}

var _ workroom.AccountConns = (*AccountConns)(nil)

// NewAccountConns returns the count kept in db, for one front end;
// expiry 0 means DefaultConnExpiry.
func NewAccountConns(db *DB, expiry time.Duration) *AccountConns {
	if expiry <= 0 {
		expiry = DefaultConnExpiry
	}
	return &AccountConns{pool: db.pool, frontEnd: frontEndName(), expiry: expiry, held: make(map[int64]struct{})}
}

// frontEndName names this process in the rows it holds, for an operator
// looking at the table: host, PID and a random part, since a PID is
// reused after a restart.
func frontEndName() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Hold implements workroom.AccountConns. The account's holds are counted
// and added under a transaction-scoped advisory lock on the account, so
// front ends holding for one account at once take turns.
func (c *AccountConns) Hold(ctx context.Context, user workroom.UserID, max int) (func(context.Context) error, bool, error) {
	var id int64
	ok := false
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('account_conns:' || $1::bigint, 0))`, int64(user)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM account_conns WHERE user_id = $1 AND expires > now()`, int64(user)).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return nil
		}
		ok = true
		return tx.QueryRow(ctx, `INSERT INTO account_conns (user_id, front_end, expires) VALUES ($1, $2, now() + $3 * interval '1 microsecond') RETURNING id`,
			int64(user), c.frontEnd, c.expiry.Microseconds()).Scan(&id)
	})
	if err != nil {
		return nil, false, fmt.Errorf("postgres: counting connections: %w", err)
	}
	if !ok {
		return nil, false, nil
	}
	c.mu.Lock()
	c.held[id] = struct{}{}
	c.mu.Unlock()
	var once sync.Once
	return func(ctx context.Context) error {
		var err error
		once.Do(func() { err = c.release(ctx, id) })
		return err
	}, true, nil
}

// release deletes a hold. It stops being renewed first, so a failed
// delete still ends with the expiry.
func (c *AccountConns) release(ctx context.Context, id int64) error {
	c.mu.Lock()
	delete(c.held, id)
	c.mu.Unlock()
	if _, err := c.pool.Exec(ctx, `DELETE FROM account_conns WHERE id = $1`, id); err != nil {
		return fmt.Errorf("postgres: uncounting a connection: %w", err)
	}
	return nil
}

// Run is the front end's heartbeat until ctx ends: every third of the
// expiry it renews its own holds and deletes every expired one (its own
// that a long outage let expire, and those of front ends that died).
// When ctx ends it deletes its holds, as a front end that stops has no
// connections left.
func (c *AccountConns) Run(ctx context.Context) {
	t := time.NewTicker(c.expiry / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseWait)
			_, _ = c.pool.Exec(dctx, `DELETE FROM account_conns WHERE front_end = $1`, c.frontEnd)
			cancel()
			return
		case <-t.C:
			_ = c.heartbeat(ctx)
		}
	}
}

// releaseWait bounds the clean-up when a front end stops.
const releaseWait = 5 * time.Second

// heartbeat renews this front end's holds and deletes expired ones.
func (c *AccountConns) heartbeat(ctx context.Context) error {
	c.mu.Lock()
	ids := make([]int64, 0, len(c.held))
	for id := range c.held {
		ids = append(ids, id)
	}
	c.mu.Unlock()
	batch := &pgx.Batch{}
	batch.Queue(`UPDATE account_conns SET expires = now() + $2 * interval '1 microsecond' WHERE id = ANY($1)`, ids, c.expiry.Microseconds())
	batch.Queue(`DELETE FROM account_conns WHERE expires <= now()`)
	return c.pool.SendBatch(ctx, batch).Close()
}
