package postgres_test

import (
	"context"
	"os"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
	"github.com/workroom/workroom/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var ctx = context.Background()

// open opens the store on an empty database of its own.
func open(t *testing.T) workroom.Store {
	db, err := postgres.Open(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestContract(t *testing.T) { storetest.Run(t, open) }
