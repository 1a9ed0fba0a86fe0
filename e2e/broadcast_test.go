package e2e_test

import (
	"strings"
	"testing"
)

// award has client post a job, free propose and client award it; it
// returns the room's id.
func award(t *testing.T, client, free *user, title string) string {
	t.Helper()
	job := firstNumber(t, client.ok("job", "post", "--title", title))
	proposal := firstNumber(t, free.ok("propose", job, "--text", "I can do it"))
	return firstNumber(t, client.ok("award", job, proposal))
}

// TestE2E_BroadcastIntoThreeRoomsOneRefused: Carla broadcasts with the
// OpenSSH client into her two workrooms and one of Fred and Gina's; the
// two take it, the third answers as a missing room, and ssh exits 1.
func TestE2E_BroadcastIntoThreeRoomsOneRefused(t *testing.T) {
	srv := startServer(t)
	carla, fred, gina := newUser(t, srv, "carla"), newUser(t, srv, "fred"), newUser(t, srv, "gina")
	carla.signUp()
	fred.signUp()
	gina.signUp()
	logo, site := award(t, carla, fred, "Logo"), award(t, carla, gina, "Site")
	private := award(t, fred, gina, "Private")

	r := carla.run("", "broadcast", logo, private, site, "--text", "Away next week, back on the 8th")
	if r.code != 1 {
		t.Fatalf("broadcast exit %d, want 1 (one room refused); stderr %q", r.code, r.stderr)
	}
	want := logo + "  posted as message 2\n" + private + "  not posted: no such workroom: " + private + "\n" + site + "  posted as message 2\n"
	if r.stdout != want {
		t.Fatalf("broadcast stdout\n%s\nwant\n%s", r.stdout, want)
	}
	if !strings.Contains(r.stderr, "1 of 3 workrooms refused the broadcast") {
		t.Fatalf("broadcast stderr %q", r.stderr)
	}
	if msgs := fred.ok("messages", logo); !strings.Contains(msgs, "Away next week, back on the 8th") || !strings.Contains(msgs, "via broadcast") {
		t.Fatalf("Fred's room:\n%s", msgs)
	}
	if msgs := fred.ok("messages", private); strings.Contains(msgs, "Away next week") {
		t.Fatalf("the broadcast reached a room its sender is not in:\n%s", msgs)
	}
	if r := carla.run("Back now.\n", "broadcast", logo, site); r.code != 0 || strings.Count(r.stdout, "posted as message 3") != 2 {
		t.Fatalf("broadcast from stdin: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestE2E_TodoCommands: the to-do list over SSH, as the fixed surface
// names it: add, assign, due, done, the list by due date, and remove.
func TestE2E_TodoCommands(t *testing.T) {
	srv := startServer(t)
	carla, fred, olga := newUser(t, srv, "carla"), newUser(t, srv, "fred"), newUser(t, srv, "olga")
	carla.signUp()
	fred.signUp()
	olga.signUp()
	room := award(t, carla, fred, "Logo")

	if out := carla.ok("todo", room, "add", "Send the brief"); out != "#1 [ ] Send the brief" {
		t.Fatalf("add = %q", out)
	}
	carla.ok("todo", room, "add", "Draw three sketches")
	fred.ok("todo", room, "assign", "2", "fred")
	fred.ok("todo", room, "due", "2", "2026-12-24")
	carla.ok("todo", room, "done", "1")
	lines := strings.Split(fred.ok("todo", room), "\n")
	if len(lines) != 3 || strings.Join(strings.Fields(lines[1]), " ") != "2 [ ] 2026-12-24 fred Draw three sketches" ||
		strings.Join(strings.Fields(lines[2]), " ") != "1 [x] - - Send the brief" {
		t.Fatalf("todo list:\n%s", strings.Join(lines, "\n"))
	}
	if r := olga.run("", "todo", room); r.code != 1 || !strings.Contains(r.stderr, "no such workroom: "+room) {
		t.Fatalf("outsider's todo: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := carla.run("", "todo", room, "due", "1", "24.12."); r.code != 1 || !strings.Contains(r.stderr, "YYYY-MM-DD") {
		t.Fatalf("bad date: exit %d, stderr %q", r.code, r.stderr)
	}
	if out := carla.ok("todo", room, "remove", "1"); out != "removed: #1 [x] Send the brief" {
		t.Fatalf("remove = %q", out)
	}
	if lines := strings.Split(fred.ok("todo", room), "\n"); len(lines) != 2 || strings.Contains(lines[1], "Send the brief") {
		t.Fatalf("after the removal, todo list:\n%s", strings.Join(lines, "\n"))
	}
}
