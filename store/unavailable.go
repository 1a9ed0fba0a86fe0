package store

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/workroom/workroom"
)

// errCannotStore is the refusal when the file system refuses a write:
// nothing the person did, and nothing they can fix but to try later. The
// domain words it (workroom.RuleCannotStore).
var errCannotStore = workroom.Refusal(workroom.EUNAVAILABLE, workroom.RuleCannotStore)

// diskRefusals are the file-system errors that mean the data folder takes
// no writes, with how the operator's log names each.
var diskRefusals = []struct {
	errno syscall.Errno
	name  string
}{
	{syscall.ENOSPC, "disk full"},
	{syscall.EDQUOT, "disk quota exceeded"},
	{syscall.EROFS, "read-only file system"},
	{syscall.EACCES, "not writable (permission denied)"},
}

// storageError is a write the file system refused. Its code and message
// are errCannotStore's, for the person; its text is the cause, for the
// log: "disk full at /srv/data/workroom.db: write …: no space left on
// device".
type storageError struct{ cause error }

func (e *storageError) Error() string   { return e.cause.Error() }
func (e *storageError) Unwrap() []error { return []error{errCannotStore, e.cause} }

// cannotStore maps an error of a write to the store file at path: a disk
// refusal becomes a storageError, anything else is returned as it is.
func cannotStore(path string, err error) error {
	if err == nil {
		return nil
	}
	var se *storageError
	if errors.As(err, &se) || workroom.ErrorCode(err) != workroom.EINTERNAL {
		return err // already mapped, or a rule the store enforces (ECONFLICT…)
	}
	for _, r := range diskRefusals {
		// bbolt formats some causes with %s ("file resize error: …"),
		// which cuts the chain: the errno's text is what is left.
		if errors.Is(err, r.errno) || strings.Contains(err.Error(), r.errno.Error()) {
			return &storageError{cause: fmt.Errorf("%s at %s: %w", r.name, path, err)}
		}
	}
	return err
}
