package postgres_test

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
)

// TestOpen_MigratesOnceAndRefusesNewerSchema: opening twice applies
// nothing twice; a schema a newer binary wrote is refused, not run
// backwards.
func TestOpen_MigratesOnceAndRefusesNewerSchema(t *testing.T) {
	url := pgtest.NewDatabase(t)
	for range 2 {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		_ = db.Close()
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows, version int
	if err := conn.QueryRow(ctx, `SELECT count(*), max(version) FROM schema_version`).Scan(&rows, &version); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || version < 1 {
		t.Fatalf("schema_version holds %d rows, version %d; want one row at the newest version", rows, version)
	}
	if _, err := conn.Exec(ctx, `UPDATE schema_version SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(ctx, url)
	if err == nil || !strings.Contains(err.Error(), "newer than this binary knows") {
		t.Fatalf("Open on a newer schema: %v; want a refusal", err)
	}
}
