//go:build linux

package main

import (
	"syscall"
	"testing"
)

// A read-only mount stops root too, which mode bits would not.
func TestServe_ReadOnlyDataFolderIsOneLine(t *testing.T) {
	data := t.TempDir()
	if err := syscall.Mount("tmpfs", data, "tmpfs", syscall.MS_RDONLY, "size=64k"); err != nil {
		t.Skipf("cannot mount a read-only tmpfs here (%v)", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(data, syscall.MNT_DETACH) })
	line := startServer(t, "--data", data, "--ssh-addr", "127.0.0.1:0").exitLine(t)
	if want := "workroom: data folder " + data + " is not writable: read-only file system"; line != want {
		t.Errorf("got %q, want %q", line, want)
	}
}
