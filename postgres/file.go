package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// The file area (tables in migrations/0002_files.sql). A file is one row
// holding all its versions. Every write to a room's file area first locks
// the room's usage row (lockUsage), so writes to one room's files run one
// at a time and each decides on what the one before left: the quota
// checked and the version recorded together, as the contract's QuotaRace
// needs. room_blobs counts, per room and blob, the versions that hold it,
// and a blob's size is added to the room's usage when its count leaves 0
// and taken off when it returns there: identical content counts once.

// usage is a room's usage row; quota 0 is the default.
type usage struct {
	used, quota int64
}

func (u usage) public(def int64) workroom.Usage {
	q := u.quota
	if q == 0 {
		q = def
	}
	return workroom.Usage{Used: u.used, Quota: q}
}

// lockUsage locks the room's usage row for the rest of tx, making it
// when the room has none yet (Award makes it; this is for rooms made
// otherwise). ENOTFOUND when there is no such room.
func lockUsage(ctx context.Context, tx pgx.Tx, room workroom.RoomID) (usage, error) {
	var u usage
	for range 2 {
		err := tx.QueryRow(ctx, `SELECT used, quota FROM room_usage WHERE room_id = $1 FOR UPDATE`, room).Scan(&u.used, &u.quota)
		if !errors.Is(err, pgx.ErrNoRows) {
			return u, err
		}
		// A racing insert makes this wait for it, then do nothing; the
		// second SELECT sees its row.
		_, err = tx.Exec(ctx, `INSERT INTO room_usage (room_id) SELECT id FROM rooms WHERE id = $1 ON CONFLICT DO NOTHING`, room)
		if err != nil {
			return u, err
		}
	}
	return u, notFound(pgx.ErrNoRows)
}

func saveUsage(ctx context.Context, tx pgx.Tx, room workroom.RoomID, u usage) error {
	_, err := tx.Exec(ctx, `UPDATE room_usage SET used = $2 WHERE room_id = $1`, room, u.used)
	return err
}

// holdBlob counts one more version of v in the room; the room's first
// adds the blob's size to used and refers to the blob.
func holdBlob(ctx context.Context, tx pgx.Tx, room workroom.RoomID, v workroom.Version, u *usage) error {
	var n int
	err := tx.QueryRow(ctx, `
		INSERT INTO room_blobs (room_id, sha256, versions, size) VALUES ($1, $2, 1, $3)
		ON CONFLICT (room_id, sha256) DO UPDATE SET versions = room_blobs.versions + 1
		RETURNING versions`, room, v.SHA256, v.Size).Scan(&n)
	if err != nil || n > 1 {
		return err
	}
	u.used += v.Size
	return referBlob(ctx, tx, v.SHA256)
}

// referBlob forgets any finding that the blob was unused: something
// refers to it again (blob_referenced in the migration).
func referBlob(ctx context.Context, tx pgx.Tx, sum string) error {
	_, err := tx.Exec(ctx, `SELECT blob_referenced($1)`, sum)
	return err
}

// dropVersions lets go of the versions' blobs in the room: each blob's
// count goes down by the versions of it, and a blob whose count reaches
// 0 leaves the room's usage.
func dropVersions(ctx context.Context, tx pgx.Tx, room workroom.RoomID, vs []workroom.Version, u *usage) error {
	counts := map[string]int{}
	for _, v := range vs {
		counts[v.SHA256]++
	}
	for sum, n := range counts {
		var left int
		var size int64
		err := tx.QueryRow(ctx, `UPDATE room_blobs SET versions = versions - $3 WHERE room_id = $1 AND sha256 = $2 RETURNING versions, size`,
			room, sum, n).Scan(&left, &size)
		if err != nil {
			return err
		}
		if left > 0 {
			continue
		}
		if _, err := tx.Exec(ctx, `DELETE FROM room_blobs WHERE room_id = $1 AND sha256 = $2`, room, sum); err != nil {
			return err
		}
		u.used -= size
	}
	return nil
}

// readFile reads a file inside tx; ENOTFOUND when the path holds none.
func readFile(ctx context.Context, q querier, room workroom.RoomID, p string) (*workroom.File, error) {
	f := &workroom.File{RoomID: room, Path: p}
	err := q.QueryRow(ctx, `SELECT versions FROM files WHERE room_id = $1 AND path = $2`, room, p).Scan(&f.Versions)
	if err != nil {
		return nil, notFound(err)
	}
	return f, nil
}

