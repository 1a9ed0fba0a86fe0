package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
)

// Restore opens the snapshot a store's Backup wrote as a store of its
// own; the suite closes nothing, so register cleanup in it.
type Restore func(t *testing.T, snapshot []byte) workroom.Store

// RunLifecycle runs the contract of completion, retention, the user list
// and backup (workroom.LifecycleStore).
func RunLifecycle(t *testing.T, open Open, restore Restore) {
	t.Run("CompleteOnce", func(t *testing.T) { testCompleteOnce(t, open(t)) })
	t.Run("LastActivityCountsUploads", func(t *testing.T) { testLastActivity(t, open(t)) })
	t.Run("DropRoomFilesUnlessActive", func(t *testing.T) { testDropRoomFiles(t, open(t)) })
	t.Run("DropRoomFilesTakesTheAwardsAttachments", func(t *testing.T) { testDropRoomAttachments(t, open(t)) })
	t.Run("UnhiredProposalFiles", func(t *testing.T) { testUnhiredProposalFiles(t, open(t)) })
	t.Run("BlobUnusedSince", func(t *testing.T) { testBlobUnusedSince(t, open(t)) })
	t.Run("UsersPaged", func(t *testing.T) { testUsersPaged(t, open(t)) })
	t.Run("BackupOpensAndHoldsWhatWasWritten", func(t *testing.T) { testBackup(t, open(t), restore) })
}

func testCompleteOnce(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	at := t0.Add(time.Hour)
	got, err := s.CompleteRoom(ctx, r.ID, at)
	must(t, err)
	if !got.Completed.Equal(at) {
		t.Fatalf("completed = %v, want %v", got.Completed, at)
	}
	again, err := s.CompleteRoom(ctx, r.ID, at.Add(time.Hour))
	wantRefusal(t, err, workroom.ECONFLICT, workroom.RuleCompleted)
	if !again.Completed.Equal(at) {
		t.Fatalf("second completion returned %v, want the first, %v", again.Completed, at)
	}
	_, err = s.CompleteRoom(ctx, r.ID+99, at)
	wantCode(t, err, workroom.ENOTFOUND)
	other := newRoom(t, s, ada, bob)
	rooms, err := s.CompletedRooms(ctx)
	must(t, err)
	if len(rooms) != 1 || rooms[0].ID != r.ID || rooms[0].ID == other.ID {
		t.Fatalf("CompletedRooms = %+v, want only room %d", rooms, r.ID)
	}
}

func testLastActivity(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	last, err := s.LastActivity(ctx, r.ID)
	must(t, err)
	if !last.Equal(t0) {
		t.Fatalf("LastActivity of a new room = %v, want the award, %v", last, t0)
	}
	v := version("a", 1, bob)
	v.Uploaded = t0.Add(48 * time.Hour)
	_, _, err = commit(s, r, "a.txt", v)
	must(t, err)
	if last, _ = s.LastActivity(ctx, r.ID); !last.Equal(v.Uploaded) {
		t.Fatalf("LastActivity = %v, want the upload, %v", last, v.Uploaded)
	}
	_, err = s.CompleteRoom(ctx, r.ID, t0.Add(72*time.Hour))
	must(t, err)
	if last, _ = s.LastActivity(ctx, r.ID); !last.Equal(t0.Add(72 * time.Hour)) {
		t.Fatalf("LastActivity = %v, want the completion", last)
	}
	// A to-do change is activity too (SPEC: "messages, uploads, meeting,
	// to-do change").
	changed := t0.Add(96 * time.Hour)
	must(t, s.AddTodo(ctx, &workroom.Todo{RoomID: r.ID, Text: "invoice", CreatedBy: ada.ID, Created: changed, Updated: changed, UpdatedBy: ada.ID}, 10))
	if last, _ = s.LastActivity(ctx, r.ID); !last.Equal(changed) {
		t.Fatalf("LastActivity = %v, want the to-do change, %v", last, changed)
	}
}

