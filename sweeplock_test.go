package workroom_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/workroomtest"
)

// stalledSweep is a store whose first rule of the sweep, the first time
// it runs, says so and waits until released, so a test can start a
// second sweep while one runs.
type stalledSweep struct {
	*store.DB
	started, release chan struct{}
	once             sync.Once
}

func (s *stalledSweep) UnhiredProposalFiles(ctx context.Context) ([]workroom.UnhiredFiles, error) {
	s.once.Do(func() {
		s.started <- struct{}{}
		<-s.release
	})
	return s.DB.UnhiredProposalFiles(ctx)
}

// TestSweep_OneAtATime: a sweep started while another runs does nothing
// and says one is running; once the first ends, a sweep runs again.
func TestSweep_OneAtATime(t *testing.T) {
	stall := &stalledSweep{started: make(chan struct{}), release: make(chan struct{})}
	w := workroomtest.New(t, workroomtest.WithAdmins("SHA256:admin-key"), workroomtest.WithStore(func(db *store.DB) workroom.Store {
		stall.DB = db
		return stall
	}))
	first := make(chan error, 1)
	go func() { _, err := w.Svc.Sweep(ctx); first <- err }()
	<-stall.started
	_, err := w.Svc.Sweep(ctx)
	if workroom.ErrorCode(err) != workroom.ECONFLICT || !strings.Contains(workroom.ErrorMessage(err), "a retention sweep is already running") {
		t.Fatalf("a second sweep while one runs: %v; want ECONFLICT saying one is running", err)
	}
	close(stall.release)
	if err := <-first; err != nil {
		t.Fatalf("the first sweep: %v", err)
	}
	if _, err := w.Svc.Sweep(ctx); err != nil {
		t.Fatalf("a sweep after the first ended: %v", err)
	}
}

// TestSweep_AdminSweepHonoursTheLock: `admin sweep` on one front end while
// another front end's sweep holds the shared lock is refused the same way.
func TestSweep_AdminSweepHonoursTheLock(t *testing.T) {
	lock := &workroom.LocalSweepLock{}
	w := workroomtest.New(t, workroomtest.WithAdmins("SHA256:admin-key"), workroomtest.WithSweepLock(lock))
	w.SignUp(t, "admin-key")
	id, _ := w.Svc.Authenticate(ctx, workroomtest.Key("admin-key"))
	admin := workroom.NewContextWithIdentity(ctx, id)
	unlock, ok, _ := lock.TryLock(ctx) // the other front end's sweep
	if !ok {
		t.Fatal("the lock was taken")
	}
	if _, err := w.Svc.AdminSweep(admin); workroom.ErrorCode(err) != workroom.ECONFLICT {
		t.Fatalf("admin sweep while another runs: %v; want ECONFLICT", err)
	}
	unlock()
	if _, err := w.Svc.AdminSweep(admin); err != nil {
		t.Fatalf("admin sweep once the other ended: %v", err)
	}
}
