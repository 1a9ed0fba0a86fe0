package postgres_test

import (
	"context"
	neturl "net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
)

// TestStore_CallerGoneIsUnavailable: a request whose session ended
// before the database answered is EUNAVAILABLE, not an internal error,
// and stores nothing.
func TestStore_CallerGoneIsUnavailable(t *testing.T) {
	s := open(t)
	ada, bob := user(t, s, "ada", "ada@example.com"), user(t, s, "bob", "bob@example.com")
	r := room(t, s, ada, bob)
	gone, cancel := context.WithCancel(ctx)
	cancel()
	_, err := s.Member(gone, r.ID, ada.ID)
	wantCode(t, err, workroom.EUNAVAILABLE)
	_, _, err = s.AppendMessage(gone, &workroom.Message{RoomID: r.ID, AuthorID: ada.ID, Body: "half", Created: t0}, nil)
	wantCode(t, err, workroom.EUNAVAILABLE)
	wantCode(t, s.SetDisabled(gone, ada.ID, true), workroom.EUNAVAILABLE)
	if got, _ := s.Room(ctx, r.ID); got.LastSeq != 0 {
		t.Fatalf("an append after the caller left stored message %d", got.LastSeq)
	}
}

// TestStore_DatabaseOutOfReachIsUnavailable: when the database takes no
// connections, a request is EUNAVAILABLE (RuleCannotStore, "try again
// later"), as a full disk is for the embedded store; once it takes them
// again, requests go through.
func TestStore_DatabaseOutOfReachIsUnavailable(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(ctx, url+"&pool_max_conns=1")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ada := user(t, db, "ada", "ada@example.com")
	// The administrator's connection is to another database of the
	// cluster: a database's own connections cannot shut it.
	u, err := neturl.Parse(url)
	must(t, err)
	name := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	admin, err := pgx.Connect(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, `ALTER DATABASE `+name+` ALLOW_CONNECTIONS false`)
	must(t, err)
	_, err = admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, name)
	must(t, err)

	_, err = db.User(ctx, ada.ID)
	wantCode(t, err, workroom.EUNAVAILABLE)
	if workroom.ErrorRule(err) != workroom.RuleCannotStore {
		t.Fatalf("error %v has rule %q, want %q", err, workroom.ErrorRule(err), workroom.RuleCannotStore)
	}

	_, err = admin.Exec(ctx, `ALTER DATABASE `+name+` ALLOW_CONNECTIONS true`)
	must(t, err)
	if u, err := db.User(ctx, ada.ID); err != nil || u.Name != "ada" {
		t.Fatalf("once the database takes connections again: %+v, %v", u, err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := workroom.ErrorCode(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
}
