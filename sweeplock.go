package workroom

import (
	"context"
	"sync"
)

// The retention sweep deletes files and blobs; two at once would race
// over the same deletions (and, for blobs, over each other's grace). With
// several front ends over one store each runs the sweep on its timer, so
// a SweepLock lets one sweep run at a time across all of them: in memory
// for one process, a database lock for several (postgres).

// SweepLock lets one retention sweep run at a time.
type SweepLock interface {
	// TryLock takes the lock without waiting: ok is false when a sweep
	// holds it (here or on another front end). unlock releases it. An
	// error means the lock could not be asked for (its backend is down).
	TryLock(ctx context.Context) (unlock func(), ok bool, err error)
}

// LocalSweepLock is SweepLock for one process.
type LocalSweepLock struct{ mu sync.Mutex }

var _ SweepLock = (*LocalSweepLock)(nil)

// TryLock implements SweepLock.
func (l *LocalSweepLock) TryLock(context.Context) (func(), bool, error) {
	if !l.mu.TryLock() {
		return nil, false, nil
	}
	return l.mu.Unlock, true, nil
}
