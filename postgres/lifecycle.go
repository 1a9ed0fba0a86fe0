package postgres

import (
	"cmp"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// Completion, retention and backup (workroom.LifecycleStore); Users is
// with the accounts.

// CompleteRoom implements workroom.Store.
func (db *DB) CompleteRoom(ctx context.Context, id workroom.RoomID, at time.Time) (*workroom.Room, error) {
	var r workroom.Room
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := scanRoom(tx.QueryRow(ctx, `SELECT `+roomCols+` FROM rooms WHERE id = $1 FOR NO KEY UPDATE`, id), &r); err != nil {
			return notFound(err)
		}
		if !r.Completed.IsZero() {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleCompleted)
		}
		r.Completed = at
		_, err := tx.Exec(ctx, `UPDATE rooms SET completed = $2 WHERE id = $1`, id, at)
		return err
	})
	if workroom.ErrorRule(err) == workroom.RuleCompleted {
		return &r, err
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// CompletedRooms implements workroom.Store.
func (db *DB) CompletedRooms(ctx context.Context) ([]workroom.Room, error) {
	return collect(ctx, db.pool, scanRoom, `SELECT `+roomCols+` FROM rooms WHERE completed IS NOT NULL ORDER BY id`)
}

// LastActivity implements workroom.Store.
func (db *DB) LastActivity(ctx context.Context, id workroom.RoomID) (time.Time, error) {
	return lastActivity(ctx, db.pool, id, "")
}

// lastActivity is the newest of a room's last message, its completion,
// its versions' uploads and its to-do changes. lock, when not "", is
// the lock taken on the room's row ("FOR NO KEY UPDATE"): it waits for
// an append under way and holds off the next, and the room's to-do
// items are locked too (shared), so the answer holds until tx ends.
func lastActivity(ctx context.Context, q querier, id workroom.RoomID, lock string) (time.Time, error) {
	var last time.Time
	var completed *time.Time
	if err := q.QueryRow(ctx, `SELECT last_activity, completed FROM rooms WHERE id = $1 `+lock, id).Scan(&last, &completed); err != nil {
		return time.Time{}, notFound(err)
	}
	if completed != nil && completed.After(last) {
		last = *completed
	}
	if lock != "" {
		// Shared: an item's change, and AddTodo's numbering, wait.
		for _, sql := range []string{`SELECT 1 FROM todo_seq WHERE room_id = $1 FOR SHARE`, `SELECT 1 FROM todos WHERE room_id = $1 FOR SHARE`} {
			rows, err := q.Query(ctx, sql, id)
			if err != nil {
				return time.Time{}, err
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return time.Time{}, err
			}
		}
	}
	var uploaded, changed *time.Time
	err := q.QueryRow(ctx, `SELECT
		(SELECT max((v->>'uploaded')::timestamptz) FROM files, jsonb_array_elements(versions) v WHERE room_id = $1),
		(SELECT max((item->>'updated')::timestamptz) FROM todos WHERE room_id = $1)`, id).Scan(&uploaded, &changed)
	if err != nil {
		return time.Time{}, err
	}
	for _, t := range []*time.Time{uploaded, changed} {
		if t != nil && t.After(last) {
			last = *t
		}
	}
	return last.UTC(), nil
}

// DropRoomFiles implements workroom.Store. Its locks come in the order
// the writes of files and messages take them — the room's usage row,
// then the room's row — so that it waits for them, never they for each
// other in a circle.
func (db *DB) DropRoomFiles(ctx context.Context, id workroom.RoomID, idleSince time.Time) ([]workroom.File, error) {
	var out []workroom.File
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := lockUsage(ctx, tx, id); err != nil {
			return err
		}
		last, err := lastActivity(ctx, tx, id, "FOR NO KEY UPDATE")
		if err != nil {
			return err
		}
		if last.After(idleSince) {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleRoomActive)
		}
		rows, err := tx.Query(ctx, `DELETE FROM files WHERE room_id = $1 RETURNING path, versions`, id)
		if err != nil {
			return err
		}
		if out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (workroom.File, error) {
			f := workroom.File{RoomID: id}
			return f, r.Scan(&f.Path, &f.Versions)
		}); err != nil {
			return err
		}
		slices.SortFunc(out, func(a, b workroom.File) int { return strings.Compare(a.Path, b.Path) })
		// Every version of the room is gone: so is every blob it held.
		for _, sql := range []string{
			`DELETE FROM room_blobs WHERE room_id = $1`,
			`DELETE FROM folders WHERE room_id = $1`,
			`UPDATE room_usage SET used = 0 WHERE room_id = $1`,
			// The job post's and the hired proposal's attachments are
			// the room's job/ and proposal/ files: they would keep
			// those blobs alive.
			`DELETE FROM job_files WHERE job_id = (SELECT job_id FROM rooms WHERE id = $1)`,
			`DELETE FROM proposal_files WHERE proposal_id = (SELECT j.proposal_id FROM rooms r JOIN jobs j ON j.id = r.job_id WHERE r.id = $1)`,
		} {
			if _, err := tx.Exec(ctx, sql, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UnhiredProposalFiles implements workroom.Store.
func (db *DB) UnhiredProposalFiles(ctx context.Context) ([]workroom.UnhiredFiles, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT p.id, j.id, r.created, f.path, f.version
		FROM jobs j
		JOIN rooms r ON r.id = j.room_id
		JOIN proposals p ON p.job_id = j.id AND p.id <> j.proposal_id
		JOIN proposal_files f ON f.proposal_id = p.id
		WHERE j.status = $1
		ORDER BY j.id, p.id, f.id`, workroom.JobAwarded)
	if err != nil {
		return nil, err
	}
	var out []workroom.UnhiredFiles
	var u workroom.UnhiredFiles
	var a workroom.Attachment
	_, err = pgx.ForEachRow(rows, []any{&u.ProposalID, &u.JobID, &u.Awarded, &a.Path, &a.Version}, func() error {
		if n := len(out); n == 0 || out[n-1].ProposalID != u.ProposalID {
			u.Awarded = u.Awarded.UTC()
			out = append(out, workroom.UnhiredFiles{ProposalID: u.ProposalID, JobID: u.JobID, Awarded: u.Awarded})
		}
		out[len(out)-1].Files = append(out[len(out)-1].Files, a)
		a = workroom.Attachment{}
		return nil
	})
	return out, err
}

// DropProposalFiles implements workroom.Store.
func (db *DB) DropProposalFiles(ctx context.Context, id workroom.ProposalID) ([]workroom.Attachment, error) {
	rows, err := db.pool.Query(ctx, `DELETE FROM proposal_files WHERE proposal_id = $1 RETURNING id, path, version`, id)
	if err != nil {
		return nil, err
	}
	type row struct {
		id int64
		a  workroom.Attachment
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.a.Path, &x.a.Version)
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(list, func(a, b row) int { return cmp.Compare(a.id, b.id) })
	out := []workroom.Attachment{}
	for _, x := range list {
		out = append(out, x.a)
	}
	return out, nil
}

// BlobUnusedSince implements workroom.Store. The exclusive advisory lock
// on the blob waits for every transaction under way that refers to it
// (blob_referenced takes the same lock shared) and holds off the next
// until this one ends: whether the blob is used, and the finding
// recorded, are one decision.
func (db *DB) BlobUnusedSince(ctx context.Context, sum string, now time.Time) (time.Time, error) {
	var since time.Time
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, sum); err != nil {
			return err
		}
		used, err := blobUsed(ctx, tx, sum)
		if err != nil {
			return err
		}
		if used {
			_, err := tx.Exec(ctx, `DELETE FROM blob_unused WHERE sha256 = $1`, sum)
			return err
		}
		err = tx.QueryRow(ctx, `SELECT since FROM blob_unused WHERE sha256 = $1`, sum).Scan(&since)
		if !errors.Is(err, pgx.ErrNoRows) {
			since = since.UTC()
			return err
		}
		since = now
		_, err = tx.Exec(ctx, `INSERT INTO blob_unused (sha256, since) VALUES ($1, $2)`, sum, now)
		return err
	})
	return since, err
}

// ForgetBlob implements workroom.Store.
func (db *DB) ForgetBlob(ctx context.Context, sum string) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM blob_unused WHERE sha256 = $1`, sum)
	return err
}

// Backup implements workroom.Store by refusing: a PostgreSQL store is
// backed up with PostgreSQL's own tools, which take a consistent
// snapshot of a running database, and its blobs with the blob folder or
// bucket (README: backup and restore with PostgreSQL).
func (db *DB) Backup(context.Context, io.Writer) error {
	return workroom.Errorf(workroom.EINVALID,
		"admin backup copies only the embedded store, and this server keeps its data in PostgreSQL: back up the database with pg_dump, then copy the blob folder or bucket (README: \"Backup and restore with PostgreSQL\")").
		Because(workroom.RuleBackupElsewhere)
}
