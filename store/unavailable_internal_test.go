package store

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/workroom/workroom"
)

// The errors bbolt returns when a commit cannot be written: the write's
// *os.PathError as it is, or flattened into text by a %s.
func TestCannotStore_MapsDiskRefusalsToUnavailableKeepingTheCause(t *testing.T) {
	const path = "/srv/data/workroom.db"
	write := func(errno syscall.Errno) error { return &os.PathError{Op: "write", Path: path, Err: errno} }
	tests := []struct {
		name  string
		err   error
		cause string
	}{
		{"disk full", write(syscall.ENOSPC), "disk full at " + path},
		{"quota", write(syscall.EDQUOT), "disk quota exceeded at " + path},
		{"read-only file system", write(syscall.EROFS), "read-only file system at " + path},
		{"permission", fmt.Errorf("open store %s: %w", path, write(syscall.EACCES)), "not writable (permission denied) at " + path},
		{"flattened by bbolt", fmt.Errorf("file resize error: %s", write(syscall.ENOSPC)), "disk full at " + path},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := cannotStore(path, tt.err)
			if code := workroom.ErrorCode(err); code != workroom.EUNAVAILABLE {
				t.Errorf("code %q, want %q", code, workroom.EUNAVAILABLE)
			}
			if msg := workroom.ErrorMessage(err); msg != "the server cannot store anything right now; try again later" {
				t.Errorf("the user is told %q", msg)
			}
			if !strings.HasPrefix(err.Error(), tt.cause) || !strings.Contains(err.Error(), tt.err.Error()) {
				t.Errorf("the log would say %q, want %q and the cause %q", err.Error(), tt.cause, tt.err.Error())
			}
		})
	}
}

func TestCannotStore_LeavesOtherErrorsAlone(t *testing.T) {
	conflict := workroom.Errorf(workroom.ECONFLICT, "taken")
	other := errors.New("bbolt: tx closed")
	for _, err := range []error{nil, conflict, other} {
		if got := cannotStore("x", err); got != err {
			t.Errorf("cannotStore(%v) = %v, want it unchanged", err, got)
		}
	}
}
