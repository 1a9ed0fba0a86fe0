package store_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
)

// A store written before the activity index existed gets it on open, in
// the order of the rooms' last activity.
func TestOpen_IndexesRoomActivityOfAnOlderStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "workroom.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ada := &workroom.User{Name: "ada", Email: "ada@example.com"}
	bob := &workroom.User{Name: "bob", Email: "bob@example.com"}
	for _, u := range []*workroom.User{ada, bob} {
		if err := db.CreateUser(ctx, u, workroom.Key{Fingerprint: "SHA256:" + u.Name, Authorized: "k " + u.Name}, workroom.Verification{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// Created in one order, last active in another: 2, 0, 1.
	activity := []time.Duration{2, 3, 1}
	var want []workroom.RoomID
	ids := make([]workroom.RoomID, 3)
	for i, d := range activity {
		j := &workroom.Job{ClientID: ada.ID, Title: fmt.Sprint(i), Status: workroom.JobOpen}
		p := &workroom.Proposal{FreelancerID: bob.ID}
		if err := db.CreateJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		p.JobID = j.ID
		if err := db.CreateProposal(ctx, p); err != nil {
			t.Fatal(err)
		}
		r := &workroom.Room{JobID: j.ID, LastActivity: t0.Add(d * time.Hour)}
		if err := db.Award(ctx, j.ID, p.ID, r, []workroom.Member{{UserID: ada.ID, Role: workroom.RoleClient}, {UserID: bob.ID, Role: workroom.RoleFreelancer}}); err != nil {
			t.Fatal(err)
		}
		ids[i] = r.ID
	}
	want = []workroom.RoomID{ids[1], ids[0], ids[2]}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Make it the older store: no index.
	raw, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("room_activity")) }); err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rooms, err := db.RoomsOf(ctx, bob.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []workroom.RoomID
	for _, r := range rooms {
		got = append(got, r.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("rooms after reindexing %v, want by last activity %v", got, want)
	}
}
