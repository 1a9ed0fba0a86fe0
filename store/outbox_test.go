package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
)

// TestClaimMail_LeasesEndWithTheProcess: the file is one process's, so a
// server killed while sending leaves no lease behind: after a restart the
// mail it had claimed is due at once, not when the lease would end.
func TestClaimMail_LeasesEndWithTheProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workroom.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	u := &workroom.User{Name: "ada", Email: "ada@example.com", Created: t0}
	m := &workroom.Mail{To: "ada@example.com", Created: t0, NextTry: t0}
	if err := db.CreateUser(ctx, u, workroom.Key{Fingerprint: "SHA256:ada", Added: t0}, workroom.Verification{CodeHash: "h", Sent: t0, Expires: t0.Add(time.Hour)}, m); err != nil {
		t.Fatal(err)
	}
	if ms, err := db.ClaimMail(ctx, t0, t0.Add(workroom.MailLease), 10); err != nil || len(ms) != 1 {
		t.Fatalf("ClaimMail = %+v, %v", ms, err)
	}
	if ms, _ := db.PendingMail(ctx, t0, 10); len(ms) != 0 {
		t.Fatalf("claimed mail due during its lease: %+v", ms)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if ms, err := db.ClaimMail(ctx, t0, t0.Add(workroom.MailLease), 10); err != nil || len(ms) != 1 || ms[0].ID != m.ID {
		t.Fatalf("after a restart ClaimMail = %+v, %v; want the mail due at once", ms, err)
	}
}
