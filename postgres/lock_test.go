package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/postgres/pgtest"
)

// These tests hold a transaction open halfway through a write, start
// another write that must wait for it, and let the first commit: what
// the second then stores shows whether it waited at the right lock.

var bg = context.Background()

// lockTestRoom opens a store with a room between ada (client) and bob.
func lockTestRoom(t *testing.T) (*DB, workroom.RoomID, workroom.UserID, workroom.UserID) {
	t.Helper()
	db, err := Open(bg, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	var ids []workroom.UserID
	for _, name := range []string{"ada", "bob"} {
		u := &workroom.User{Name: name, Email: name + "@example.com"}
		if err := db.CreateUser(bg, u, workroom.Key{Fingerprint: "SHA256:" + name}, workroom.Verification{}, nil); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	j := &workroom.Job{ClientID: ids[0], Title: "job", Status: workroom.JobOpen}
	p := &workroom.Proposal{FreelancerID: ids[1], Text: "me"}
	r := &workroom.Room{Title: "job"}
	err = db.CreateJob(bg, j)
	if err == nil {
		p.JobID, r.JobID = j.ID, j.ID
		err = db.CreateProposal(bg, p)
	}
	if err == nil {
		err = db.Award(bg, j.ID, p.ID, r, []workroom.Member{{UserID: ids[0], Role: workroom.RoleClient}, {UserID: ids[1], Role: workroom.RoleFreelancer}})
	}
	if err != nil {
		t.Fatal(err)
	}
	return db, r.ID, ids[0], ids[1]
}

// whileHeld runs first in a transaction, then second in a goroutine;
// once second waits for a lock, it commits first, and returns second's
// error.
func whileHeld(t *testing.T, db *DB, first func(pgx.Tx) error, second func() error) error {
	t.Helper()
	tx, err := db.pool.Begin(bg)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(bg) }()
	if err := first(tx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- second() }()
	deadline := time.Now().Add(10 * time.Second)
	for waiting := 0; waiting == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the second write never waited for a lock")
		}
		select {
		case err := <-done:
			t.Fatalf("the second write finished (%v) while the first held its rows", err)
		default:
		}
		if err := db.pool.QueryRow(bg, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(bg); err != nil {
		t.Fatal(err)
	}
	return <-done
}

// TestMarkRead_WaitsForAnAppendInFlight: a read mark given while an
// append is between its sequence and its commit counts that message: it
// marks it read, or counts it unread — never neither.
func TestMarkRead_WaitsForAnAppendInFlight(t *testing.T) {
	db, room, ada, bob := lockTestRoom(t)
	err := whileHeld(t, db, func(tx pgx.Tx) error {
		_, _, err := db.appendTx(bg, tx, &workroom.Message{RoomID: room, AuthorID: ada, Body: "in flight"}, nil)
		return err
	}, func() error {
		return db.MarkRead(bg, []workroom.ReadMark{{RoomID: room, UserID: bob, Upto: 100}})
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := db.Member(bg, room, bob)
	if err != nil {
		t.Fatal(err)
	}
	if m.LastRead+uint64(m.Unread) != 1 {
		t.Fatalf("bob read up to %d with %d unread; the room holds one message by ada", m.LastRead, m.Unread)
	}
}

// TestAppend_CountsAMemberAddedWhileItWaited: a member whose addition
// commits while an append waits for the room has that message counted
// unread, and is among the members the append returns.
func TestAppend_CountsAMemberAddedWhileItWaited(t *testing.T) {
	db, room, ada, _ := lockTestRoom(t)
	cy := &workroom.User{Name: "cy", Email: "cy@example.com"}
	if err := db.CreateUser(bg, cy, workroom.Key{Fingerprint: "SHA256:cy"}, workroom.Verification{}, nil); err != nil {
		t.Fatal(err)
	}
	var members []workroom.Member
	err := whileHeld(t, db, func(tx pgx.Tx) error {
		_, err := addMember(bg, tx, workroom.Member{RoomID: room, UserID: cy.ID, Role: workroom.RoleTeam})
		return err
	}, func() error {
		var err error
		_, members, err = db.AppendMessage(bg, &workroom.Message{RoomID: room, AuthorID: ada, Body: "hello cy"}, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 3 {
		t.Fatalf("the append returned %d members, want 3 (cy joined while it waited)", len(members))
	}
	m, err := db.Member(bg, room, cy.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.LastRead != 0 || m.Unread != 1 {
		t.Fatalf("cy read up to %d with %d unread; want 0 and the one message after joining", m.LastRead, m.Unread)
	}
}