// putFile writes a file's row, making it when the path holds none.
func putFile(ctx context.Context, tx pgx.Tx, f *workroom.File) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO files (room_id, path, versions) VALUES ($1, $2, $3)
		ON CONFLICT (room_id, path) DO UPDATE SET versions = excluded.versions`, f.RoomID, f.Path, f.Versions)
	return err
}

// ancestors are the folders p lies under: "a", "a/b" for "a/b/c".
func ancestors(p string) []string {
	var out []string
	for i := strings.IndexByte(p, '/'); i >= 0; i = nextSlash(p, i) {
		out = append(out, p[:i])
	}
	return out
}

func nextSlash(p string, i int) int {
	j := strings.IndexByte(p[i+1:], '/')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// placeable refuses a file path that is a folder or lies under a file.
func placeable(ctx context.Context, tx pgx.Tx, room workroom.RoomID, p string) error {
	var underFile bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM files WHERE room_id = $1 AND path = ANY ($2))`,
		room, ancestors(p)).Scan(&underFile); err != nil {
		return err
	}
	folder, err := isFolder(ctx, tx, room, p)
	if err != nil {
		return err
	}
	if underFile || folder {
		return workroom.Refusal(workroom.ECONFLICT, workroom.RuleNotAFile)
	}
	return nil
}

// under is the range of paths inside folder p: from p+"/" up to, not
// including, p+"0" ('0' follows '/' bytewise).
func under(p string) (lo, hi string) { return p + "/", p + "0" }

// isFolder reports whether p was made a folder or holds files.
func isFolder(ctx context.Context, tx pgx.Tx, room workroom.RoomID, p string) (bool, error) {
	lo, hi := under(p)
	var yes bool
	err := tx.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM folders WHERE room_id = $1 AND path = $2) OR
		EXISTS (SELECT 1 FROM folders WHERE room_id = $1 AND path >= $3 AND path < $4) OR
		EXISTS (SELECT 1 FROM files WHERE room_id = $1 AND path >= $3 AND path < $4)`, room, p, lo, hi).Scan(&yes)
	return yes, err
}

// CommitVersion implements workroom.Store.
func (db *DB) CommitVersion(ctx context.Context, c workroom.VersionCommit) (*workroom.File, bool, error) {
	var f *workroom.File
	added := false
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		f, added, err = commitVersion(ctx, tx, c)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return f, added, nil
}

// commitVersion is CommitVersion inside tx.
func commitVersion(ctx context.Context, tx pgx.Tx, c workroom.VersionCommit) (*workroom.File, bool, error) {
	u, err := lockUsage(ctx, tx, c.Room)
	if err != nil {
		return nil, false, err
	}
	f, err := readFile(ctx, tx, c.Room, c.Path)
	switch {
	case err == nil && c.IfAbsent:
		return nil, false, workroom.Refusal(workroom.ECONFLICT, workroom.RuleFileExists)
	case err == nil && f.Latest().SHA256 == c.Version.SHA256:
		return f, false, nil
	case err == nil:
	case workroom.ErrorCode(err) == workroom.ENOTFOUND:
		if err := placeable(ctx, tx, c.Room, c.Path); err != nil {
			return nil, false, err
		}
		f = &workroom.File{RoomID: c.Room, Path: c.Path}
	default:
		return nil, false, err
	}
	v := c.Version
	v.N = 1
	if len(f.Versions) > 0 {
		v.N = f.Latest().N + 1
	}
	if err := holdBlob(ctx, tx, c.Room, v, &u); err != nil {
		return nil, false, err
	}
	if u.used > u.public(c.DefaultQuota).Quota {
		return nil, false, workroom.Refusal(workroom.ELIMIT, workroom.RuleQuota)
	}
	f.Versions = append(f.Versions, v)
	if err := saveUsage(ctx, tx, c.Room, u); err != nil {
		return nil, false, err
	}
	return f, true, putFile(ctx, tx, f)
}

// File implements workroom.Store.
func (db *DB) File(ctx context.Context, room workroom.RoomID, p string) (*workroom.File, error) {
	return readFile(ctx, db.pool, room, p)
}

// Files implements workroom.Store.
func (db *DB) Files(ctx context.Context, room workroom.RoomID, after string, limit int) ([]workroom.File, error) {
	rows, err := db.pool.Query(ctx, `SELECT path, versions FROM files WHERE room_id = $1 AND path > $2 ORDER BY path LIMIT $3`, room, after, limit)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (workroom.File, error) {
		f := workroom.File{RoomID: room}
		return f, r.Scan(&f.Path, &f.Versions)
	})
	if out == nil {
		out = []workroom.File{}
	}
	return out, err
}

// Usage implements workroom.Store.
func (db *DB) Usage(ctx context.Context, room workroom.RoomID, def int64) (workroom.Usage, error) {
	var u usage
	err := db.pool.QueryRow(ctx, `
		SELECT coalesce(u.used, 0), coalesce(u.quota, 0)
		FROM rooms r LEFT JOIN room_usage u ON u.room_id = r.id WHERE r.id = $1`, room).Scan(&u.used, &u.quota)
	if err != nil {
		return workroom.Usage{}, notFound(err)
	}
	return u.public(def), nil
}

// SetQuota implements workroom.Store.
func (db *DB) SetQuota(ctx context.Context, room workroom.RoomID, quota int64) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := lockUsage(ctx, tx, room); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE room_usage SET quota = $2 WHERE room_id = $1`, room, quota)
		return err
	})
}

