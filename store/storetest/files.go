package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
)

// version is a version of n bytes whose content is named sum.
func version(sum string, n int64, by *workroom.User) workroom.Version {
	return workroom.Version{Size: n, SHA256: sum, UploaderID: by.ID, Uploaded: t0, ModTime: t0}
}

func commit(s workroom.Store, r *workroom.Room, path string, v workroom.Version) (*workroom.File, bool, error) {
	return s.CommitVersion(ctx, workroom.VersionCommit{Room: r.ID, Path: path, Version: v, DefaultQuota: 1000})
}

func used(t *testing.T, s workroom.Store, r *workroom.Room) int64 {
	t.Helper()
	u, err := s.Usage(ctx, r.ID, 1000)
	must(t, err)
	return u.Used
}

func testFileVersions(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	f, added, err := commit(s, r, "a/b.txt", version("s1", 10, bob))
	must(t, err)
	if !added || f.Latest().N != 1 {
		t.Fatalf("first commit = %+v, %v", f, added)
	}
	f, added, err = commit(s, r, "a/b.txt", version("s1", 10, bob))
	must(t, err)
	if added || len(f.Versions) != 1 {
		t.Fatalf("identical bytes added a version: %+v", f)
	}
	f, _, err = commit(s, r, "a/b.txt", version("s2", 20, ada))
	must(t, err)
	if len(f.Versions) != 2 || f.Latest().N != 2 {
		t.Fatalf("second version = %+v", f)
	}
	_, _, err = commit(s, r, "c.txt", version("s1", 10, bob)) // same content elsewhere
	must(t, err)
	if got := used(t, s, r); got != 30 {
		t.Fatalf("used = %d, want 30 (identical content once)", got)
	}
	_, _, err = s.CommitVersion(ctx, workroom.VersionCommit{Room: r.ID, Path: "c.txt", Version: version("s3", 1, bob), DefaultQuota: 1000, IfAbsent: true})
	wantRefusal(t, err, workroom.ECONFLICT, workroom.RuleFileExists)
	_, _, err = commit(s, r, "a", version("s4", 1, bob))
	wantRefusal(t, err, workroom.ECONFLICT, workroom.RuleNotAFile)
	_, _, err = commit(s, r, "c.txt/d.txt", version("s4", 1, bob))
	wantRefusal(t, err, workroom.ECONFLICT, workroom.RuleNotAFile)
	_, _, err = commit(s, r, "big.bin", version("s5", 971, bob))
	wantRefusal(t, err, workroom.ELIMIT, workroom.RuleQuota)
	if got := used(t, s, r); got != 30 {
		t.Fatalf("a refused commit changed usage to %d", got)
	}
	files, err := s.Files(ctx, r.ID, "", all)
	must(t, err)
	if len(files) != 2 || files[0].Path != "a/b.txt" || files[1].Path != "c.txt" {
		t.Fatalf("Files = %+v", files)
	}
	page, err := s.Files(ctx, r.ID, "a/b.txt", all)
	must(t, err)
	if len(page) != 1 || page[0].Path != "c.txt" {
		t.Fatalf("Files after a/b.txt = %+v", page)
	}
	folders, err := s.Folders(ctx, r.ID)
	must(t, err)
	if fmt.Sprint(folders) != "[a]" {
		t.Fatalf("Folders = %v", folders)
	}
	must(t, s.SetQuota(ctx, r.ID, 5000))
	u, err := s.Usage(ctx, r.ID, 1000)
	must(t, err)
	if u.Quota != 5000 {
		t.Fatalf("quota = %d after SetQuota", u.Quota)
	}
	_, err = s.Usage(ctx, r.ID+99, 1000)
	wantCode(t, err, workroom.ENOTFOUND)
}

func testDeleteAndBlobs(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	_, _, err := commit(s, r, "x.txt", version("shared", 5, bob))
	must(t, err)
	_, _, err = commit(s, r, "x.txt", version("adas", 7, ada))
	must(t, err)
	_, _, err = commit(s, r, "y.txt", version("shared", 5, bob))
	must(t, err)
	_, err = s.DeleteFile(ctx, r.ID, "x.txt", bob.ID)
	wantRefusal(t, err, workroom.EFORBIDDEN, workroom.RuleNotYourFile)
	f, err := s.DeleteFile(ctx, r.ID, "x.txt", 0)
	must(t, err)
	if len(f.Versions) != 2 {
		t.Fatalf("deleted %+v", f)
	}
	if got := used(t, s, r); got != 5 {
		t.Fatalf("used = %d after delete, want 5", got)
	}
	for sum, want := range map[string]bool{"shared": true, "adas": false} {
		inUse, err := s.BlobUsed(ctx, sum)
		must(t, err)
		if inUse != want {
			t.Fatalf("BlobUsed(%s) = %v, want %v", sum, inUse, want)
		}
	}
	_, err = s.DeleteFile(ctx, r.ID, "x.txt", 0)
	wantCode(t, err, workroom.ENOTFOUND)
}

