package store_test

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// BenchmarkSyncedCommit is the floor under every write the store makes: one
// bbolt transaction with one small put, synced to disk. Posting a message
// is compared against it in bench/README.md.
func BenchmarkSyncedCommit(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "floor.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	key, val := []byte("k"), make([]byte, 200)
	for b.Loop() {
		err := db.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("b"))
			if err != nil {
				return err
			}
			return bk.Put(key, val)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
