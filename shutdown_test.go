package workroom_test

import (
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestShutdown_RefusesNewUploadsAndLetsRunningOnesFinish(t *testing.T) {
	s := newFileScene(t)
	as := workroomtest.As(s.free)
	running, err := s.w.Svc.StartUpload(as, s.room, "running.txt", workroom.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.w.Svc.Shutdown()
	select {
	case <-s.w.Svc.Stopping():
	default:
		t.Fatal("Stopping is not closed after Shutdown")
	}
	_, err = s.w.Svc.StartUpload(as, s.room, "late.txt", workroom.UploadOptions{})
	if workroom.ErrorCode(err) != workroom.EUNAVAILABLE || workroom.ErrorRule(err) != workroom.RuleServerStopping {
		t.Fatalf("an upload started after Shutdown: %v; want EUNAVAILABLE (%s)", err, workroom.RuleServerStopping)
	}
	if _, err := running.WriteAt([]byte("finished"), 0); err != nil {
		t.Fatal(err)
	}
	if c, err := running.Commit(as); err != nil || !c.Added {
		t.Fatalf("the upload running at Shutdown: %+v, %v; want it stored", c, err)
	}
	s.w.Svc.Shutdown() // a second call is harmless
}
