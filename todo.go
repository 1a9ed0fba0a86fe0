package workroom

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// Todo is one item of a workroom's to-do list: what is to be done, who
// does it (a member, or nobody yet), by when, and whether it is done. The
// list is the room's shared memory of the work agreed on; every member
// sees it, and the members who may upload files may change it (the
// specification's "to-do edits": client, freelancer and team members —
// guests read it only). Every change reaches the people looking at the
// room at once (EventTodo).
type Todo struct {
	RoomID RoomID `json:"room_id"`
	ID     TodoID `json:"id"` // 1, 2, 3, … per room
	Text   string `json:"text"`
	Done   bool   `json:"done"`
	// AssigneeID is the member doing it; 0 for nobody. AssigneeName is
	// their name when assigned.
	AssigneeID   UserID `json:"assignee_id,omitempty"`
	AssigneeName string `json:"assignee,omitempty"`
	// Due is the day it is due, YYYY-MM-DD (a calendar day, no zone);
	// "" for none.
	Due         string    `json:"due,omitempty"`
	CreatedBy   UserID    `json:"created_by"`
	CreatorName string    `json:"created_by_name"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	UpdatedBy   UserID    `json:"updated_by"`
	// Removed is set only on the item an EventTodo carries when it was
	// taken off the list (by UpdatedBy, at Updated); no stored item has
	// it.
	Removed bool `json:"removed,omitempty"`
}

// TodoID identifies a to-do item within its room.
type TodoID uint64

// To-do limits.
const (
	MaxTodoLength = 500 // characters of one item's text
	MaxTodos      = 500 // items per workroom, done ones included
)

// DueLayout is how a due date is written: YYYY-MM-DD.
const DueLayout = "2006-01-02"

// Rules of the to-do list a store refuses by.
const (
	// RuleTooManyTodos: the room's list holds MaxTodos items.
	RuleTooManyTodos Rule = "too_many_todos"
	// RuleNotMember: the person named is not a member of the room.
	RuleNotMember Rule = "not_member"
)

// TodoChange is one change to an item; the fields left nil stay as they
// are. The store applies it in one transaction, so two people changing
// different fields of one item at once both keep their change.
type TodoChange struct {
	Text *string
	Done *bool
	// Assignee is the member to assign (0: nobody) and AssigneeName
	// their name; the store refuses a user who is not a member.
	Assignee     *UserID
	AssigneeName string
	Due          *string
	By           UserID
	At           time.Time
}

// Apply sets the fields c names and records who changed the item when
// (the stores apply a change in the transaction that reads the item).
func (t *Todo) Apply(c TodoChange) {
	if c.Text != nil {
		t.Text = *c.Text
	}
	if c.Done != nil {
		t.Done = *c.Done
	}
	if c.Assignee != nil {
		t.AssigneeID, t.AssigneeName = *c.Assignee, c.AssigneeName
		if *c.Assignee == 0 {
			t.AssigneeName = ""
		}
	}
	if c.Due != nil {
		t.Due = *c.Due
	}
	t.Updated, t.UpdatedBy = c.At, c.By
}

// Todos returns a room's to-do list in the order it is worked through:
// by due date, items without one last, then in the order added.
func (s *Service) Todos(ctx context.Context, room RoomID) ([]Todo, error) {
	if _, _, err := s.authorize(ctx, room, ActionRead); err != nil {
		return nil, err
	}
	ts, err := s.store.Todos(ctx, room)
	if err != nil {
		return nil, err
	}
	SortTodos(ts)
	return ts, nil
}

// SortTodos puts a list in the order it is shown: by due date, undated
// last, then by id.
func SortTodos(ts []Todo) {
	slices.SortFunc(ts, func(a, b Todo) int {
		switch {
		case a.Due == b.Due:
			return cmp.Compare(a.ID, b.ID)
		case a.Due == "":
			return 1
		case b.Due == "":
			return -1
		}
		return strings.Compare(a.Due, b.Due)
	})
}

// AddTodo adds an item to a room's list. EINVALID for an empty or
// overlong text, ELIMIT when the list holds MaxTodos items, EFORBIDDEN
// for a guest, errNoRoom for a room the actor is not in.
func (s *Service) AddTodo(ctx context.Context, room RoomID, text string) (*Todo, error) {
	u, _, err := s.authorize(ctx, room, ActionUpload)
	if err != nil {
		return nil, err
	}
	text, err = checkTodoText(text)
	if err != nil {
		return nil, err
	}
	now := s.now()
	t := &Todo{RoomID: room, Text: text, CreatedBy: u.ID, CreatorName: u.Name, Created: now, Updated: now, UpdatedBy: u.ID}
	if err := s.store.AddTodo(ctx, t, MaxTodos); err != nil {
		if ErrorRule(err) == RuleTooManyTodos {
			return nil, Errorf(ELIMIT, "this workroom's to-do list holds %d items, the most it may; remove items that are done (todo %d remove ID) to make room", MaxTodos, room).Because(RuleTooManyTodos)
		}
		return nil, err
	}
	s.publishTodo(t)
	return t, nil
}

// EditTodo replaces an item's text.
func (s *Service) EditTodo(ctx context.Context, room RoomID, id TodoID, text string) (*Todo, error) {
	text, err := checkTodoText(text)
	if err != nil {
		return nil, err
	}
	return s.changeTodo(ctx, room, id, TodoChange{Text: &text})
}

// SetTodoDone checks an item off (done) or opens it again.
func (s *Service) SetTodoDone(ctx context.Context, room RoomID, id TodoID, done bool) (*Todo, error) {
	return s.changeTodo(ctx, room, id, TodoChange{Done: &done})
}

// AssignTodo gives an item to a member of the room; user 0 leaves it to
// nobody. EINVALID (RuleNotMember) when the user is not a member.
func (s *Service) AssignTodo(ctx context.Context, room RoomID, id TodoID, user UserID) (*Todo, error) {
	c := TodoChange{Assignee: &user}
	if user != 0 {
		if _, _, err := s.authorize(ctx, room, ActionUpload); err != nil {
			return nil, err // before looking anyone up
		}
		m, err := s.store.Member(ctx, room, user)
		if ErrorCode(err) == ENOTFOUND {
			return nil, errNotMember(user)
		} else if err != nil {
			return nil, err
		}
		c.AssigneeName = m.Name
		if m.Name == "" {
			if who, err := s.store.User(ctx, user); err == nil {
				c.AssigneeName = who.Name
			}
		}
	}
	return s.changeTodo(ctx, room, id, c)
}

// SetTodoDue sets the day an item is due, written YYYY-MM-DD; "" clears
// it. EINVALID for anything else.
func (s *Service) SetTodoDue(ctx context.Context, room RoomID, id TodoID, due string) (*Todo, error) {
	due = strings.TrimSpace(due)
	if due != "" {
		d, err := time.Parse(DueLayout, due)
		if err != nil || d.Format(DueLayout) != due {
			return nil, Errorf(EINVALID, "%q is not a date; write the due date as YYYY-MM-DD, such as 2026-12-24", due)
		}
	}
	return s.changeTodo(ctx, room, id, TodoChange{Due: &due})
}

// RemoveTodo takes an item off a room's list, for good: the members who
// may change the list may remove its items (done ones, or ones no longer
// wanted), and its number is not used again. ENOTFOUND for an item the
// room does not have.
func (s *Service) RemoveTodo(ctx context.Context, room RoomID, id TodoID) (*Todo, error) {
	u, _, err := s.authorize(ctx, room, ActionUpload)
	if err != nil {
		return nil, err
	}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	t, err := s.store.RemoveTodo(ctx, room, id)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, errNoTodo(room, id)
	case err != nil:
		return nil, err
	}
	t.Removed, t.Updated, t.UpdatedBy = true, s.now(), u.ID
	s.publishTodo(t)
	return t, nil
}

// errNoTodo is the answer for an item the room does not have.
func errNoTodo(room RoomID, id TodoID) *Error {
	return Errorf(ENOTFOUND, "workroom %d has no to-do item %d; list them with todo %d", room, id, room)
}

// changeTodo applies one change by the actor and tells the room.
// ENOTFOUND for an item the room does not have.
func (s *Service) changeTodo(ctx context.Context, room RoomID, id TodoID, c TodoChange) (*Todo, error) {
	u, _, err := s.authorize(ctx, room, ActionUpload)
	if err != nil {
		return nil, err
	}
	c.By, c.At = u.ID, s.now()
	t, err := s.store.UpdateTodo(ctx, room, id, c)
	switch {
	case ErrorRule(err) == RuleNotMember:
		return nil, errNotMember(*c.Assignee)
	case ErrorCode(err) == ENOTFOUND:
		return nil, errNoTodo(room, id)
	case err != nil:
		return nil, err
	}
	s.publishTodo(t)
	return t, nil
}

// publishTodo shows a changed (or removed) item to everyone looking at
// its room.
func (s *Service) publishTodo(t *Todo) {
	s.hub.PublishRoom(Event{Kind: EventTodo, RoomID: t.RoomID, Todo: t}, t.RoomID)
}

func errNotMember(user UserID) *Error {
	return Errorf(EINVALID, "user %d is not a member of this workroom; assign items to its members only", user).Because(RuleNotMember)
}

// checkTodoText checks an item's text: one line of visible text, at most
// MaxTodoLength characters.
func checkTodoText(text string) (string, error) {
	text = strings.TrimSpace(text)
	if strings.ContainsAny(text, "\r\n") {
		return "", Errorf(EINVALID, "a to-do item is one line; write it without line breaks")
	}
	return checkText("to-do item", text, MaxTodoLength, true)
}
