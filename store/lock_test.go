package store_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/workroom/workroom/store"
)

func TestOpen_NamesTheProcessHoldingTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workroom.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	start := time.Now()
	_, err = store.Open(path)
	var inUse *store.InUseError
	if !errors.As(err, &inUse) || inUse.PID != os.Getpid() {
		t.Fatalf("second open: %v, want an *InUseError naming pid %d", err, os.Getpid())
	}
	if waited := time.Since(start); waited > 2*time.Second {
		t.Errorf("the second open waited %v before saying so", waited)
	}

	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := store.Open(path)
	if err != nil {
		t.Fatalf("open after the holder closed: %v", err)
	}
	again.Close()
}
