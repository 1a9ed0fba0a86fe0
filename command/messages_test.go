package command

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
)

func TestRooms_ShowsRoleUnreadActivityAndAddress(t *testing.T) {
	w := newWorld(t)
	client, fred := w.signUp("Carla"), w.signUp("Fred")
	room := w.awardedRoom(client, fred, "Logo design")
	w.ok(client, "post", itoa(room), "first")
	w.ok(client, "post", itoa(room), "second")
	w.Advance(3 * time.Minute)

	out := w.ok(fred, "rooms")
	header, row, _ := strings.Cut(strings.TrimSuffix(out, "\n"), "\n")
	if got := strings.Join(strings.Fields(header), " "); got != "ID ROLE UNREAD LAST ACTIVITY EMAIL TITLE" {
		t.Errorf("rooms header = %q", header)
	}
	// The columns line up: each value starts under its heading.
	for heading, value := range map[string]string{
		"ROLE": "freelancer", "UNREAD": "2", "LAST ACTIVITY": "3 min ago",
		"EMAIL": fmt.Sprintf("room-%d@test.localhost", room), "TITLE": "Logo design",
	} {
		if at := strings.Index(header, heading); at < 0 || !strings.HasPrefix(row[at:], value) {
			t.Errorf("under %s the row has %q, want %q\n%s", heading, row[max(at, 0):], value, out)
		}
	}

	got := decode[struct{ Rooms []workroom.Membership }](t, w.ok(client, "rooms", "--json"))
	if len(got.Rooms) != 1 || got.Rooms[0].Role != workroom.RoleClient || got.Rooms[0].Unread != 0 ||
		got.Rooms[0].Title != "Logo design" || got.Rooms[0].Email != fmt.Sprintf("room-%d@test.localhost", room) {
		t.Errorf("rooms --json = %+v", got.Rooms)
	}
}

func TestRooms_SaysWhenThereAreNone(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")

	if out := w.ok(key, "rooms"); !strings.Contains(out, "You have no workrooms yet") {
		t.Errorf("rooms = %q", out)
	}
	if out := w.ok(key, "rooms", "--json"); !strings.Contains(out, `"rooms": []`) {
		t.Errorf("rooms --json = %s, want an empty list", out)
	}
}

func TestMessages_ReadingMarksTheRoomRead(t *testing.T) {
	w := newWorld(t)
	client, fred := w.signUp("Carla"), w.signUp("Fred")
	room := w.awardedRoom(client, fred, "Logo")
	w.ok(client, "post", itoa(room), "hello")

	unread := func() int {
		return decode[struct{ Rooms []workroom.Membership }](t, w.ok(fred, "rooms", "--json")).Rooms[0].Unread
	}
	if n := unread(); n != 1 {
		t.Fatalf("unread before reading = %d, want 1", n)
	}
	w.ok(fred, "messages", itoa(room))
	if n := unread(); n != 0 {
		t.Errorf("unread after messages = %d, want 0", n)
	}
}

func TestPost_TakesTextOrStdin(t *testing.T) {
	w := newWorld(t)
	client, fred := w.signUp("Carla"), w.signUp("Fred")
	room := itoa(w.awardedRoom(client, fred, "Logo"))

	first := w.okID(client, "post", room, "hello", "there")
	r := w.run(fred, "line one\nline two\n", "post", room)
	if r.status != 0 {
		t.Fatalf("post from stdin = %+v", r)
	}
	got := decode[struct{ Message workroom.Message }](t, w.run(client, "from json", "post", room, "--json").stdout)
	if got.Message.Body != "from json" || got.Message.Source != workroom.SourceCommand || got.Message.ID != first+2 {
		t.Errorf("post --json = %+v", got.Message)
	}

	page := decode[workroom.Page](t, w.ok(client, "messages", room, "--json"))
	bodies := []string{}
	for _, m := range page.Messages {
		bodies = append(bodies, m.Body)
		if m.Source != workroom.SourceCommand && m.ID != 1 { // 1: the hired notice
			t.Errorf("message %d has source %q, want command", m.ID, m.Source)
		}
	}
	if want := []string{"from json", "line one\nline two", "hello there"}; fmt.Sprint(bodies[:3]) != fmt.Sprint(want) || len(bodies) != 4 {
		t.Errorf("bodies newest first = %q, want %q", bodies, want)
	}
}

func TestPost_RefusesEmptyAndOverlongBodies(t *testing.T) {
	w := newWorld(t)
	client, fred := w.signUp("Carla"), w.signUp("Fred")
	room := itoa(w.awardedRoom(client, fred, "Logo"))

	refused(t, w.run(client, strings.Repeat("é", workroom.MaxBodyLength+1), "post", room),
		"the message is 20001 characters long; the limit is 20000")
	refused(t, w.run(client, "", "post", room), "the message is empty")
	refused(t, w.run(client, " \n\t\n", "post", room), "the message is empty")
	refused(t, w.run(client, "", "post", room, "   "), "the message is empty")
	if page := decode[workroom.Page](t, w.ok(client, "messages", room, "--json")); len(page.Messages) != 1 {
		t.Errorf("refused posts stored %d messages besides the hired notice", len(page.Messages)-1)
	}
	w.run(client, strings.Repeat("é", workroom.MaxBodyLength), "post", room)
	if page := decode[workroom.Page](t, w.ok(client, "messages", room, "--json")); len(page.Messages) != 2 {
		t.Errorf("a body of exactly %d characters was not posted", workroom.MaxBodyLength)
	}
}

