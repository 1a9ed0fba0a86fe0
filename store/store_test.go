package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/store/storetest"
)

// ctx is the context of the calls these tests make to the store directly.
var ctx = context.Background()

func open(t *testing.T) workroom.Store {
	db, err := store.Open(filepath.Join(t.TempDir(), "workroom.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestContract(t *testing.T) { storetest.Run(t, open) }

func TestContractLifecycle(t *testing.T) { storetest.RunLifecycle(t, open, restore) }

// restore opens a snapshot written by Backup as the store file of a fresh
// data folder.
func restore(t *testing.T, snapshot []byte) workroom.Store {
	path := filepath.Join(t.TempDir(), "workroom.db")
	if err := os.WriteFile(path, snapshot, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestOpen_KeepsDataAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workroom.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	u := &workroom.User{Name: "ada", Email: "ada@example.com"}
	if err := db.CreateUser(ctx, u, workroom.Key{Fingerprint: "SHA256:a", Authorized: "k"}, workroom.Verification{}, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, err := db.User(ctx, u.ID); err != nil || got.Name != "ada" {
		t.Fatalf("after reopen User = %+v, %v", got, err)
	}
}