// removeFile deletes a file's row and lets go of its versions' blobs.
func removeFile(ctx context.Context, tx pgx.Tx, f *workroom.File, u *usage) error {
	if err := dropVersions(ctx, tx, f.RoomID, f.Versions, u); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM files WHERE room_id = $1 AND path = $2`, f.RoomID, f.Path)
	return err
}

// DeleteFile implements workroom.Store.
func (db *DB) DeleteFile(ctx context.Context, room workroom.RoomID, p string, onlyBy workroom.UserID) (*workroom.File, error) {
	var f *workroom.File
	err := db.tx(ctx, func(tx pgx.Tx) error {
		u, err := lockUsage(ctx, tx, room)
		if err != nil {
			return err
		}
		if f, err = readFile(ctx, tx, room, p); err != nil {
			return err
		}
		if err := f.OnlyBy(onlyBy); err != nil {
			return err
		}
		if err := removeFile(ctx, tx, f, &u); err != nil {
			return err
		}
		return saveUsage(ctx, tx, room, u)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// RenameFile implements workroom.Store.
func (db *DB) RenameFile(ctx context.Context, room workroom.RoomID, from, to string, onlyBy workroom.UserID) (*workroom.File, error) {
	var dst *workroom.File
	err := db.tx(ctx, func(tx pgx.Tx) error {
		u, err := lockUsage(ctx, tx, room)
		if err != nil {
			return err
		}
		src, err := readFile(ctx, tx, room, from)
		if err != nil {
			return err
		}
		if from == to {
			dst = src
			return nil
		}
		dst, err = readFile(ctx, tx, room, to)
		switch {
		case workroom.ErrorCode(err) == workroom.ENOTFOUND:
			if err := placeable(ctx, tx, room, to); err != nil {
				return err
			}
			dst = src
			dst.Path = to
			_, err := tx.Exec(ctx, `UPDATE files SET path = $3 WHERE room_id = $1 AND path = $2`, room, from, to)
			return err
		case err != nil:
			return err
		}
		if err := src.OnlyBy(onlyBy); err != nil {
			return err
		}
		// The new version is held before the moved file lets go of its
		// blobs, so a blob both share never leaves the room's count.
		if v := src.Latest(); v.SHA256 != dst.Latest().SHA256 {
			v.N = dst.Latest().N + 1
			if err := holdBlob(ctx, tx, room, v, &u); err != nil {
				return err
			}
			dst.Versions = append(dst.Versions, v)
		}
		if err := removeFile(ctx, tx, src, &u); err != nil {
			return err
		}
		if err := saveUsage(ctx, tx, room, u); err != nil {
			return err
		}
		return putFile(ctx, tx, dst)
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}

// SetModTime implements workroom.Store.
func (db *DB) SetModTime(ctx context.Context, room workroom.RoomID, p string, t time.Time) (*workroom.File, error) {
	var f *workroom.File
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := lockUsage(ctx, tx, room); err != nil {
			return err
		}
		var err error
		if f, err = readFile(ctx, tx, room, p); err != nil {
			return err
		}
		f.Versions[len(f.Versions)-1].ModTime = t
		return putFile(ctx, tx, f)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// BlobUsed implements workroom.Store.
func (db *DB) BlobUsed(ctx context.Context, sum string) (bool, error) {
	return blobUsed(ctx, db.pool, sum)
}

// blobUsed reports whether a room's version, a job's or a proposal's
// attachment refers to the blob.
func blobUsed(ctx context.Context, q querier, sum string) (bool, error) {
	var used bool
	err := q.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM room_blobs WHERE sha256 = $1) OR
		EXISTS (SELECT 1 FROM job_files WHERE sha256 = $1) OR
		EXISTS (SELECT 1 FROM proposal_files WHERE sha256 = $1)`, sum).Scan(&used)
	return used, err
}
