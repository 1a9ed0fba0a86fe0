package workroom_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

const day = 24 * time.Hour

// boundaries are the moments each retention rule is tested at, relative
// to its deadline: a day before keeps, on and a day after delete.
var boundaries = []struct {
	name    string
	offset  time.Duration
	deletes bool
}{
	{"a day before", -day, false},
	{"a second before", -time.Second, false},
	{"on the deadline", 0, true},
	{"a day after", day, true},
}

// sweep runs the retention sweep as serve does.
func sweep(t *testing.T, w *workroomtest.World) *workroom.SweepReport {
	t.Helper()
	rep, err := w.Svc.Sweep(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// attachToProposal uploads data as a file of a proposal.
func attachToProposal(t *testing.T, w *workroomtest.World, id *workroom.Identity, p workroom.ProposalID, name string, data []byte) {
	t.Helper()
	up, err := w.Svc.StartProposalAttachment(workroomtest.As(id), p, name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up.WriteAt(data, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := up.Commit(workroomtest.As(id)); err != nil {
		t.Fatal(err)
	}
}

func TestSweep_UnhiredProposalFilesGoSixMonthsAfterTheAward(t *testing.T) {
	for _, b := range boundaries {
		t.Run(b.name, func(t *testing.T) {
			w := workroomtest.New(t)
			client, hired, other := w.SignUp(t, "Carol"), w.SignUp(t, "Fred"), w.SignUp(t, "Olga")
			j, err := w.Svc.PostJob(workroomtest.As(client), "Logo", "")
			if err != nil {
				t.Fatal(err)
			}
			ph, _ := w.Svc.Propose(workroomtest.As(hired), j.ID, "me")
			po, _ := w.Svc.Propose(workroomtest.As(other), j.ID, "me too")
			attachToProposal(t, w, hired, ph.ID, "portfolio.pdf", []byte("hired's portfolio"))
			attachToProposal(t, w, other, po.ID, "sketch.png", []byte("other's sketch"))
			awarded := w.Now()
			if _, err := w.Svc.Award(workroomtest.As(client), j.ID, ph.ID); err != nil {
				t.Fatal(err)
			}
			deadline := awarded.AddDate(0, workroom.UnhiredFilesMonths, 0)
			w.Advance(deadline.Add(b.offset).Sub(w.Now()))
			rep := sweep(t, w)

			left, err := w.DB.ProposalAttachments(context.Background(), po.ID)
			if err != nil {
				t.Fatal(err)
			}
			if gone := len(left) == 0; gone != b.deletes {
				t.Fatalf("at %s: unhired proposal's files gone = %v, want %v (report %+v)", b.name, gone, b.deletes, rep)
			}
			if b.deletes && (len(rep.Proposals) != 1 || rep.Proposals[0].ProposalID != po.ID || !slices.Equal(rep.Proposals[0].Files, []string{"sketch.png"})) {
				t.Fatalf("report = %+v, want the unhired proposal's sketch.png", rep.Proposals)
			}
			kept, _ := w.DB.ProposalAttachments(context.Background(), ph.ID)
			if len(kept) != 1 {
				t.Fatal("the hired proposal's files were deleted")
			}
		})
	}
}

// completedRoom is a room with a file, completed at the clock's now.
func completedRoom(t *testing.T) (*fileScene, time.Time) {
	s := newFileScene(t)
	s.w.Upload(t, s.free, s.room, "designs/logo.svg", []byte("<svg/>"))
	s.w.Upload(t, s.free, s.room, "designs/logo.svg", []byte("<svg v2/>"))
	s.w.Post(t, s.client, s.room, "thanks")
	if _, err := s.w.Svc.Complete(workroomtest.As(s.client), s.room); err != nil {
		t.Fatal(err)
	}
	return s, s.w.Now()
}

func TestSweep_CompletedRoomIdleTwelveMonthsLosesItsFiles(t *testing.T) {
	for _, b := range boundaries {
		t.Run(b.name, func(t *testing.T) {
			s, completed := completedRoom(t)
			deadline := completed.AddDate(0, workroom.IdleCompletedRoomMonths, 0)
			s.w.Advance(deadline.Add(b.offset).Sub(s.w.Now()))
			rep := sweep(t, s.w)

			_, err := s.w.Svc.File(workroomtest.As(s.client), s.room, "designs/logo.svg")
			if gone := workroom.ErrorCode(err) == workroom.ENOTFOUND; gone != b.deletes {
				t.Fatalf("at %s: files gone = %v (%v), want %v", b.name, gone, err, b.deletes)
			}
			page, err := s.w.Svc.Messages(workroomtest.As(s.free), s.room, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			notice := page.Messages[0]
			isNotice := notice.Source == workroom.SourceSystem && strings.Contains(notice.Body, "retention rule")
			if isNotice != b.deletes {
				t.Fatalf("at %s: newest message %q, want a retention notice: %v", b.name, notice.Body, b.deletes)
			}
			if !b.deletes {
				return
			}
			for _, want := range []string{"designs/logo.svg", "2 version(s)", "12 months", completed.Format(time.DateOnly)} {
				if !strings.Contains(notice.Body, want) {
					t.Errorf("notice lacks %q:\n%s", want, notice.Body)
				}
			}
			if u := s.usage(t); u.Used != 0 {
				t.Errorf("used = %d after the files went", u.Used)
			}
			if len(rep.Rooms) != 1 || rep.Rooms[0].RoomID != s.room || rep.Rooms[0].Versions != 2 {
				t.Errorf("report = %+v", rep.Rooms)
			}
			// The messages stay, and a second sweep finds nothing more.
			if all, _ := s.w.Svc.Messages(workroomtest.As(s.free), s.room, 0, 50); len(all.Messages) < 3 {
				t.Errorf("messages after the sweep: %d", len(all.Messages))
			}
			if again := sweep(t, s.w); len(again.Rooms) != 0 {
				t.Errorf("second sweep removed %+v", again.Rooms)
			}
		})
	}
}

// Activity after completion starts the idle clock again: an upload, or a
// message.
func TestSweep_ActivityAfterCompletionKeepsTheFiles(t *testing.T) {
	for _, act := range []struct {
		name string
		do   func(*fileScene)
	}{
		{"upload", func(s *fileScene) { s.w.Upload(t, s.free, s.room, "late.txt", []byte("late")) }},
		{"message", func(s *fileScene) { s.w.Post(t, s.free, s.room, "one more thing") }},
	} {
		t.Run(act.name, func(t *testing.T) {
			s, completed := completedRoom(t)
			s.w.Advance(30 * day)
			act.do(s)
			s.w.Advance(completed.AddDate(0, workroom.IdleCompletedRoomMonths, 0).Add(day).Sub(s.w.Now()))
			if rep := sweep(t, s.w); len(rep.Rooms) != 0 {
				t.Fatalf("files deleted %s after activity: %+v", "11 months", rep.Rooms)
			}
			if _, err := s.w.Svc.File(workroomtest.As(s.client), s.room, "designs/logo.svg"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSweep_RoomNotCompletedKeepsItsFiles(t *testing.T) {
	s := newFileScene(t)
	s.w.Upload(t, s.free, s.room, "a.txt", []byte("a"))
	s.w.Advance(3 * 365 * day)
	if rep := sweep(t, s.w); len(rep.Rooms) != 0 {
		t.Fatalf("a room still in progress lost its files: %+v", rep.Rooms)
	}
}

func TestSweep_UnusedBlobGoesBlobGraceAfterItWasFoundUnused(t *testing.T) {
	for _, b := range boundaries {
		t.Run(b.name, func(t *testing.T) {
			s := newFileScene(t)
			s.w.Upload(t, s.free, s.room, "keep.txt", []byte("keep"))
			s.w.Upload(t, s.free, s.room, "drop.txt", []byte("drop"))
			if _, err := s.w.Svc.DeleteFile(workroomtest.As(s.client), s.room, "drop.txt"); err != nil {
				t.Fatal(err)
			}
			if n := s.blobCount(t); n != 2 {
				t.Fatalf("%d blobs right after the delete, want both kept for the grace", n)
			}
			found := s.w.Now()
			if rep := sweep(t, s.w); len(rep.Blobs) != 0 {
				t.Fatalf("the first sweep to find the blob unused removed it: %v", rep.Blobs)
			}
			s.w.Advance(found.Add(workroom.BlobGrace + b.offset).Sub(s.w.Now()))
			rep := sweep(t, s.w)
			if gone := s.blobCount(t) == 1; gone != b.deletes {
				t.Fatalf("at %s: unused blob gone = %v, want %v (%v)", b.name, gone, b.deletes, rep.Blobs)
			}
			if got := read(t, s, "keep.txt", 0); string(got) != "keep" {
				t.Fatal("the used blob was collected")
			}
		})
	}
}

// A blob used again between sweeps starts its grace again when it is let
// go of once more: a snapshot taken while it was used needs it.
func TestSweep_BlobUsedAgainStartsItsGraceAgain(t *testing.T) {
	s := newFileScene(t)
	s.w.Upload(t, s.free, s.room, "a.txt", []byte("same"))
	del := func() {
		if _, err := s.w.Svc.DeleteFile(workroomtest.As(s.client), s.room, "a.txt"); err != nil {
			t.Fatal(err)
		}
	}
	del()
	sweep(t, s.w) // finds it unused
	s.w.Advance(workroom.BlobGrace / 2)
	s.w.Upload(t, s.free, s.room, "a.txt", []byte("same")) // used again
	s.w.Advance(time.Minute)
	del()
	s.w.Advance(workroom.BlobGrace / 2)
	if rep := sweep(t, s.w); len(rep.Blobs) != 0 || s.blobCount(t) != 1 {
		t.Fatalf("removed a blob used %s ago: %v", workroom.BlobGrace/2, rep.Blobs)
	}
	s.w.Advance(workroom.BlobGrace)
	if rep := sweep(t, s.w); len(rep.Blobs) != 1 {
		t.Fatalf("blob unused for a whole grace kept: %v", rep.Blobs)
	}
}

// A crash between storing a blob and recording its version leaves a blob
// nothing refers to; the sweep takes it after the grace.
func TestSweep_OrphanBlobCollectedAfterGrace(t *testing.T) {
	s := newFileScene(t)
	tmp, err := s.w.Blobs.CreateTemp()
	if err != nil {
		t.Fatal(err)
	}
	tmp.Close()
	orphan := "ab" + strings.Repeat("0", 62)
	if err := s.w.Blobs.Put(tmp.Name(), orphan); err != nil {
		t.Fatal(err)
	}
	if rep := sweep(t, s.w); len(rep.Blobs) != 0 {
		t.Fatalf("collected at once: %v", rep.Blobs)
	}
	s.w.Advance(workroom.BlobGrace)
	if rep := sweep(t, s.w); !slices.Equal(rep.Blobs, []string{orphan}) || s.blobCount(t) != 0 {
		t.Fatalf("collected %v, %d left", rep.Blobs, s.blobCount(t))
	}
}

func TestAdminSweep_RefusedToOthers(t *testing.T) {
	s := newFileScene(t)
	_, err := s.w.Svc.AdminSweep(workroomtest.As(s.client))
	wantCode(t, err, workroom.EFORBIDDEN)
}

// A refused upload removes the blob it stored only when the blob is its
// own: content that was already there (maybe in a backup's snapshot)
// waits for the sweep.
func TestUpload_RefusedDuplicateLeavesAnExistingBlobToTheSweep(t *testing.T) {
	s := newFileScene(t)
	s.w.Upload(t, s.free, s.room, "a.txt", []byte("X"))
	if _, err := s.w.Svc.DeleteFile(workroomtest.As(s.free), s.room, "a.txt"); err != nil {
		t.Fatal(err)
	}
	// refusedAtCommit uploads data as c.txt, refused only at commit: a
	// c.txt appears while it is written.
	refusedAtCommit := func(data string) {
		t.Helper()
		ctx := workroomtest.As(s.free)
		up, err := s.w.Svc.StartUpload(ctx, s.room, "c.txt", workroom.UploadOptions{OnConflict: workroom.ConflictCancel})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := up.WriteAt([]byte(data), 0); err != nil {
			t.Fatal(err)
		}
		s.w.Upload(t, s.client, s.room, "c.txt", []byte("Y"))
		_, err = up.Commit(ctx)
		wantCode(t, err, workroom.ECONFLICT)
		if _, err := s.w.Svc.DeleteFile(workroomtest.As(s.client), s.room, "c.txt"); err != nil {
			t.Fatal(err)
		}
	}
	refusedAtCommit("X")
	if n := s.blobCount(t); n != 2 {
		t.Fatalf("%d blobs after the refused upload, want X kept for the sweep, and Y", n)
	}
	refusedAtCommit("Z new")
	if n := s.blobCount(t); n != 2 {
		t.Fatalf("%d blobs: a refused upload of new content left its blob", n)
	}
}

// The bytes of a completed room's job/ and proposal/ files go too: the
// job post and the hired proposal let go of them with the room.
func TestSweep_IdleRoomsAwardFilesLeaveNoBlob(t *testing.T) {
	w := workroomtest.New(t)
	client, free := w.SignUp(t, "Carol"), w.SignUp(t, "Fred")
	j, err := w.Svc.PostJob(workroomtest.As(client), "Logo", "")
	if err != nil {
		t.Fatal(err)
	}
	up, err := w.Svc.StartJobAttachment(workroomtest.As(client), j.ID, "brief.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up.WriteAt([]byte("the brief"), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := up.Commit(workroomtest.As(client)); err != nil {
		t.Fatal(err)
	}
	p, err := w.Svc.Propose(workroomtest.As(free), j.ID, "me")
	if err != nil {
		t.Fatal(err)
	}
	attachToProposal(t, w, free, p.ID, "cv.pdf", []byte("my cv"))
	r, err := w.Svc.Award(workroomtest.As(client), j.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Svc.Complete(workroomtest.As(client), r.ID); err != nil {
		t.Fatal(err)
	}
	w.Advance(w.Now().AddDate(0, workroom.IdleCompletedRoomMonths, 0).Sub(w.Now()))
	if rep := sweep(t, w); len(rep.Rooms) != 1 || len(rep.Rooms[0].Files) != 2 {
		t.Fatalf("sweep = %+v, want the room's job/ and proposal/ files", rep.Rooms)
	}
	w.Advance(workroom.BlobGrace)
	if rep := sweep(t, w); len(rep.Blobs) != 2 {
		t.Fatalf("blobs removed a grace later: %v, want the brief's and the cv's", rep.Blobs)
	}
}