func testDropRoomFiles(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	for i, p := range []string{"a.txt", "a.txt", "docs/b.txt"} {
		_, _, err := commit(s, r, p, version(fmt.Sprint("sum", i), 10, bob))
		must(t, err)
	}
	must(t, s.CreateFolder(ctx, workroom.Folder{RoomID: r.ID, Path: "empty"}))
	v := version("late", 1, bob)
	v.Uploaded = t0.Add(time.Hour)
	_, _, err := commit(s, r, "late.txt", v)
	must(t, err)
	_, err = s.DropRoomFiles(ctx, r.ID, t0)
	wantRefusal(t, err, workroom.ECONFLICT, workroom.RuleRoomActive)
	if files, _ := s.Files(ctx, r.ID, "", all); len(files) != 3 {
		t.Fatalf("a refused drop removed files: %d left", len(files))
	}
	files, err := s.DropRoomFiles(ctx, r.ID, t0.Add(time.Hour))
	must(t, err)
	if len(files) != 3 || len(files[0].Versions) != 2 {
		t.Fatalf("dropped %+v, want 3 files, the first with 2 versions", files)
	}
	if left, _ := s.Files(ctx, r.ID, "", all); len(left) != 0 {
		t.Fatalf("files left: %+v", left)
	}
	if folders, _ := s.Folders(ctx, r.ID); len(folders) != 0 {
		t.Fatalf("folders left: %v", folders)
	}
	if got := used(t, s, r); got != 0 {
		t.Fatalf("used = %d after the drop", got)
	}
	for _, sum := range []string{"sum0", "sum1", "sum2", "late"} {
		if u, _ := s.BlobUsed(ctx, sum); u {
			t.Fatalf("blob %s still used", sum)
		}
	}
}

func testDropRoomAttachments(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	j := &workroom.Job{ClientID: ada.ID, Title: "job", Status: workroom.JobOpen, Created: t0}
	must(t, s.CreateJob(ctx, j))
	must(t, s.AttachToJob(ctx, j.ID, workroom.Attachment{Path: "brief.pdf", Version: version("brief", 11, ada)}, 10))
	p := &workroom.Proposal{JobID: j.ID, FreelancerID: bob.ID, Text: "me", Created: t0}
	must(t, s.CreateProposal(ctx, p))
	must(t, s.AttachToProposal(ctx, p.ID, workroom.Attachment{Path: "cv.pdf", Version: version("cv", 5, bob)}, 10))
	r := &workroom.Room{JobID: j.ID, Title: "job", Created: t0, LastActivity: t0}
	must(t, s.Award(ctx, j.ID, p.ID, r, []workroom.Member{{UserID: ada.ID, Role: workroom.RoleClient}, {UserID: bob.ID, Role: workroom.RoleFreelancer}}))
	files, err := s.DropRoomFiles(ctx, r.ID, t0)
	must(t, err)
	if len(files) != 2 {
		t.Fatalf("dropped %+v, want job/brief.pdf and proposal/cv.pdf", files)
	}
	for _, sum := range []string{"brief", "cv"} {
		if u, _ := s.BlobUsed(ctx, sum); u {
			t.Fatalf("blob %s still used: the job's or proposal's attachment holds it", sum)
		}
	}
	if as, _ := s.JobAttachments(ctx, j.ID); len(as) != 0 {
		t.Fatalf("job attachments left: %+v", as)
	}
	if as, _ := s.ProposalAttachments(ctx, p.ID); len(as) != 0 {
		t.Fatalf("proposal attachments left: %+v", as)
	}
}

