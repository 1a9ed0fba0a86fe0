package e2e_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestE2E_ClientAndFreelancerAwardAndTalk follows the README tour with the
// OpenSSH client: two people sign up with their own keys, one posts a job,
// the other proposes, the job is awarded, and they talk in the workroom.
func TestE2E_ClientAndFreelancerAwardAndTalk(t *testing.T) {
	srv := startServer(t)
	client, free, outsider := newUser(t, srv, "carla"), newUser(t, srv, "fred"), newUser(t, srv, "olga")

	// An unknown key may only sign up, and is told how.
	r := client.run("", "rooms")
	if r.code == 0 || !strings.Contains(r.stderr, "signup") {
		t.Fatalf("unknown key ran rooms: exit %d, stderr %q", r.code, r.stderr)
	}
	client.signUp()
	free.signUp()
	outsider.signUp()
	if who := client.ok("whoami"); !strings.Contains(who, "carla@example.com (verified)") {
		t.Fatalf("whoami = %q", who)
	}

	job := firstNumber(t, client.ok("job", "post", "--title", "Logo for a bakery", "--description", "A fox holding bread"))
	if open := free.ok("jobs", "--open"); !strings.Contains(open, "Logo for a bakery") {
		t.Fatalf("freelancer's open jobs = %q", open)
	}
	proposal := firstNumber(t, free.ok("propose", job, "--text", "I draw foxes"))
	if r := outsider.run("", "proposals", job); r.code == 0 {
		t.Fatalf("a freelancer listed another client's proposals: %q", r.stdout)
	}
	if props := client.ok("proposals", job); !strings.Contains(props, "I draw foxes") {
		t.Fatalf("client's proposals = %q", props)
	}
	room := firstNumber(t, client.ok("award", job, proposal))

	if rooms := free.ok("rooms"); !strings.Contains(rooms, "Logo for a bakery") || !strings.Contains(rooms, "freelancer") {
		t.Fatalf("freelancer's rooms = %q", rooms)
	}
	client.ok("post", room, "Welcome aboard!")
	if r := free.run("Thanks — here is my first sketch idea.\n", "post", room); r.code != 0 {
		t.Fatalf("post from stdin: exit %d: %s", r.code, r.stderr)
	}
	var rooms struct {
		Rooms []struct {
			ID     uint64 `json:"id"`
			Unread int    `json:"unread"`
		} `json:"rooms"`
	}
	if err := json.Unmarshal([]byte(client.ok("rooms", "--json")), &rooms); err != nil {
		t.Fatal(err)
	}
	if len(rooms.Rooms) != 1 || rooms.Rooms[0].Unread != 1 {
		t.Fatalf("client's rooms = %+v, want one room with Fred's message unread", rooms.Rooms)
	}
	msgs := client.ok("messages", room)
	first, second := strings.Index(msgs, "Thanks — here is my first sketch idea."), strings.Index(msgs, "Welcome aboard!")
	if first < 0 || second < 0 || first > second {
		t.Fatalf("messages not newest first:\n%s", msgs)
	}

	// An outsider gets the same answer for this room as for one that does
	// not exist.
	real, none := outsider.run("", "messages", room), outsider.run("", "messages", "987654")
	if real.code == 0 || real.code != none.code || strings.ReplaceAll(real.stderr, room, "N") != strings.ReplaceAll(none.stderr, "987654", "N") {
		t.Fatalf("outsider: real room (%d %q) vs missing room (%d %q)", real.code, real.stderr, none.code, none.stderr)
	}
	if r := outsider.run("", "post", room, "let me in"); r.code == 0 {
		t.Fatal("outsider posted into the room")
	}
}

// TestE2E_LongMessageIsRefusedWithReason posts a body over the limit with the
// OpenSSH client and expects the reason, one line, and a failing exit.
func TestE2E_LongMessageIsRefusedWithReason(t *testing.T) {
	srv := startServer(t)
	client, free := newUser(t, srv, "carla"), newUser(t, srv, "fred")
	client.signUp()
	free.signUp()
	job := firstNumber(t, client.ok("job", "post", "--title", "T"))
	room := firstNumber(t, client.ok("award", job, firstNumber(t, free.ok("propose", job, "--text", "p"))))
	r := client.run(strings.Repeat("x", 20001), "post", room)
	if r.code == 0 || !strings.Contains(r.stderr, "20000") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Fatalf("overlong post: exit %d, stderr %q", r.code, r.stderr)
	}
}
