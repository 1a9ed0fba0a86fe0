package command

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/workroomtest"
)

func TestComplete_ClientMarksTheRoomCompleteAndRoomsShowsIt(t *testing.T) {
	w := newWorld(t)
	carol, fred := w.signUp("Carol"), w.signUp("Fred")
	room := itoa(w.awardedRoom(carol, fred, "Logo"))

	refused(t, w.run(fred, "", "complete", room), "a freelancer of this workroom cannot mark the job complete")
	sam := w.signUp("Sam")
	refused(t, w.run(sam, "", "complete", room), "no such workroom: "+room)

	out := w.ok(carol, "complete", room)
	if !strings.HasPrefix(out, "Workroom "+room+" marked complete.") {
		t.Fatalf("complete printed %q", out)
	}
	if rooms := w.ok(fred, "rooms"); !strings.Contains(rooms, "Logo (completed ") {
		t.Fatalf("rooms does not show the room completed:\n%s", rooms)
	}
	page := decode[workroom.RoomPage](t, w.ok(fred, "rooms", "--json"))
	if page.Rooms[0].Completed.IsZero() {
		t.Fatalf("rooms --json lacks the completion: %+v", page.Rooms[0])
	}
	if msgs := w.ok(fred, "messages", room); !strings.Contains(msgs, "Carol marked the job complete") {
		t.Fatalf("no completion notice in the messages:\n%s", msgs)
	}
	refused(t, w.run(carol, "", "complete", room), "already marked complete")
}

// adminWorld is a world with an administrator and two people.
func adminWorld(t *testing.T) (w *world, admin, ada, bob workroom.Key) {
	admin, _ = newKey(t)
	w = newWorld(t, workroomtest.WithAdmins(admin.Fingerprint))
	w.ok(admin, "signup", "--name", "Admin", "--email", "admin@example.com")
	return w, admin, w.signUp("Ada"), w.signUp("Bob")
}

func TestAdminUsers_ListsAccountsPagedForAdministratorsOnly(t *testing.T) {
	w, admin, _, bob := adminWorld(t)
	refused(t, w.run(bob, "", "admin", "users"), "only an administrator may list the accounts")

	out := w.ok(admin, "admin", "users", "--limit", "2")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], "VERIFIED") || !strings.Contains(lines[1], "Bob") ||
		!strings.Contains(lines[2], "Ada") || !strings.HasPrefix(lines[3], "older accounts: admin users --limit 2 --before ") {
		t.Fatalf("admin users --limit 2:\n%s", out)
	}
	page := decode[workroom.UserPage](t, w.ok(admin, "admin", "users", "--json", "--limit", "2", "--before", itoa(uint64(2))))
	if len(page.Users) != 1 || page.Users[0].Name != "Admin" || page.Users[0].Keys != 1 || page.Before != 0 {
		t.Fatalf("second page = %+v", page)
	}
}

func TestAdminSweep_PrintsWhatItRemoved(t *testing.T) {
	w, admin, ada, bob := adminWorld(t)
	refused(t, w.run(bob, "", "admin", "sweep"), "only an administrator")
	if out := w.ok(admin, "admin", "sweep"); out != "Nothing to remove.\n" {
		t.Fatalf("admin sweep with nothing due printed %q", out)
	}
	room := itoa(w.awardedRoom(ada, bob, "Logo"))
	if r := w.run(bob, "old files", "put", room, "old.txt"); r.status != 0 {
		t.Fatalf("put: %+v", r)
	}
	w.ok(ada, "complete", room)
	w.Advance(400 * 24 * time.Hour)
	out := w.ok(admin, "admin", "sweep")
	if !strings.Contains(out, "workroom "+room+" (completed ") || !strings.Contains(out, "deleted 1 file(s), 1 version(s)") {
		t.Fatalf("admin sweep printed:\n%s", out)
	}
	w.Advance(workroom.BlobGrace)
	if out := w.ok(admin, "admin", "sweep"); !strings.HasPrefix(out, "blob ") || !strings.HasSuffix(out, ": unused for 24 hours, removed\n") {
		t.Fatalf("admin sweep a grace later printed %q, want the old file's blob", out)
	}
	rep := decode[workroom.SweepReport](t, w.ok(admin, "admin", "sweep", "--json"))
	if len(rep.Blobs)+len(rep.Rooms)+len(rep.Proposals) != 0 {
		t.Fatalf("a third sweep removed %+v", rep)
	}
}

func TestAdminBackup_WritesAStoreThatOpens(t *testing.T) {
	w, admin, ada, bob := adminWorld(t)
	refused(t, w.run(bob, "", "admin", "backup"), "only an administrator may take a backup")
	room := itoa(w.awardedRoom(ada, bob, "Logo"))
	w.ok(ada, "post", room, "in the backup")

	r := w.run(admin, "", "admin", "backup")
	if r.status != 0 || r.stderr != "" {
		t.Fatalf("admin backup: %d %q", r.status, r.stderr)
	}
	path := filepath.Join(t.TempDir(), "workroom.db")
	if err := os.WriteFile(path, []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatalf("the backup does not open as a store: %v", err)
	}
	defer db.Close()
	msgs, err := db.Page(t.Context(), workroom.RoomID(1), 0, 10)
	if err != nil || len(msgs) == 0 || msgs[0].Body != "in the backup" {
		t.Fatalf("restored newest message = %+v, %v", msgs, err)
	}
}

func TestAdminBackup_RefusesATerminal(t *testing.T) {
	w, admin, _, bob := adminWorld(t)
	run := func(key workroom.Key) result {
		id, err := w.Svc.Authenticate(t.Context(), key)
		if err != nil {
			t.Fatal(err)
		}
		id.Terminal = true
		var out, errb strings.Builder
		status := w.runner.Run(t.Context(), id, lineOf("admin", "backup"), strings.NewReader(""), &out, &errb)
		return result{status, out.String(), errb.String()}
	}
	if r := run(admin); r.status != 2 || r.stdout != "" || !strings.Contains(r.stderr, "run it without -t") {
		t.Fatalf("admin backup on a terminal: %+v", r)
	}
	if r := run(bob); r.status != 1 || !strings.Contains(r.stderr, "only an administrator may take a backup") {
		t.Fatalf("admin backup on a terminal by a non-admin: %+v", r)
	}
}

// backedUpElsewhere is the bbolt store answering Backup as the PostgreSQL
// store does: it takes no backups itself (RuleBackupElsewhere).
type backedUpElsewhere struct{ *store.DB }

func (backedUpElsewhere) Backup(ctx context.Context, w io.Writer) error {
	return new(postgres.DB).Backup(ctx, w) // its refusal touches no connection
}

func TestAdminBackup_PointsToPgDumpWhenTheStoreIsPostgres(t *testing.T) {
	admin, _ := newKey(t)
	w := newWorld(t, workroomtest.WithAdmins(admin.Fingerprint),
		workroomtest.WithStore(func(db *store.DB) workroom.Store { return backedUpElsewhere{db} }))
	w.ok(admin, "signup", "--name", "Admin", "--email", "admin@example.com")
	r := w.run(admin, "", "admin", "backup")
	refused(t, r, "back up the database with pg_dump, then copy the blob folder or bucket")
	if strings.Contains(w.logs.String(), `"level":"ERROR"`) {
		t.Fatalf("a backup refused by design was logged as an error: %s", w.logs)
	}
}
