package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// ctx is the context of the calls these tests make to the store directly.
var ctx = context.Background()

// TestOpen_ReleasesAddressesHeldUnverifiedByOlderStores: a store written
// when every sign-up indexed its address is opened; the unverified address
// is then free for the real owner, the verified one stays held.
func TestOpen_ReleasesAddressesHeldUnverifiedByOlderStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workroom.db")
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	squat := &workroom.User{Name: "squat", Email: "owner@example.com"}
	ada := &workroom.User{Name: "ada", Email: "ada@example.com"}
	for i, u := range []*workroom.User{squat, ada} {
		k := workroom.Key{Fingerprint: "SHA256:" + u.Name, Authorized: "k"}
		if err := d.CreateUser(ctx, u, k, workroom.Verification{}, nil); err != nil {
			t.Fatal(i, err)
		}
	}
	if _, err := d.MarkVerified(ctx, ada.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	// As the old code did: the unverified address indexed, no claim.
	err = d.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketEmailClaims).Delete(claimKey(squat.Email, squat.ID)); err != nil {
			return err
		}
		return tx.Bucket(bucketEmails).Put([]byte(squat.Email), u64(uint64(squat.ID)))
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = d.Close()

	d, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.UserByEmail(ctx, "owner@example.com"); workroom.ErrorCode(err) != workroom.ENOTFOUND {
		t.Fatalf("an unverified address is still held: %v", err)
	}
	if u, err := d.UserByEmail(ctx, "ada@example.com"); err != nil || u.ID != ada.ID {
		t.Fatalf("the verified address was released: %+v, %v", u, err)
	}
	owner := &workroom.User{Name: "owner", Email: "owner@example.com"}
	if err := d.CreateUser(ctx, owner, workroom.Key{Fingerprint: "SHA256:owner", Authorized: "k"}, workroom.Verification{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := d.MarkVerified(ctx, owner.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if u, _ := d.User(ctx, squat.ID); !u.EmailLost {
		t.Fatal("the old unverified claimant was not told it lost the address")
	}
}
