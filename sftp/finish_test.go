package sftp_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/workroom/workroom/workroomtest"
)

// sessionEnded reports whether the log has the end line of a session of
// the user with the id.
func (e *env) sessionEnded(user int64) bool {
	for _, l := range strings.Split(e.logs.String(), "\n") {
		if strings.Contains(l, `msg="session end"`) && strings.Contains(l, "subsystem=sftp") && strings.Contains(l, fmt.Sprintf("user=%d ", user)) {
			return true
		}
	}
	return false
}

func TestSFTP_AStoppingServerLetsAnOpenUploadFinishThenEndsTheSession(t *testing.T) {
	s := newScene(t)
	f, err := s.bobC.OpenFile(s.dir+"/late.txt", osWriteTrunc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("begun before, ")); err != nil {
		t.Fatal(err)
	}

	s.e.w.Svc.Shutdown()
	// Ada's session holds no upload: it ends by itself.
	workroomtest.WaitUntil(t, "the idle session to end", func() bool { return s.e.sessionEnded(int64(s.ada.id.User.ID)) })
	if _, err := s.bobC.OpenFile(s.dir+"/new.txt", osWriteTrunc); err == nil {
		t.Error("a new upload was opened on a stopping server")
	}
	if _, err := f.Write([]byte("finished after")); err != nil {
		t.Fatalf("writing to the open upload after Shutdown: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("closing the open upload after Shutdown: %v", err)
	}
	_, v, b, err := s.e.w.Svc.OpenVersion(workroomtest.As(s.ada.id), s.room.ID, "late.txt", 0)
	if err != nil {
		t.Fatalf("the upload finished after Shutdown is not stored: %v", err)
	}
	b.Close()
	if v.Size != int64(len("begun before, finished after")) {
		t.Fatalf("stored %d bytes", v.Size)
	}
	workroomtest.WaitUntil(t, "Bob's session to end once its upload is stored", func() bool { return s.e.sessionEnded(int64(s.bob.id.User.ID)) })
}
