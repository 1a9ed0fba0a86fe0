package command

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
)

func TestTodo_AddChangeAndListInDueOrder(t *testing.T) {
	w := newWorld(t)
	carla, fred := w.signUp("Carla"), w.signUp("Fred")
	room := itoa(w.awardedRoom(carla, fred, "Logo"))
	if out := w.ok(carla, "todo", room); out != "No to-do items in workroom "+room+" yet. Add one with: todo "+room+" add TEXT\n" {
		t.Fatalf("empty list = %q", out)
	}
	if out := w.runLine(carla, "", "todo "+room+" add Draw  three sketches"); out.stdout != "#1 [ ] Draw  three sketches\n" {
		t.Fatalf("add = %+v", out)
	}
	if out := w.runLine(carla, "", "todo "+room+" add done by Friday"); out.stdout != "#2 [ ] done by Friday\n" {
		t.Fatalf("add with a verb in the text = %+v", out)
	}
	w.ok(fred, "todo", room, "due", "2", "2026-12-01")
	w.ok(fred, "todo", room, "edit", "1", "Draw four sketches")
	if out := w.ok(fred, "todo", room, "assign", "2", "fred"); out != "#2 [ ] done by Friday · due 2026-12-01 · Fred\n" {
		t.Fatalf("assign by name = %q", out)
	}
	w.ok(fred, "todo", room, "done", "2")

	out := w.ok(carla, "todo", room)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 || strings.Join(strings.Fields(lines[0]), " ") != "ID DONE DUE ASSIGNEE TEXT" ||
		strings.Join(strings.Fields(lines[1]), " ") != "2 [x] 2026-12-01 Fred done by Friday" ||
		strings.Join(strings.Fields(lines[2]), " ") != "1 [ ] - - Draw four sketches" {
		t.Fatalf("todo list:\n%s", out)
	}
	got := decode[struct{ Todos []workroom.Todo }](t, w.ok(carla, "todo", room, "--json"))
	if len(got.Todos) != 2 || got.Todos[0].ID != 2 || !got.Todos[0].Done || got.Todos[0].Due != "2026-12-01" {
		t.Fatalf("todo --json = %+v", got.Todos)
	}
	one := decode[struct{ Todo workroom.Todo }](t, w.ok(carla, "todo", room, "undone", "2", "--json"))
	if one.Todo.Done || one.Todo.ID != 2 {
		t.Fatalf("undone --json = %+v", one.Todo)
	}
	w.ok(carla, "todo", room, "due", "2", "none")
	w.ok(carla, "todo", room, "assign", "2", "none")
	if out := w.ok(carla, "todo", room); strings.Contains(out, "Fred") || strings.Contains(out, "2026") {
		t.Fatalf("cleared due and assignee still shown:\n%s", out)
	}
	if r := w.run(carla, "From stdin\n", "todo", room, "add"); r.stdout != "#3 [ ] From stdin\n" {
		t.Fatalf("add from stdin = %+v", r)
	}
	if r := w.run(carla, "See --json docs\n", "todo", room, "edit", "3"); r.stdout != "#3 [ ] See --json docs\n" {
		t.Fatalf("edit from stdin = %+v", r)
	}
	r := w.runLine(carla, "", "todo "+room+" edit 3 see --json docs")
	if r.status != 2 || !strings.Contains(r.stderr, "send the text on stdin instead: echo 'TEXT' | ssh HOST todo "+room+" edit 3") {
		t.Fatalf("a flag inside the text: status %d, stderr %q", r.status, r.stderr)
	}

	// remove takes an item off for good: the list no longer has it, and
	// the next item gets a number never used before.
	if out := w.ok(fred, "todo", room, "remove", "1"); out != "removed: #1 [ ] Draw four sketches\n" {
		t.Fatalf("remove = %q", out)
	}
	if out := w.ok(carla, "todo", room); strings.Contains(out, "Draw four sketches") {
		t.Fatalf("the removed item is still listed:\n%s", out)
	}
	gone := decode[struct{ Todo workroom.Todo }](t, w.ok(carla, "todo", room, "remove", "2", "--json"))
	if !gone.Todo.Removed || gone.Todo.ID != 2 || gone.Todo.Text != "done by Friday" {
		t.Fatalf("remove --json = %+v", gone.Todo)
	}
	if out := w.runLine(carla, "", "todo "+room+" add After the removals"); out.stdout != "#4 [ ] After the removals\n" {
		t.Fatalf("add after removals = %+v", out)
	}
	refused(t, w.run(carla, "", "todo", room, "remove", "1"), "has no to-do item 1")
}

func TestTodo_Refusals(t *testing.T) {
	w := newWorld(t)
	carla, fred, gina := w.signUp("Carla"), w.signUp("Fred"), w.signUp("Gina")
	room := itoa(w.awardedRoom(carla, fred, "Logo"))
	w.ok(carla, "todo", room, "add", "Sketches")
	refused(t, w.run(gina, "", "todo", room), "no such workroom: "+room)
	refused(t, w.run(gina, "", "todo", room, "add", "x"), "no such workroom: "+room)
	refused(t, w.run(carla, "", "todo", room, "add"), "the to-do item is empty")
	refused(t, w.run(carla, "", "todo", room, "done", "9"), "has no to-do item 9")
	refused(t, w.run(carla, "", "todo", room, "due", "1", "tomorrow"), `"tomorrow" is not a date; write the due date as YYYY-MM-DD`)
	refused(t, w.run(carla, "", "todo", room, "assign", "1", "gina"), `no member of workroom `+room+` is called "gina"`)
	for _, tc := range []struct{ args, says string }{
		{"frob 1", `todo takes add, edit, done, undone, assign, due or remove after ROOM, not "frob"`},
		{"remove", "todo remove needs ID"},
		{"done", "todo done needs ID"},
		{"due 1", "todo due needs YYYY-MM-DD"},
		{"done 1 2", `unexpected argument "2"`},
		{"done x", "ID must be a number"},
	} {
		r := w.runLine(carla, "", "todo "+room+" "+tc.args)
		if r.status != 2 || !strings.Contains(r.stderr, tc.says) {
			t.Errorf("todo %s: status %d, stderr %q; want 2 and %q", tc.args, r.status, r.stderr, tc.says)
		}
	}
}