func TestMessages_PagesNewestFirstWithTheCursor(t *testing.T) {
	w := newWorld(t)
	client, fred := w.signUp("Carla"), w.signUp("Fred")
	room := itoa(w.awardedRoom(client, fred, "Logo"))
	for i := 2; i <= 7; i++ { // message 1 is the hired notice
		w.ok(client, "post", room, fmt.Sprintf("message %d", i))
	}

	// JSON: follow "before" until it is absent.
	var ids []uint64
	before, pages := uint64(0), 0
	for {
		args := []string{"messages", room, "--limit", "3", "--json"}
		if before != 0 {
			args = append(args, "--before", itoa(before))
		}
		page := decode[workroom.Page](t, w.ok(fred, args...))
		pages++
		for _, m := range page.Messages {
			ids = append(ids, m.ID)
		}
		if page.Before == 0 {
			break
		}
		before = page.Before
	}
	if fmt.Sprint(ids) != "[7 6 5 4 3 2 1]" || pages != 3 {
		t.Errorf("paged ids %v in %d pages, want [7 6 5 4 3 2 1] in 3", ids, pages)
	}

	// Plain: the last line says how to get the next page.
	out := w.ok(fred, "messages", room, "--limit", "3")
	if !strings.HasPrefix(out, "#7  Carla  just now  via command\n    message 7\n") ||
		!strings.HasSuffix(out, "older messages: messages "+room+" --limit 3 --before 5\n") {
		t.Errorf("messages --limit 3 =\n%s", out)
	}
	out = w.ok(fred, "messages", room, "--limit", "3", "--before", "2")
	if !strings.HasPrefix(out, "#1  Carla  just now  via system\n    Carla hired Fred for job 1, “Logo”.") || strings.Contains(out, "older messages") {
		t.Errorf("the last page = %q, want message 1 and no cursor", out)
	}
	if out := w.ok(fred, "messages", room, "--before", "1"); out != "No older messages.\n" {
		t.Errorf("past the first message = %q", out)
	}
	refused(t, w.run(fred, "", "messages", room, "--limit", "501"), "a page holds at most 500 messages")
}

func TestMessages_ShowsEscapeSequencesInert(t *testing.T) {
	w := newWorld(t)
	client, fred := w.signUp("Carla"), w.signUp("Fred")
	room := itoa(w.awardedRoom(client, fred, "Logo"))
	evil := "hi\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b]8;;http://x\x1b\\link\u202e"
	w.ok(client, "post", room, evil)

	out := w.ok(fred, "messages", room)
	for _, bad := range []string{"\x1b", "\x07", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("plain messages output carries %q: %q", bad, out)
		}
	}
	if !strings.Contains(out, "hi␛]52;c;ZXZpbA==␇␛[2J") {
		t.Errorf("the escapes are not shown as visible stand-ins: %q", out)
	}
	if page := decode[workroom.Page](t, w.ok(fred, "messages", room, "--json")); page.Messages[0].Body != evil {
		t.Errorf("JSON body = %q, want the original %q", page.Messages[0].Body, evil)
	}
}

func TestOpen_WithoutATerminalSaysHowToGetOne(t *testing.T) {
	w := newWorld(t)
	client, fred := w.signUp("Carla"), w.signUp("Fred")
	room := itoa(w.awardedRoom(client, fred, "Logo"))

	refused(t, w.run(fred, "", "open", room), "open needs a terminal: use ssh -t … open "+room)
}

// An outsider gets byte for byte the same reply for a workroom they are not
// in as for one that does not exist: here the same room id before and after
// the room is made.
func TestOutsider_SameReplyForAForeignRoomAsForAMissingOne(t *testing.T) {
	w := newWorld(t)
	client, fred, eve := w.signUp("Carla"), w.signUp("Fred"), w.signUp("Eve")
	commands := []struct {
		stdin string
		args  []string
	}{
		{"", []string{"messages", "1"}},
		{"", []string{"messages", "1", "--json"}},
		{"", []string{"messages", "1", "--limit", "5", "--before", "3"}},
		{"", []string{"post", "1", "hello"}},
		{"hello from stdin\n", []string{"post", "1"}},
		{"", []string{"post", "1", "--json", "hello"}},
		{"", []string{"open", "1"}},
	}
	missing := make([]result, len(commands))
	for i, c := range commands {
		missing[i] = w.run(eve, c.stdin, c.args...)
	}
	if room := w.awardedRoom(client, fred, "Secret project"); room != 1 {
		t.Fatalf("the room is %d, want 1", room)
	}
	w.ok(client, "post", "1", "something private")
	for i, c := range commands {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			foreign := w.run(eve, c.stdin, c.args...)
			if foreign != missing[i] {
				t.Errorf("foreign room: %+v\nmissing room: %+v", foreign, missing[i])
			}
			refused(t, foreign, "no such workroom: 1")
		})
	}
}
