package sshd

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// TestCommands_EveryCommandOverSSH runs every command of this issue through
// a real SSH client against the server, and checks each did what it says:
// the command package's own tests cover the details in-process; this one
// proves each is reachable over SSH with its arguments, stdin, output and
// exit status intact.
func TestCommands_EveryCommandOverSSH(t *testing.T) {
	ts := startServer(t)
	client, free, laptop := newKey(t), newKey(t), newKey(t)

	if out := ts.must(t, client, "help", ""); !strings.Contains(out, "job post") || !strings.Contains(out, "messages ROOM") {
		t.Fatalf("help does not list the commands:\n%s", out)
	}
	ts.must(t, client, "signup --name Clara Client --email clara@example.com", "")
	ts.must(t, free, `signup --name Fred --email fred@example.com`, "")
	if r := ts.run(t, client, "verify --resend", ""); r.status != 1 || !strings.Contains(r.stderr, "wait a minute") {
		t.Fatalf("verify --resend right after sign-up: exit %d, %q; want the one-minute rule", r.status, r.stderr)
	}
	if r := ts.run(t, client, "verify 000000x", ""); r.status != 1 || !strings.Contains(r.stderr, "wrong code") {
		t.Fatalf("verify with a wrong code: exit %d, %q", r.status, r.stderr)
	}
	ts.must(t, client, "verify "+ts.world.Code(t, "clara@example.com"), "")

	var who struct {
		User struct {
			Name          string `json:"name"`
			EmailVerified bool   `json:"email_verified"`
		} `json:"user"`
	}
	decode(t, ts.must(t, client, "whoami --json", ""), &who)
	if who.User.Name != "Clara Client" || !who.User.EmailVerified {
		t.Fatalf("whoami --json = %+v", who)
	}

	ts.addKey(t, client, laptop)
	if out := ts.must(t, laptop, "keys", ""); !strings.Contains(out, fingerprint(client)) || !strings.Contains(out, fingerprint(laptop)) {
		t.Fatalf("keys does not list both keys:\n%s", out)
	}
	ts.must(t, laptop, "keys remove "+fingerprint(client), "")
	if r := ts.run(t, client, "rooms", ""); r.status != 1 || !strings.Contains(r.stderr, "signup") {
		t.Fatalf("removed key still runs commands: exit %d, %q", r.status, r.stderr)
	}
	client = laptop

	job := strings.TrimSpace(ts.must(t, client, "job post --title Logo design --description A fox, in orange", ""))
	if out := ts.must(t, client, "jobs", ""); !strings.Contains(out, "Logo design") {
		t.Fatalf("jobs does not list my job:\n%s", out)
	}
	if out := ts.must(t, free, "jobs --open", ""); !strings.Contains(out, "Logo design") {
		t.Fatalf("jobs --open does not list the open job:\n%s", out)
	}
	proposal := strings.TrimSpace(ts.must(t, free, "propose "+job+" --text I can do it", ""))
	var props struct {
		Proposals []struct {
			Text string `json:"text"`
		} `json:"proposals"`
	}
	decode(t, ts.must(t, client, "proposals "+job+" --json", ""), &props)
	if len(props.Proposals) != 1 || props.Proposals[0].Text != "I can do it" {
		t.Fatalf("proposals --json = %+v", props)
	}
	room := strings.TrimSpace(ts.must(t, client, "award "+job+" "+proposal, ""))

	for i := range 3 {
		ts.must(t, free, "post "+room+" message-"+string(rune('a'+i)), "")
	}
	var rooms struct {
		Rooms []struct {
			Title  string `json:"title"`
			Role   string `json:"role"`
			Unread int    `json:"unread"`
		} `json:"rooms"`
	}
	decode(t, ts.must(t, client, "rooms --json", ""), &rooms)
	if len(rooms.Rooms) != 1 || rooms.Rooms[0].Role != "client" || rooms.Rooms[0].Unread != 3 {
		t.Fatalf("rooms --json = %+v", rooms)
	}
	var page struct {
		Messages []struct {
			Body string `json:"body"`
		} `json:"messages"`
		Before uint64 `json:"before"`
	}
	decode(t, ts.must(t, client, "messages "+room+" --limit 2 --json", ""), &page)
	if len(page.Messages) != 2 || page.Messages[0].Body != "message-c" || page.Before == 0 {
		t.Fatalf("first page = %+v", page)
	}
	older := ts.must(t, client, "messages "+room+" --limit 2 --before "+strconv.FormatUint(page.Before, 10), "")
	if !strings.Contains(older, "message-a") || strings.Contains(older, "message-c") {
		t.Fatalf("older page:\n%s", older)
	}
	if r := ts.run(t, client, "open "+room, ""); r.status != 1 || !strings.Contains(r.stderr, "ssh -t") {
		t.Fatalf("open without a terminal: exit %d, %q", r.status, r.stderr)
	}
}

// TestCommands_OutsiderCannotTellARealRoomFromAMissingOne compares, over
// SSH, what an outsider gets for a real room and for one that does not
// exist, byte for byte but for the id they typed.
func TestCommands_OutsiderCannotTellARealRoomFromAMissingOne(t *testing.T) {
	ts := startServer(t)
	client, free, outsider := newKey(t), newKey(t), newKey(t)
	room := awardedRoom(t, ts, client, free)
	ts.signUp(t, outsider, "Olga")
	const missing = "424242"
	for _, cmd := range []string{"messages %s", "post %s hello", "open %s", "messages %s --json"} {
		real := ts.run(t, outsider, strings.Replace(cmd, "%s", room, 1), "")
		none := ts.run(t, outsider, strings.Replace(cmd, "%s", missing, 1), "")
		if real.status == 0 || real.status != none.status || real.stdout != none.stdout ||
			strings.ReplaceAll(real.stderr, room, "N") != strings.ReplaceAll(none.stderr, missing, "N") {
			t.Errorf("%s: real room (%d %q %q) differs from a missing one (%d %q %q)",
				cmd, real.status, real.stdout, real.stderr, none.status, none.stdout, none.stderr)
		}
	}
}

func decode(t *testing.T, out string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, out)
	}
}
