package workroom_test

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestTodos_OrderedByDueThenUndatedLast(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	r := w.Room(t, ada, bob, "Logo").ID
	as := workroomtest.As(ada)
	for _, text := range []string{"undated one", "late", "early", "undated two"} {
		if _, err := w.Svc.AddTodo(as, r, text); err != nil {
			t.Fatal(err)
		}
	}
	mustTodo(t)(w.Svc.SetTodoDue(as, r, 2, "2026-12-24"))
	mustTodo(t)(w.Svc.SetTodoDue(as, r, 3, "2026-12-01"))
	list, err := w.Svc.Todos(workroomtest.As(bob), r)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, td := range list {
		got = append(got, td.Text)
	}
	want := []string{"early", "late", "undated one", "undated two"}
	if len(got) != len(want) {
		t.Fatalf("list %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("list %q, want %q", got, want)
		}
	}
}

func mustTodo(t *testing.T) func(*workroom.Todo, error) *workroom.Todo {
	return func(td *workroom.Todo, err error) *workroom.Todo {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return td
	}
}

// Every change reaches the sessions looking at the room, carrying the item
// as it is now; a member looking elsewhere gets nothing.
func TestTodo_ChangesReachThosePresent(t *testing.T) {
	w := newWorld(t)
	ada, bob := w.SignUp(t, "Ada"), w.SignUp(t, "Bob")
	r := w.Room(t, ada, bob, "Logo").ID
	other := w.Room(t, ada, bob, "Other").ID
	here, away := subscribe(t, w, bob), subscribe(t, w, bob)
	enter(t, w, bob, here, r)
	enter(t, w, bob, away, other)
	as := workroomtest.As(ada)
	td := mustTodo(t)(w.Svc.AddTodo(as, r, "Draw three sketches"))
	steps := []struct {
		name  string
		do    func() (*workroom.Todo, error)
		check func(*workroom.Todo) bool
	}{
		{"add", func() (*workroom.Todo, error) { return td, nil }, func(x *workroom.Todo) bool { return x.Text == "Draw three sketches" && x.CreatorName == "Ada" }},
		{"edit", func() (*workroom.Todo, error) { return w.Svc.EditTodo(as, r, td.ID, "Draw four sketches") }, func(x *workroom.Todo) bool { return x.Text == "Draw four sketches" }},
		{"done", func() (*workroom.Todo, error) { return w.Svc.SetTodoDone(as, r, td.ID, true) }, func(x *workroom.Todo) bool { return x.Done }},
		{"undone", func() (*workroom.Todo, error) { return w.Svc.SetTodoDone(as, r, td.ID, false) }, func(x *workroom.Todo) bool { return !x.Done }},
		{"assign", func() (*workroom.Todo, error) { return w.Svc.AssignTodo(as, r, td.ID, bob.User.ID) }, func(x *workroom.Todo) bool { return x.AssigneeID == bob.User.ID && x.AssigneeName == "Bob" }},
		{"due", func() (*workroom.Todo, error) { return w.Svc.SetTodoDue(as, r, td.ID, "2026-12-24") }, func(x *workroom.Todo) bool { return x.Due == "2026-12-24" }},
		{"clear due", func() (*workroom.Todo, error) { return w.Svc.SetTodoDue(as, r, td.ID, "") }, func(x *workroom.Todo) bool { return x.Due == "" }},
		{"unassign", func() (*workroom.Todo, error) { return w.Svc.AssignTodo(as, r, td.ID, 0) }, func(x *workroom.Todo) bool { return x.AssigneeID == 0 }},
		{"remove", func() (*workroom.Todo, error) { return w.Svc.RemoveTodo(as, r, td.ID) }, func(x *workroom.Todo) bool {
			return x.Removed && x.Text == "Draw four sketches" && x.UpdatedBy == ada.User.ID
		}},
	}
	for _, s := range steps {
		if _, err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		ev := next(t, here, workroom.EventTodo)
		if ev.RoomID != r || ev.Todo == nil || ev.Todo.ID != td.ID || !s.check(ev.Todo) {
			t.Fatalf("%s: event %+v, todo %+v", s.name, ev, ev.Todo)
		}
	}
	quiet(t, away, workroom.EventTodo)
	if list, err := w.Svc.Todos(as, r); err != nil || len(list) != 0 {
		t.Fatalf("after the removal the list is %+v, %v; want it empty", list, err)
	}
}

func TestTodo_Refusals(t *testing.T) {
	w := newWorld(t)
	ada, bob, cy := w.SignUp(t, "Ada"), w.SignUp(t, "Bob"), w.SignUp(t, "Cy")
	r := w.Room(t, ada, bob, "Logo").ID
	as := workroomtest.As(ada)
	td := mustTodo(t)(w.Svc.AddTodo(as, r, "Sketches"))
	for _, tc := range []struct {
		name string
		do   func() error
		code string
		says string
	}{
		{"outsider reads", func() error { _, err := w.Svc.Todos(workroomtest.As(cy), r); return err }, workroom.ENOTFOUND, "no such workroom: " + itoa(r)},
		{"outsider adds", func() error { _, err := w.Svc.AddTodo(workroomtest.As(cy), r, "x"); return err }, workroom.ENOTFOUND, "no such workroom: " + itoa(r)},
		{"outsider ticks", func() error { _, err := w.Svc.SetTodoDone(workroomtest.As(cy), r, td.ID, true); return err }, workroom.ENOTFOUND, "no such workroom: " + itoa(r)},
		{"empty text", func() error { _, err := w.Svc.AddTodo(as, r, " "); return err }, workroom.EINVALID, "the to-do item is empty; write some text"},
		{"two lines", func() error { _, err := w.Svc.EditTodo(as, r, td.ID, "a\nb"); return err }, workroom.EINVALID, "a to-do item is one line; write it without line breaks"},
		{"no such item", func() error { _, err := w.Svc.SetTodoDone(as, r, 42, true); return err }, workroom.ENOTFOUND, "workroom " + itoa(r) + " has no to-do item 42; list them with todo " + itoa(r)},
		{"outsider removes", func() error { _, err := w.Svc.RemoveTodo(workroomtest.As(cy), r, td.ID); return err }, workroom.ENOTFOUND, "no such workroom: " + itoa(r)},
		{"no such item to remove", func() error { _, err := w.Svc.RemoveTodo(as, r, 42); return err }, workroom.ENOTFOUND, "workroom " + itoa(r) + " has no to-do item 42; list them with todo " + itoa(r)},
		{"assign outsider", func() error { _, err := w.Svc.AssignTodo(as, r, td.ID, cy.User.ID); return err }, workroom.EINVALID, "is not a member of this workroom"},
		{"bad date", func() error { _, err := w.Svc.SetTodoDue(as, r, td.ID, "24.12.2026"); return err }, workroom.EINVALID, `"24.12.2026" is not a date; write the due date as YYYY-MM-DD`},
		{"no such day", func() error { _, err := w.Svc.SetTodoDue(as, r, td.ID, "2026-02-30"); return err }, workroom.EINVALID, "is not a date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			wantCode(t, err, tc.code)
			if !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("refusal %q does not say %q", err, tc.says)
			}
		})
	}
}
