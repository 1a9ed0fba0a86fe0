package postgres_test

import (
	"bytes"
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
