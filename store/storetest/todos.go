package storetest

import (
	"sync"
	"testing"

	"github.com/workroom/workroom"
)

// testTodos: items are numbered per room from 1, a change touches only the
// fields it names, assigning a non-member is refused, and the list is
// bounded.
func testTodos(t *testing.T, s workroom.Store) {
	ada, bob, cy := newUser(t, s, "ada"), newUser(t, s, "bob"), newUser(t, s, "cy")
	r1, r2 := newRoom(t, s, ada, bob), newRoom(t, s, ada, bob)
	add := func(r *workroom.Room, text string, max int) (*workroom.Todo, error) {
		td := &workroom.Todo{RoomID: r.ID, Text: text, CreatedBy: ada.ID, Created: t0, Updated: t0}
		return td, s.AddTodo(ctx, td, max)
	}
	a, err := add(r1, "logo", 3)
	must(t, err)
	b, err := add(r1, "fonts", 3)
	must(t, err)
	other, err := add(r2, "elsewhere", 3)
	must(t, err)
	if a.ID != 1 || b.ID != 2 || other.ID != 1 {
		t.Fatalf("ids %d, %d and %d in another room; want 1, 2 and 1", a.ID, b.ID, other.ID)
	}
	_, err = add(&workroom.Room{ID: 999}, "nowhere", 3)
	wantCode(t, err, workroom.ENOTFOUND)

	due, done, assignee := "2026-12-24", true, bob.ID
	got, err := s.UpdateTodo(ctx, r1.ID, b.ID, workroom.TodoChange{Due: &due, By: bob.ID, At: t0.Add(1)})
	must(t, err)
	if got.Due != due || got.Text != "fonts" || got.Updated != t0.Add(1) || got.UpdatedBy != bob.ID {
		t.Fatalf("after setting the due date: %+v", got)
	}
	got, err = s.UpdateTodo(ctx, r1.ID, b.ID, workroom.TodoChange{Done: &done, Assignee: &assignee, AssigneeName: "bob"})
	must(t, err)
	if !got.Done || got.AssigneeID != bob.ID || got.AssigneeName != "bob" || got.Due != due {
		t.Fatalf("a second change lost the first or missed its own: %+v", got)
	}
	nobody := workroom.UserID(0)
	got, err = s.UpdateTodo(ctx, r1.ID, b.ID, workroom.TodoChange{Assignee: &nobody})
	must(t, err)
	if got.AssigneeID != 0 || got.AssigneeName != "" {
		t.Fatalf("unassigned item still names %d %q", got.AssigneeID, got.AssigneeName)
	}
	stranger := cy.ID
	_, err = s.UpdateTodo(ctx, r1.ID, b.ID, workroom.TodoChange{Assignee: &stranger})
	wantRefusal(t, err, workroom.EINVALID, workroom.RuleNotMember)
	_, err = s.UpdateTodo(ctx, r1.ID, 99, workroom.TodoChange{Done: &done})
	wantCode(t, err, workroom.ENOTFOUND)
	_, err = s.UpdateTodo(ctx, r2.ID, b.ID, workroom.TodoChange{Done: &done})
	wantCode(t, err, workroom.ENOTFOUND) // item 2 is r1's, not r2's

	list, err := s.Todos(ctx, r1.ID)
	must(t, err)
	if len(list) != 2 || list[0].Text != "logo" || list[1].Text != "fonts" || !list[1].Done {
		t.Fatalf("Todos = %+v; want logo, then fonts done", list)
	}
	if _, err := add(r1, "third", 3); err != nil {
		t.Fatal(err)
	}
	_, err = add(r1, "fourth", 3)
	wantRefusal(t, err, workroom.ELIMIT, workroom.RuleTooManyTodos)

	// Removing an item frees its place on the list, not its number.
	gone, err := s.RemoveTodo(ctx, r1.ID, a.ID)
	must(t, err)
	if gone.ID != a.ID || gone.Text != "logo" {
		t.Fatalf("RemoveTodo returned %+v; want item %d, logo", gone, a.ID)
	}
	_, err = s.RemoveTodo(ctx, r1.ID, a.ID)
	wantCode(t, err, workroom.ENOTFOUND)
	_, err = s.RemoveTodo(ctx, r2.ID, b.ID)
	wantCode(t, err, workroom.ENOTFOUND) // item 2 is r1's, not r2's
	_, err = s.UpdateTodo(ctx, r1.ID, a.ID, workroom.TodoChange{Done: &done})
	wantCode(t, err, workroom.ENOTFOUND)
	fourth, err := add(r1, "fourth", 3)
	must(t, err)
	if fourth.ID != 4 {
		t.Fatalf("the item added after a removal is number %d; want 4, a number not used before", fourth.ID)
	}
	list, err = s.Todos(ctx, r1.ID)
	must(t, err)
	if len(list) != 3 || list[0].Text != "fonts" {
		t.Fatalf("after the removal Todos = %+v; want fonts, third, fourth", list)
	}
	if others, err := s.Todos(ctx, r2.ID); err != nil || len(others) != 1 {
		t.Fatalf("the other room's list = %+v, %v; want its one item", others, err)
	}
}

// testTodoChangesRace: two changes to different fields of one item at
// once both hold.
func testTodoChangesRace(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	td := &workroom.Todo{RoomID: r.ID, Text: "logo", CreatedBy: ada.ID, Created: t0}
	must(t, s.AddTodo(ctx, td, 10))
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i == n/2 {
				due := "2027-01-01"
				_, _ = s.UpdateTodo(ctx, r.ID, td.ID, workroom.TodoChange{Due: &due})
				return
			}
			done := true
			_, _ = s.UpdateTodo(ctx, r.ID, td.ID, workroom.TodoChange{Done: &done})
		}()
	}
	wg.Wait()
	list, err := s.Todos(ctx, r.ID)
	must(t, err)
	if !list[0].Done || list[0].Due != "2027-01-01" {
		t.Fatalf("concurrent changes lost one: %+v", list[0])
	}
}
