package main

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/postgres"
)

// The store a server runs on (--store): the embedded bbolt file in the
// data folder by default, or a PostgreSQL database named by URL, which
// several servers may share.

// postgresSchemes start the URL of a PostgreSQL store, as libpq spells
// them.
var postgresSchemes = []string{"postgres://", "postgresql://"}

// isPostgres reports whether --store names a PostgreSQL database.
func isPostgres(store string) bool {
	for _, p := range postgresSchemes {
		if strings.HasPrefix(strings.ToLower(store), p) {
			return true
		}
	}
	return false
}

func validStore(store string) bool { return store == "" || isPostgres(store) }

// redactStore is --store as it may be shown: a URL's password replaced,
// so a refusal or a log line never prints it.
func redactStore(store string) string {
	u, err := url.Parse(store)
	if err != nil {
		return "(a URL that does not parse)"
	}
	if u.User == nil {
		return store
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// closingStore is a store the server closes when it stops.
type closingStore interface {
	workroom.Store
	Close() error
}

// openStore makes the data folder ready (it holds the host key, blobs
// and spool whichever store is used) and opens the store --store names.
func openStore(ctx context.Context, cfg serveConfig, data string) (closingStore, error) {
	if !isPostgres(cfg.Store) {
		return openData(cfg.Data, data)
	}
	if err := prepareData(cfg.Data, data); err != nil {
		return nil, err
	}
	db, err := postgres.Open(ctx, cfg.Store)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", redactStore(cfg.Store), err)
	}
	return db, nil
}

// storeShown names the store for the log.
func storeShown(cfg serveConfig, data string) string {
	if isPostgres(cfg.Store) {
		return redactStore(cfg.Store)
	}
	return filepath.Join(data, storeFile)
}
