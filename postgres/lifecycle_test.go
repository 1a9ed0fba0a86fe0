package postgres_test

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
	"github.com/workroom/workroom/store/storetest"
	"github.com/workroom/workroom/workroomtest"
)

func TestContractLifecycle(t *testing.T) {
	storetest.RunLifecycle(t, open, noRestore)
}

// noRestore is never called: Backup refuses (RuleBackupElsewhere), and
// the suite skips its round trip.
func noRestore(t *testing.T, _ []byte) workroom.Store {
	t.Fatal("a PostgreSQL store is restored from pg_dump, not from Backup")
	return nil
}

// TestBackup_RefusesNamingPgDumpAndTheBlobs: admin backup cannot write a
// PostgreSQL database; the refusal says what to run instead.
func TestBackup_RefusesNamingPgDumpAndTheBlobs(t *testing.T) {
	s := open(t)
	var buf bytes.Buffer
	err := s.Backup(ctx, &buf)
	if workroom.ErrorRule(err) != workroom.RuleBackupElsewhere || buf.Len() != 0 {
		t.Fatalf("Backup = %v, wrote %d bytes; want a refusal (%s) and nothing written", err, buf.Len(), workroom.RuleBackupElsewhere)
	}
	msg := workroom.ErrorMessage(err)
	for _, want := range []string{"pg_dump", "blob folder or bucket"} {
		if !strings.Contains(msg, want) {
			t.Fatalf("the refusal %q does not mention %q", msg, want)
		}
	}
}

// fixtureRoom makes, with SQL alone, a user, a job and its room, and
// returns the room's id: for tests of the file area that need nothing
// else of the store.
func fixtureRoom(t *testing.T, conn *pgx.Conn) workroom.RoomID {
	t.Helper()
	var room workroom.RoomID
	err := conn.QueryRow(ctx, `
		WITH u AS (INSERT INTO users (name, email, email_key, created) VALUES ('ada', 'ada@example.com', 'ada@example.com', now()) RETURNING id),
		j AS (INSERT INTO jobs (client_id, client_name, title, status, created) SELECT id, 'ada', 'job', 'awarded', now() FROM u RETURNING id)
		INSERT INTO rooms (job_id, title, created, last_activity, activity) SELECT id, 'job', now(), now(), nextval('room_activity') FROM j RETURNING id`).Scan(&room)
	if err != nil {
		t.Fatal(err)
	}
	return room
}

// TestBlobUnusedSince_WaitsForAReferenceUnderWay: a transaction that is
// referring to a blob (a version being recorded) holds off the finding
// that the blob is unused until it commits, so the finding never
// outlives the reference.
func TestBlobUnusedSince_WaitsForAReferenceUnderWay(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	room := fixtureRoom(t, conn)

	// A reference under way: referred to, not yet recorded.
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `SELECT blob_referenced('blob')`); err != nil {
		t.Fatal(err)
	}
	found := make(chan time.Time, 1)
	go func() {
		since, err := db.BlobUnusedSince(ctx, "blob", time.Now())
		if err != nil {
			t.Error(err)
		}
		found <- since
	}()
	workroomtest.WaitUntil(t, "BlobUnusedSince waits for the blob's lock", func() bool {
		var waiting int
		err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&waiting)
		return err == nil && waiting == 1
	})
	select {
	case since := <-found:
		t.Fatalf("BlobUnusedSince answered %v while a reference was under way; want it to wait", since)
	default:
	}
	if _, err := tx.Exec(ctx, `INSERT INTO room_blobs (room_id, sha256, versions, size) VALUES ($1, 'blob', 1, 1)`, room); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case since := <-found:
		if !since.IsZero() {
			t.Fatalf("BlobUnusedSince = %v after the reference committed; want zero (used)", since)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("BlobUnusedSince still waits after the reference committed")
	}
}

// TestPgDump_RestoresAStoreThatOpensAndGoesOn follows the README's
// backup and restore for this mode: pg_dump of a live store, pg_restore
// into an empty database, and the store opened on it holds what was
// written and goes on from there.
func TestPgDump_RestoresAStoreThatOpensAndGoesOn(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ada := &workroom.User{Name: "ada", Email: "ada@example.com"}
	bob := &workroom.User{Name: "bob", Email: "bob@example.com"}
	for _, u := range []*workroom.User{ada, bob} {
		if err := db.CreateUser(ctx, u, workroom.Key{Fingerprint: "SHA256:" + u.Name, Authorized: "k"}, workroom.Verification{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	j := &workroom.Job{ClientID: ada.ID, Title: "job", Status: workroom.JobOpen}
	noError(t, db.CreateJob(ctx, j))
	p := &workroom.Proposal{JobID: j.ID, FreelancerID: bob.ID, Text: "me"}
	noError(t, db.CreateProposal(ctx, p))
	r := &workroom.Room{JobID: j.ID, Title: "job"}
	noError(t, db.Award(ctx, j.ID, p.ID, r, []workroom.Member{{UserID: ada.ID, Role: workroom.RoleClient}, {UserID: bob.ID, Role: workroom.RoleFreelancer}}))
	_, _, err = db.AppendMessage(ctx, &workroom.Message{RoomID: r.ID, AuthorID: ada.ID, Body: "in the dump"}, nil)
	noError(t, err)
	_, _, err = db.CommitVersion(ctx, workroom.VersionCommit{Room: r.ID, Path: "a.txt", DefaultQuota: 100,
		Version: workroom.Version{SHA256: "blob", Size: 7, UploaderID: bob.ID}})
	noError(t, err)

	dump := filepath.Join(t.TempDir(), "workroom.pgdump")
	run(t, "pg_dump", "--format=custom", "--file="+dump, url)
	restored := pgtest.NewDatabase(t)
	run(t, "pg_restore", "--no-owner", "--dbname="+restored, dump)

	got, err := postgres.Open(ctx, restored)
	if err != nil {
		t.Fatalf("the restored database does not open: %v", err)
	}
	t.Cleanup(func() { _ = got.Close() })
	if msgs, err := got.Page(ctx, r.ID, 0, 10); err != nil || len(msgs) != 1 || msgs[0].Body != "in the dump" {
		t.Fatalf("restored messages = %+v, %v", msgs, err)
	}
	if f, err := got.File(ctx, r.ID, "a.txt"); err != nil || f.Latest().SHA256 != "blob" {
		t.Fatalf("restored file = %+v, %v", f, err)
	}
	if u, err := got.Usage(ctx, r.ID, 100); err != nil || u.Used != 7 {
		t.Fatalf("restored usage = %+v, %v; want 7 used", u, err)
	}
	m := &workroom.Message{RoomID: r.ID, AuthorID: bob.ID, Body: "after the restore"}
	_, _, err = got.AppendMessage(ctx, m, nil)
	noError(t, err)
	if m.ID != 2 {
		t.Fatalf("the first message after the restore got ID %d, want 2", m.ID)
	}
	// The restored sequences go on too: a new user gets a new id.
	cy := &workroom.User{Name: "cy", Email: "cy@example.com"}
	noError(t, got.CreateUser(ctx, cy, workroom.Key{Fingerprint: "SHA256:cy", Authorized: "k"}, workroom.Verification{}, nil))
	if cy.ID <= bob.ID {
		t.Fatalf("a user made after the restore got id %d, not above %d", cy.ID, bob.ID)
	}
}

func noError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// run runs one of PostgreSQL's client programs.
func run(t *testing.T, program string, args ...string) {
	t.Helper()
	out, err := exec.Command(filepath.Join(pgtest.BinDir(), program), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", program, err, out)
	}
}