func testRenameAndFolders(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	_, _, err := commit(s, r, "doc.txt", version("v1", 3, bob))
	must(t, err)
	_, _, err = commit(s, r, "doc.txt.partial", version("v2", 4, bob))
	must(t, err)
	f, err := s.RenameFile(ctx, r.ID, "doc.txt.partial", "doc.txt", bob.ID)
	must(t, err)
	if len(f.Versions) != 2 || f.Latest().SHA256 != "v2" || f.Latest().N != 2 {
		t.Fatalf("rename onto a name = %+v", f)
	}
	if got := used(t, s, r); got != 7 {
		t.Fatalf("used = %d, want 7", got)
	}
	f, err = s.RenameFile(ctx, r.ID, "doc.txt", "old/doc.txt", 0)
	must(t, err)
	if f.Path != "old/doc.txt" || len(f.Versions) != 2 {
		t.Fatalf("move = %+v", f)
	}
	_, err = s.File(ctx, r.ID, "doc.txt")
	wantCode(t, err, workroom.ENOTFOUND)

	must(t, s.CreateFolder(ctx, workroom.Folder{RoomID: r.ID, Path: "empty", Created: t0}))
	wantRefusal(t, s.CreateFolder(ctx, workroom.Folder{RoomID: r.ID, Path: "empty", Created: t0}), workroom.ECONFLICT, workroom.RuleFileExists)
	wantRefusal(t, s.RemoveFolder(ctx, r.ID, "old"), workroom.ECONFLICT, workroom.RuleFolderNotEmpty)
	must(t, s.RemoveFolder(ctx, r.ID, "empty"))
	wantCode(t, s.RemoveFolder(ctx, r.ID, "empty"), workroom.ENOTFOUND)
}

// testQuotaRace commits in parallel versions that fit the quota alone
// and not together: never all of them succeed, and the usage is exactly
// what was recorded.
func testQuotaRace(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	const n, size = 8, 300 // quota 1000: three fit
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := commit(s, r, fmt.Sprintf("f%d.bin", i), version(fmt.Sprintf("sum%d", i), size, bob))
			if err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			} else if workroom.ErrorRule(err) != workroom.RuleQuota {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok != 3 {
		t.Fatalf("%d of %d parallel commits succeeded, want 3 (quota 1000, %d bytes each)", ok, n, size)
	}
	if got := used(t, s, r); got != 3*size {
		t.Fatalf("used = %d, want %d", got, 3*size)
	}
}

func testAttachmentsAtAward(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	j := &workroom.Job{ClientID: ada.ID, Title: "job", Status: workroom.JobOpen, Created: t0}
	must(t, s.CreateJob(ctx, j))
	must(t, s.AttachToJob(ctx, j.ID, workroom.Attachment{Path: "brief.pdf", Version: version("brief", 11, ada)}, 2))
	wantRefusal(t, s.AttachToJob(ctx, j.ID, workroom.Attachment{Path: "brief.pdf", Version: version("other", 1, ada)}, 2), workroom.ECONFLICT, workroom.RuleFileExists)
	must(t, s.AttachToJob(ctx, j.ID, workroom.Attachment{Path: "logo.png", Version: version("logo", 5, ada)}, 2))
	wantRefusal(t, s.AttachToJob(ctx, j.ID, workroom.Attachment{Path: "more.png", Version: version("more", 1, ada)}, 2), workroom.ELIMIT, workroom.RuleTooManyAttachments)
	p := &workroom.Proposal{JobID: j.ID, FreelancerID: bob.ID, Text: "me", Created: t0}
	must(t, s.CreateProposal(ctx, p))
	must(t, s.AttachToProposal(ctx, p.ID, workroom.Attachment{Path: "portfolio.pdf", Version: version("brief", 11, bob)}, 10))
	r := &workroom.Room{JobID: j.ID, Title: "job", Created: t0}
	must(t, s.Award(ctx, j.ID, p.ID, r, []workroom.Member{{UserID: ada.ID, Role: workroom.RoleClient}, {UserID: bob.ID, Role: workroom.RoleFreelancer}}))
	files, err := s.Files(ctx, r.ID, "", all)
	must(t, err)
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
	}
	if fmt.Sprint(paths) != "[job/brief.pdf job/logo.png proposal/portfolio.pdf]" {
		t.Fatalf("room files after award = %v", paths)
	}
	if got := used(t, s, r); got != 16 {
		t.Fatalf("used = %d, want 16 (identical content once)", got)
	}
	wantRefusal(t, s.AttachToJob(ctx, j.ID, workroom.Attachment{Path: "late.pdf", Version: version("late", 1, ada)}, 10), workroom.ECONFLICT, workroom.RuleJobClosed)
	as, err := s.JobAttachments(ctx, j.ID)
	must(t, err)
	if len(as) != 2 {
		t.Fatalf("JobAttachments = %+v", as)
	}
}

// testSetModTime: a client's time (SFTP setstat) goes on the latest
// version only, is read back, and needs a file at the path.
func testSetModTime(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	_, _, err := commit(s, r, "a/b.txt", version("s1", 10, bob))
	must(t, err)
	_, _, err = commit(s, r, "a/b.txt", version("s2", 20, bob))
	must(t, err)
	when := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	f, err := s.SetModTime(ctx, r.ID, "a/b.txt", when)
	must(t, err)
	if !f.Latest().ModTime.Equal(when) {
		t.Fatalf("SetModTime returned %v, want %v", f.Latest().ModTime, when)
	}
	got, err := s.File(ctx, r.ID, "a/b.txt")
	must(t, err)
	old, latest := got.Versions[0], got.Latest()
	if !latest.ModTime.Equal(when) || !latest.Uploaded.Equal(t0) || latest.Size != 20 || latest.N != 2 {
		t.Fatalf("latest after SetModTime = %+v, want only its time changed", latest)
	}
	if !old.ModTime.Equal(t0) {
		t.Fatalf("an older version's time changed to %v", old.ModTime)
	}
	_, err = s.SetModTime(ctx, r.ID, "a/missing.txt", when)
	wantCode(t, err, workroom.ENOTFOUND)
	_, err = s.SetModTime(ctx, r.ID, "a", when) // a folder, no file
	wantCode(t, err, workroom.ENOTFOUND)
}