func testUnhiredProposalFiles(t *testing.T, s workroom.Store) {
	ada, bob, cyd := newUser(t, s, "ada"), newUser(t, s, "bob"), newUser(t, s, "cyd")
	j := &workroom.Job{ClientID: ada.ID, Title: "job", Status: workroom.JobOpen, Created: t0}
	must(t, s.CreateJob(ctx, j))
	hired := &workroom.Proposal{JobID: j.ID, FreelancerID: bob.ID, Text: "me", Created: t0}
	must(t, s.CreateProposal(ctx, hired))
	other := &workroom.Proposal{JobID: j.ID, FreelancerID: cyd.ID, Text: "me too", Created: t0}
	must(t, s.CreateProposal(ctx, other))
	must(t, s.AttachToProposal(ctx, hired.ID, workroom.Attachment{Path: "p.pdf", Version: version("hired", 3, bob)}, 10))
	must(t, s.AttachToProposal(ctx, other.ID, workroom.Attachment{Path: "s.png", Version: version("other", 4, cyd)}, 10))
	if list, err := s.UnhiredProposalFiles(ctx); err != nil || len(list) != 0 {
		t.Fatalf("before the award: %+v, %v", list, err)
	}
	awarded := t0.Add(time.Hour)
	r := &workroom.Room{JobID: j.ID, Title: "job", Created: awarded, LastActivity: awarded}
	must(t, s.Award(ctx, j.ID, hired.ID, r, []workroom.Member{{UserID: ada.ID, Role: workroom.RoleClient}, {UserID: bob.ID, Role: workroom.RoleFreelancer}}))
	list, err := s.UnhiredProposalFiles(ctx)
	must(t, err)
	if len(list) != 1 || list[0].ProposalID != other.ID || list[0].JobID != j.ID || !list[0].Awarded.Equal(awarded) || len(list[0].Files) != 1 {
		t.Fatalf("UnhiredProposalFiles = %+v, want proposal %d awarded at %v", list, other.ID, awarded)
	}
	dropped, err := s.DropProposalFiles(ctx, other.ID)
	must(t, err)
	if len(dropped) != 1 || dropped[0].Path != "s.png" {
		t.Fatalf("dropped %+v", dropped)
	}
	if u, _ := s.BlobUsed(ctx, "other"); u {
		t.Fatal("the dropped file's blob is still used")
	}
	if u, _ := s.BlobUsed(ctx, "hired"); !u {
		t.Fatal("the hired proposal's blob is not used")
	}
	if list, _ := s.UnhiredProposalFiles(ctx); len(list) != 0 {
		t.Fatalf("after the drop: %+v", list)
	}
}

func testBlobUnusedSince(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	_, _, err := commit(s, r, "a.txt", version("blob", 1, bob))
	must(t, err)
	if since, err := s.BlobUnusedSince(ctx, "blob", t0); err != nil || !since.IsZero() {
		t.Fatalf("a used blob: %v, %v; want zero", since, err)
	}
	_, err = s.DeleteFile(ctx, r.ID, "a.txt", 0)
	must(t, err)
	first := t0.Add(time.Hour)
	if since, _ := s.BlobUnusedSince(ctx, "blob", first); !since.Equal(first) {
		t.Fatalf("first finding = %v, want %v", since, first)
	}
	if since, _ := s.BlobUnusedSince(ctx, "blob", first.Add(time.Hour)); !since.Equal(first) {
		t.Fatalf("second finding = %v, want the first kept, %v", since, first)
	}
	// Used again and let go of again: the earlier finding is forgotten.
	_, _, err = commit(s, r, "b.txt", version("blob", 1, bob))
	must(t, err)
	_, err = s.DeleteFile(ctx, r.ID, "b.txt", 0)
	must(t, err)
	later := first.Add(2 * time.Hour)
	if since, _ := s.BlobUnusedSince(ctx, "blob", later); !since.Equal(later) {
		t.Fatalf("after being used again = %v, want a new finding, %v", since, later)
	}
	must(t, s.ForgetBlob(ctx, "blob"))
	if since, _ := s.BlobUnusedSince(ctx, "blob", later.Add(time.Hour)); !since.Equal(later.Add(time.Hour)) {
		t.Fatalf("after ForgetBlob = %v, want a new finding", since)
	}
}

func testUsersPaged(t *testing.T, s workroom.Store) {
	var want []uint64
	for i := range 5 {
		u := newUser(t, s, fmt.Sprint("user", i))
		want = append(want, uint64(u.ID))
	}
	got := walk(t, func(before uint64, limit int) ([]workroom.UserSummary, error) {
		return s.Users(ctx, workroom.UserID(before), limit)
	}, func(u workroom.UserSummary) uint64 { return uint64(u.ID) }, func(u workroom.UserSummary) uint64 { return uint64(u.ID) })
	if fmt.Sprint(got) != fmt.Sprint(descending(want)) {
		t.Fatalf("users paged = %v, want %v", got, descending(want))
	}
	page, err := s.Users(ctx, 0, 1)
	must(t, err)
	if page[0].Keys != 1 || page[0].Name != "user4" {
		t.Fatalf("newest user = %+v, want user4 with 1 key", page[0])
	}
}

