package store

import (
	"bytes"
	"context"
	"encoding/json"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// A room's to-do items are keyed room id ‖ item id, so the list is one
// prefix scan; bucketTodoSeq holds each room's last item number.

// AddTodo implements workroom.Store.
func (d *DB) AddTodo(ctx context.Context, t *workroom.Todo, max int) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketRooms).Get(u64(uint64(t.RoomID))) == nil {
			return notFound("workroom")
		}
		items := tx.Bucket(bucketTodos)
		n := 0
		prefix := u64(uint64(t.RoomID))
		c := items.Cursor()
		for k, _ := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n++
		}
		if n >= max {
			return workroom.Refusal(workroom.ELIMIT, workroom.RuleTooManyTodos)
		}
		seqs := tx.Bucket(bucketTodoSeq)
		var last uint64
		if v := seqs.Get(prefix); v != nil {
			last = beUint64(v)
		}
		t.ID = workroom.TodoID(last + 1)
		if err := seqs.Put(prefix, u64(uint64(t.ID))); err != nil {
			return err
		}
		return put(items, key2(uint64(t.RoomID), uint64(t.ID)), t)
	})
}

// UpdateTodo implements workroom.Store.
func (d *DB) UpdateTodo(ctx context.Context, room workroom.RoomID, id workroom.TodoID, c workroom.TodoChange) (*workroom.Todo, error) {
	return d.withTodo(ctx, room, id, func(tx *bolt.Tx, items *bolt.Bucket, k []byte, t *workroom.Todo) error {
		if c.Assignee != nil && *c.Assignee != 0 &&
			tx.Bucket(bucketMembers).Get(key2(uint64(room), uint64(*c.Assignee))) == nil {
			return workroom.Refusal(workroom.EINVALID, workroom.RuleNotMember)
		}
		t.Apply(c)
		return put(items, k, t)
	})
}

// RemoveTodo implements workroom.Store. The room's last item number
// stays in bucketTodoSeq, so the number is not used again.
func (d *DB) RemoveTodo(ctx context.Context, room workroom.RoomID, id workroom.TodoID) (*workroom.Todo, error) {
	return d.withTodo(ctx, room, id, func(_ *bolt.Tx, items *bolt.Bucket, k []byte, _ *workroom.Todo) error {
		return items.Delete(k)
	})
}

// withTodo reads one item and runs change on it in one transaction; the
// item is returned as change left it. ENOTFOUND when the room has no
// such item.
func (d *DB) withTodo(ctx context.Context, room workroom.RoomID, id workroom.TodoID, change func(tx *bolt.Tx, items *bolt.Bucket, k []byte, t *workroom.Todo) error) (*workroom.Todo, error) {
	var t workroom.Todo
	err := d.update(ctx, func(tx *bolt.Tx) error {
		items := tx.Bucket(bucketTodos)
		k := key2(uint64(room), uint64(id))
		if err := get(items, k, &t, "to-do item"); err != nil {
			return err
		}
		return change(tx, items, k, &t)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// Todos implements workroom.Store.
func (d *DB) Todos(ctx context.Context, room workroom.RoomID) ([]workroom.Todo, error) {
	out := []workroom.Todo{}
	err := d.db.View(func(tx *bolt.Tx) error {
		prefix := u64(uint64(room))
		c := tx.Bucket(bucketTodos).Cursor()
		for k, v := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var t workroom.Todo
			if err := json.Unmarshal(v, &t); err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
}
