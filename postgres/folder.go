package postgres

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// Folders made on purpose have a row; folders holding files exist by
// their files' paths. Both writes here take the room's usage lock, as
// every write to the file area does (file.go).

// Folders implements workroom.Store.
func (db *DB) Folders(ctx context.Context, room workroom.RoomID) ([]string, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT path, true FROM folders WHERE room_id = $1
		UNION ALL SELECT path, false FROM files WHERE room_id = $1`, room)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var p string
	var made bool
	_, err = pgx.ForEachRow(rows, []any{&p, &made}, func() error {
		if made {
			seen[p] = true
		}
		for _, a := range ancestors(p) {
			seen[a] = true
		}
		return nil
	})
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out, err
}

// CreateFolder implements workroom.Store.
func (db *DB) CreateFolder(ctx context.Context, f workroom.Folder) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := lockUsage(ctx, tx, f.RoomID); err != nil {
			return err
		}
		_, err := readFile(ctx, tx, f.RoomID, f.Path)
		switch {
		case err == nil:
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleFileExists)
		case workroom.ErrorCode(err) != workroom.ENOTFOUND:
			return err
		}
		folder, err := isFolder(ctx, tx, f.RoomID, f.Path)
		if err != nil {
			return err
		}
		if folder {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleFileExists)
		}
		if err := placeable(ctx, tx, f.RoomID, f.Path); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO folders (room_id, path, created) VALUES ($1, $2, $3)`, f.RoomID, f.Path, f.Created)
		return err
	})
}

// RemoveFolder implements workroom.Store.
func (db *DB) RemoveFolder(ctx context.Context, room workroom.RoomID, p string) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := lockUsage(ctx, tx, room); err != nil {
			return err
		}
		folder, err := isFolder(ctx, tx, room, p)
		if err != nil {
			return err
		}
		if !folder {
			return notFound(pgx.ErrNoRows)
		}
		lo, hi := under(p)
		var full bool
		if err := tx.QueryRow(ctx, `SELECT
			EXISTS (SELECT 1 FROM folders WHERE room_id = $1 AND path >= $2 AND path < $3) OR
			EXISTS (SELECT 1 FROM files WHERE room_id = $1 AND path >= $2 AND path < $3)`, room, lo, hi).Scan(&full); err != nil {
			return err
		}
		if full {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleFolderNotEmpty)
		}
		_, err = tx.Exec(ctx, `DELETE FROM folders WHERE room_id = $1 AND path = $2`, room, p)
		return err
	})
}