// testBackup writes a snapshot and, while it is being written (from
// inside the writer the backup writes to), appends a message: the append
// must finish — writers go on during a backup — and must not be in the
// snapshot, which is the store as of one moment. A store whose own tools
// take its backups refuses (RuleBackupElsewhere), writing nothing: there
// is no snapshot to restore, and the round trip is skipped.
func testBackup(t *testing.T, s workroom.Store, restore Restore) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	for i := range 20 {
		post(t, s, r, ada, fmt.Sprint("before ", i))
	}
	_, _, err := commit(s, r, "a.txt", version("blob", 7, bob))
	must(t, err)

	w := &writeDuring{do: func() error {
		m := &workroom.Message{RoomID: r.ID, AuthorID: bob.ID, Body: "during", Source: workroom.SourceCommand, Created: t0}
		_, _, err := s.AppendMessage(ctx, m, nil)
		return err
	}}
	err = s.Backup(ctx, w)
	if workroom.ErrorRule(err) == workroom.RuleBackupElsewhere {
		// A store backed up with its own tools (PostgreSQL: pg_dump)
		// writes nothing and says what to run instead.
		var e *workroom.Error
		if w.buf.Len() != 0 || !errors.As(err, &e) || e.Message == "" {
			t.Fatalf("a refused backup wrote %d bytes and said %q; want nothing written and what to run instead", w.buf.Len(), workroom.ErrorMessage(err))
		}
		t.Skipf("the store is backed up with its own tools: %v", err)
	}
	must(t, err)
	if w.err != nil {
		t.Fatalf("a write during the backup: %v", w.err)
	}
	if live, _ := s.Page(ctx, r.ID, 0, 1); len(live) == 0 || live[0].Body != "during" {
		t.Fatalf("the write during the backup is not in the store: %+v", live)
	}

	got := restore(t, w.buf.Bytes())
	msgs, err := got.Page(ctx, r.ID, 0, all)
	must(t, err)
	if len(msgs) != 20 {
		t.Fatalf("restored %d messages, want the 20 written before the backup", len(msgs))
	}
	for i, m := range msgs {
		if want := fmt.Sprint("before ", 19-i); m.Body != want {
			t.Fatalf("restored message %d = %q, want %q", m.ID, m.Body, want)
		}
	}
	if f, err := got.File(ctx, r.ID, "a.txt"); err != nil || f.Latest().SHA256 != "blob" {
		t.Fatalf("restored file = %+v, %v", f, err)
	}
	if u, err := got.User(ctx, bob.ID); err != nil || u.Name != "bob" {
		t.Fatalf("restored user = %+v, %v", u, err)
	}
	// The restored store goes on from where the snapshot stood.
	m := &workroom.Message{RoomID: r.ID, AuthorID: ada.ID, Body: "after restore", Source: workroom.SourceCommand, Created: t0}
	_, _, err = got.AppendMessage(ctx, m, nil)
	must(t, err)
	if m.ID != 21 {
		t.Fatalf("first message after the restore got ID %d, want 21", m.ID)
	}
}

// writeDuring is a backup's destination that runs do, once, on the first
// write — while the backup is under way — giving it writeWait to finish.
type writeDuring struct {
	buf  bytes.Buffer
	do   func() error
	once sync.Once
	err  error
}

// writeWait is how long a write during a backup may take before the
// backup counts as blocking writers.
const writeWait = 5 * time.Second

func (w *writeDuring) Write(p []byte) (int, error) {
	w.once.Do(func() {
		done := make(chan error, 1)
		go func() { done <- w.do() }()
		select {
		case w.err = <-done:
		case <-time.After(writeWait):
			w.err = fmt.Errorf("still waiting after %s: the backup blocks writers", writeWait)
		}
	})
	return w.buf.Write(p)
}
