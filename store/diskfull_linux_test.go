//go:build linux

package store_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
)

// tinyDisk mounts a small tmpfs for the test, or skips it where mounting
// is not allowed (not root, no CAP_SYS_ADMIN).
func tinyDisk(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v)", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// A real full disk: writes fail as EUNAVAILABLE with the cause kept for
// the log, nothing half-written stops the store from reading, and writes
// work again once there is room.
func TestStore_FullDiskIsUnavailableWithTheCause(t *testing.T) {
	path := filepath.Join(tinyDisk(t, "256k"), "workroom.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	desc := strings.Repeat("x", 16<<10)
	for i := 0; ; i++ {
		err = db.CreateJob(ctx, &workroom.Job{ClientID: 1, Title: "t", Description: desc, Status: workroom.JobOpen, Created: time.Now()})
		if err != nil {
			break
		}
		if i > 100 {
			t.Fatal("256 KB took 100 jobs of 16 KB")
		}
	}
	if code := workroom.ErrorCode(err); code != workroom.EUNAVAILABLE {
		t.Fatalf("write on a full disk: %v (code %q), want %q", err, code, workroom.EUNAVAILABLE)
	}
	if !strings.HasPrefix(err.Error(), "disk full at "+path) {
		t.Errorf("the log would say %q, want it to name the full disk and the file", err)
	}
	if _, err := db.Job(ctx, 1); err != nil {
		t.Errorf("reading after the failed write: %v", err)
	}

	// Room on the disk again: writes work without reopening the store.
	if err := syscall.Mount("tmpfs", filepath.Dir(path), "tmpfs", syscall.MS_REMOUNT, "size=4m"); err != nil {
		t.Fatalf("growing the tmpfs: %v", err)
	}
	if err := db.CreateJob(ctx, &workroom.Job{ClientID: 1, Title: "t", Description: desc, Status: workroom.JobOpen, Created: time.Now()}); err != nil {
		t.Fatalf("write once the disk has room: %v", err)
	}
}
