package main

import (
	"context"
	"log/slog"
	"sync"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/postgres"
)

// shareAcrossFrontEnds gives the service, when the store is PostgreSQL,
// what several front ends over one database must count together: rate
// limits, connections per account (with this front end's heartbeat
// running until the returned stop), the retention sweep's lock, and the
// holds on blobs uploads are storing, which every sweep respects. Mail
// needs nothing here: every store's senders claim what they send
// (Store.ClaimMail), and the daily caps are tallies in the store. On the
// embedded store it changes nothing: the service's in-memory defaults
// count for the one process there is.
func shareAcrossFrontEnds(st workroom.Store, cfg *workroom.Config, log *slog.Logger) (stop func()) {
	db, ok := st.(*postgres.DB)
	if !ok {
		return func() {}
	}
	cfg.Limiter = postgres.NewLimiter(db)
	cfg.SweepLock = postgres.NewSweepLock(db)
	cfg.BlobHolds = postgres.NewBlobHolds(db, 0)
	conns := postgres.NewAccountConns(db, 0)
	cfg.AccountConns = conns
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { conns.Run(ctx) })
	log.Info("shared with the other front ends over the database: rate limits, connections per account, the sweep lock, blob holds, mail claims, daily caps",
		"conn_expiry", postgres.DefaultConnExpiry, "blob_hold_expiry", postgres.DefaultBlobHoldExpiry)
	return func() {
		cancel()
		wg.Wait()
	}
}
