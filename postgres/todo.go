package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// A room's to-do items are rows of todos, the item itself as JSON;
// todo_seq holds the room's last item number, and its row is the lock
// AddTodo takes, so the list's bound and the numbering hold under racing
// adds. A change locks the item's row, so two changes to one item apply
// one after the other, each to what the other left.

// AddTodo implements workroom.Store.
func (db *DB) AddTodo(ctx context.Context, t *workroom.Todo, max int) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		if err := requireRoom(ctx, tx, t.RoomID); err != nil {
			return err
		}
		var last uint64
		if err := tx.QueryRow(ctx, `
			INSERT INTO todo_seq (room_id, last) VALUES ($1, 1)
			ON CONFLICT (room_id) DO UPDATE SET last = todo_seq.last + 1
			RETURNING last`, t.RoomID).Scan(&last); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM todos WHERE room_id = $1`, t.RoomID).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return workroom.Refusal(workroom.ELIMIT, workroom.RuleTooManyTodos)
		}
		t.ID = workroom.TodoID(last)
		_, err := tx.Exec(ctx, `INSERT INTO todos (room_id, id, item) VALUES ($1, $2, $3)`, t.RoomID, t.ID, t)
		return err
	})
}

// requireRoom refuses with ENOTFOUND when there is no such room.
func requireRoom(ctx context.Context, q querier, room workroom.RoomID) error {
	var one int
	return notFound(q.QueryRow(ctx, `SELECT 1 FROM rooms WHERE id = $1`, room).Scan(&one))
}

// UpdateTodo implements workroom.Store.
func (db *DB) UpdateTodo(ctx context.Context, room workroom.RoomID, id workroom.TodoID, c workroom.TodoChange) (*workroom.Todo, error) {
	var t workroom.Todo
	err := db.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT item FROM todos WHERE room_id = $1 AND id = $2 FOR UPDATE`, room, id).Scan(&t)
		if err != nil {
			return notFound(err)
		}
		if c.Assignee != nil && *c.Assignee != 0 {
			var member bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM members WHERE room_id = $1 AND user_id = $2)`,
				room, *c.Assignee).Scan(&member); err != nil {
				return err
			}
			if !member {
				return workroom.Refusal(workroom.EINVALID, workroom.RuleNotMember)
			}
		}
		t.Apply(c)
		_, err = tx.Exec(ctx, `UPDATE todos SET item = $3 WHERE room_id = $1 AND id = $2`, room, id, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// RemoveTodo implements workroom.Store. todo_seq keeps the room's last
// item number, so the number is not used again.
func (db *DB) RemoveTodo(ctx context.Context, room workroom.RoomID, id workroom.TodoID) (*workroom.Todo, error) {
	var t workroom.Todo
	err := db.pool.QueryRow(ctx, `DELETE FROM todos WHERE room_id = $1 AND id = $2 RETURNING item`, room, id).Scan(&t)
	if err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}

// Todos implements workroom.Store.
func (db *DB) Todos(ctx context.Context, room workroom.RoomID) ([]workroom.Todo, error) {
	rows, err := db.pool.Query(ctx, `SELECT item FROM todos WHERE room_id = $1 ORDER BY id`, room)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[workroom.Todo])
	if out == nil {
		out = []workroom.Todo{}
	}
	return out, err
}
