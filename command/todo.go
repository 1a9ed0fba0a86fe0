package command

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// todoCmd shows and changes a workroom's to-do list: `todo ROOM` lists
// it, and a verb after ROOM changes one item. The verbs come after the
// room (the fixed surface: todo ROOM add TEXT), so they are read here
// rather than as cobra subcommands; the text of add and edit is the rest
// of the line, exactly as typed (grammar.go), or stdin.
func (s *session) todoCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "todo ROOM [add|edit|done|undone|assign|due|remove …]",
		Short: "a workroom's to-do list; add, edit, tick off, assign, set due dates, remove (help todo for each)",
		Long: "todo ROOM lists the workroom's to-do items, by due date (items without one last), then\n" +
			"in the order added. After ROOM:\n" +
			"  add TEXT            add an item (TEXT is the rest of the line; none or - reads stdin)\n" +
			"  edit ID TEXT        replace an item's text (none or - reads stdin)\n" +
			"  done ID, undone ID  tick an item off, or open it again\n" +
			"  assign ID USER      give it to a member: their user id or their name; none for nobody\n" +
			"  due ID YYYY-MM-DD   set the day it is due; none clears it\n" +
			"  remove ID           take an item off the list for good (its number is not reused)\n" +
			"Each change prints the item as it is now (remove: as it was). Clients, freelancers and\n" +
			"team members change the list; guests read it.",
		Args: leadingArgs("ROOM"),
		RunE: func(c *cobra.Command, args []string) error {
			id, err := ParseID("ROOM", args[0])
			if err != nil {
				return err
			}
			room := workroom.RoomID(id)
			if len(args) == 1 {
				return s.listTodos(c, room)
			}
			td, err := s.changeTodo(c, room, args[1], args[2:])
			if err != nil {
				return err
			}
			return s.emit(struct {
				Todo *workroom.Todo `json:"todo"`
			}{td}, func(w io.Writer) error {
				if td.Removed {
					_, err := fmt.Fprintln(w, "removed: "+todoLine(td))
					return err
				}
				_, err := fmt.Fprintln(w, todoLine(td))
				return err
			})
		},
	}
	markTextAfterVerb(c, "add", 2)
	markTextAfterVerb(c, "edit", 3)
	return c
}

// todoVerbs are the words after ROOM, with the arguments each takes.
var todoVerbs = map[string][]string{
	"add": {"TEXT"}, "edit": {"ID", "TEXT"}, "done": {"ID"}, "undone": {"ID"},
	"assign": {"ID", "USER"}, "due": {"ID", "YYYY-MM-DD"}, "remove": {"ID"},
}

// changeTodo runs one verb on the list.
func (s *session) changeTodo(c *cobra.Command, room workroom.RoomID, verb string, args []string) (*workroom.Todo, error) {
	names, ok := todoVerbs[verb]
	if !ok {
		return nil, usagef("todo takes add, edit, done, undone, assign, due or remove after ROOM, not %q; usage: %s", line(verb), usageLine(c))
	}
	// The text of add and edit, when not on the line (or given as -),
	// is read from stdin.
	if at := len(names) - 1; names[at] == "TEXT" && (len(args) == at || len(args) == at+1 && args[at] == stdinValue) {
		text, err := readText(s.in)
		if err != nil {
			return nil, err
		}
		args = append(args[:at:at], text)
	}
	if len(args) < len(names) {
		return nil, usagef("todo %s needs %s; usage: todo ROOM %s %s", verb, names[len(args)], verb, strings.Join(names, " "))
	}
	if len(args) > len(names) {
		return nil, usagef("unexpected argument %q; usage: todo ROOM %s %s", line(args[len(names)]), verb, strings.Join(names, " "))
	}
	ctx := c.Context()
	if verb == "add" {
		return s.svc.AddTodo(ctx, room, args[0])
	}
	n, err := ParseID("ID", args[0])
	if err != nil {
		return nil, err
	}
	item := workroom.TodoID(n)
	switch verb {
	case "edit":
		return s.svc.EditTodo(ctx, room, item, args[1])
	case "done", "undone":
		return s.svc.SetTodoDone(ctx, room, item, verb == "done")
	case "remove":
		return s.svc.RemoveTodo(ctx, room, item)
	case "assign":
		user, err := s.memberNamed(c, room, args[1])
		if err != nil {
			return nil, err
		}
		return s.svc.AssignTodo(ctx, room, item, user)
	default: // due
		due := args[1]
		if due == "none" {
			due = ""
		}
		return s.svc.SetTodoDue(ctx, room, item, due)
	}
}

// memberNamed reads the USER of assign: none, a user id, or the name of
// one member of the room (case-insensitive).
func (s *session) memberNamed(c *cobra.Command, room workroom.RoomID, who string) (workroom.UserID, error) {
	if who == "none" {
		return 0, nil
	}
	if strings.Trim(who, "0123456789") == "" {
		id, err := ParseID("USER", who)
		return workroom.UserID(id), err
	}
	ms, err := s.svc.Members(c.Context(), room)
	if err != nil {
		return 0, err
	}
	var found []workroom.Member
	for _, m := range ms {
		if strings.EqualFold(m.Name, who) {
			found = append(found, m)
		}
	}
	switch len(found) {
	case 1:
		return found[0].UserID, nil
	case 0:
		return 0, workroom.Errorf(workroom.EINVALID, "no member of workroom %d is called %q; give their user id or name as members %d shows it", room, line(who), room)
	default:
		return 0, workroom.Errorf(workroom.EINVALID, "%d members of workroom %d are called %q; give the user id instead", len(found), room, line(who))
	}
}

// listTodos prints the list as a table.
func (s *session) listTodos(c *cobra.Command, room workroom.RoomID) error {
	list, err := s.svc.Todos(c.Context(), room)
	if err != nil {
		return err
	}
	return s.emit(struct {
		Todos []workroom.Todo `json:"todos"`
	}{nonNil(list)}, func(w io.Writer) error {
		if len(list) == 0 {
			_, err := fmt.Fprintf(w, "No to-do items in workroom %d yet. Add one with: todo %d add TEXT\n", room, room)
			return err
		}
		t := newTable(w, "ID", "DONE", "DUE", "ASSIGNEE", "TEXT")
		for _, td := range list {
			t.row(td.ID, checkbox(td.Done), orDash(td.Due), orDash(td.AssigneeName), td.Text)
		}
		return t.flush()
	})
}

// todoLine is one item on one line: "#3 [x] Draw sketches · due
// 2026-12-24 · Bob".
func todoLine(td *workroom.Todo) string {
	s := fmt.Sprintf("#%d %s %s", td.ID, checkbox(td.Done), line(td.Text))
	if td.Due != "" {
		s += " · due " + td.Due
	}
	if td.AssigneeName != "" {
		s += " · " + line(td.AssigneeName)
	}
	return s
}

func checkbox(done bool) string {
	if done {
		return "[x]"
	}
	return "[ ]"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
