package store

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// The file area. A file is one record holding all its versions, keyed
// room id ‖ path, so a room's files are a prefix scan in path order. What
// a room uses is kept, not summed on demand: room_blobs counts, per room
// and blob, the versions that hold it, and a blob's size is added to the
// room's usage when its count leaves 0 and taken off when it returns
// there — identical content counts once. blob_refs counts, per blob, the
// rooms, jobs and proposals that hold it: a blob with no entry is unused.

var (
	bucketFiles     = []byte("files")          // room id ‖ path → File
	bucketFolders   = []byte("folders")        // room id ‖ path → Folder
	bucketRoomBlobs = []byte("room_blobs")     // room id ‖ sha256 → versions holding it
	bucketUsage     = []byte("usage")          // room id → usage
	bucketBlobRefs  = []byte("blob_refs")      // sha256 → holders (rooms, jobs, proposals)
	bucketJobFiles  = []byte("job_files")      // job id → []Attachment
	bucketPropFiles = []byte("proposal_files") // proposal id → []Attachment
)

func init() {
	allBuckets = append(allBuckets, bucketFiles, bucketFolders, bucketRoomBlobs, bucketUsage, bucketBlobRefs, bucketJobFiles, bucketPropFiles)
}

// usage is a room's stored usage; Quota 0 is the default.
type usage struct {
	Used  int64 `json:"used"`
	Quota int64 `json:"quota,omitempty"`
}

func pathKey(room workroom.RoomID, p string) []byte {
	return append(u64(uint64(room)), p...)
}

func readUsage(tx *bolt.Tx, room workroom.RoomID) (usage, error) {
	var u usage
	if err := get(tx.Bucket(bucketRooms), u64(uint64(room)), &workroom.Room{}, "workroom"); err != nil {
		return u, err
	}
	if buf := tx.Bucket(bucketUsage).Get(u64(uint64(room))); buf != nil {
		return u, json.Unmarshal(buf, &u)
	}
	return u, nil
}

func (u usage) public(def int64) workroom.Usage {
	q := u.Quota
	if q == 0 {
		q = def
	}
	return workroom.Usage{Used: u.Used, Quota: q}
}

// counter adds d to the count at k in b, deleting it at 0, and returns
// the count before.
func counter(b *bolt.Bucket, k []byte, d int64) (int64, error) {
	var n int64
	if buf := b.Get(k); buf != nil {
		n = int64(beUint64(buf))
	}
	if n+d <= 0 {
		return n, b.Delete(k)
	}
	return n, b.Put(k, u64(uint64(n+d)))
}

// holdBlob counts one more version of v in a room (and the room as a
// holder of the blob when it is the first), adding its size to used.
func holdBlob(tx *bolt.Tx, room workroom.RoomID, v workroom.Version, u *usage) error {
	before, err := counter(tx.Bucket(bucketRoomBlobs), append(u64(uint64(room)), v.SHA256...), 1)
	if err != nil || before > 0 {
		return err
	}
	u.Used += v.Size
	return refBlob(tx, v.SHA256)
}

// dropBlob undoes holdBlob.
func dropBlob(tx *bolt.Tx, room workroom.RoomID, v workroom.Version, u *usage) error {
	before, err := counter(tx.Bucket(bucketRoomBlobs), append(u64(uint64(room)), v.SHA256...), -1)
	if err != nil || before != 1 {
		return err
	}
	u.Used -= v.Size
	_, err = counter(tx.Bucket(bucketBlobRefs), []byte(v.SHA256), -1)
	return err
}

// placeable refuses a file path that is a folder or lies under a file.
func placeable(tx *bolt.Tx, room workroom.RoomID, p string) error {
	files := tx.Bucket(bucketFiles)
	for i := strings.IndexByte(p, '/'); i >= 0; i = nextSlash(p, i) {
		if files.Get(pathKey(room, p[:i])) != nil {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleNotAFile)
		}
	}
	if isFolder(tx, room, p) {
		return workroom.Refusal(workroom.ECONFLICT, workroom.RuleNotAFile)
	}
	return nil
}

func nextSlash(p string, i int) int {
	j := strings.IndexByte(p[i+1:], '/')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// isFolder reports whether p was made a folder or holds files.
func isFolder(tx *bolt.Tx, room workroom.RoomID, p string) bool {
	if tx.Bucket(bucketFolders).Get(pathKey(room, p)) != nil {
		return true
	}
	prefix := pathKey(room, p+"/")
	for _, b := range [][]byte{bucketFiles, bucketFolders} {
		if k, _ := tx.Bucket(b).Cursor().Seek(prefix); bytes.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// CommitVersion implements workroom.Store.
func (d *DB) CommitVersion(ctx context.Context, c workroom.VersionCommit) (*workroom.File, bool, error) {
	var f workroom.File
	added := false
	err := d.update(ctx, func(tx *bolt.Tx) error {
		var err error
		added, err = commitVersion(tx, c, &f)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return &f, added, nil
}

// commitVersion is CommitVersion inside tx; f receives the file.
func commitVersion(tx *bolt.Tx, c workroom.VersionCommit, f *workroom.File) (bool, error) {
	u, err := readUsage(tx, c.Room)
	if err != nil {
		return false, err
	}
	files := tx.Bucket(bucketFiles)
	k := pathKey(c.Room, c.Path)
	switch err := get(files, k, f, "file"); {
	case err == nil && c.IfAbsent:
		return false, workroom.Refusal(workroom.ECONFLICT, workroom.RuleFileExists)
	case err == nil && f.Latest().SHA256 == c.Version.SHA256:
		return false, nil
	case err == nil:
	case workroom.ErrorCode(err) == workroom.ENOTFOUND:
		if err := placeable(tx, c.Room, c.Path); err != nil {
			return false, err
		}
		*f = workroom.File{RoomID: c.Room, Path: c.Path}
	default:
		return false, err
	}
	v := c.Version
	v.N = 1
	if len(f.Versions) > 0 {
		v.N = f.Latest().N + 1
	}
	if err := holdBlob(tx, c.Room, v, &u); err != nil {
		return false, err
	}
	if u.Used > u.public(c.DefaultQuota).Quota {
		return false, workroom.Refusal(workroom.ELIMIT, workroom.RuleQuota)
	}
	f.Versions = append(f.Versions, v)
	if err := put(tx.Bucket(bucketUsage), u64(uint64(c.Room)), u); err != nil {
		return false, err
	}
	return true, put(files, k, f)
}

// File implements workroom.Store.
func (d *DB) File(ctx context.Context, room workroom.RoomID, p string) (*workroom.File, error) {
	var f workroom.File
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketFiles), pathKey(room, p), &f, "file")
	})
	return &f, err
}

// Files implements workroom.Store.
func (d *DB) Files(ctx context.Context, room workroom.RoomID, after string, limit int) ([]workroom.File, error) {
	out := []workroom.File{}
	err := d.db.View(func(tx *bolt.Tx) error {
		prefix := u64(uint64(room))
		c := tx.Bucket(bucketFiles).Cursor()
		k, v := c.Seek(pathKey(room, after))
		if after != "" && bytes.Equal(k, pathKey(room, after)) {
			k, v = c.Next()
		}
		for ; bytes.HasPrefix(k, prefix) && len(out) < limit; k, v = c.Next() {
			var f workroom.File
			if err := json.Unmarshal(v, &f); err != nil {
				return err
			}
			out = append(out, f)
		}
		return nil
	})
	return out, err
}

// Folders implements workroom.Store.
func (d *DB) Folders(ctx context.Context, room workroom.RoomID) ([]string, error) {
	seen := map[string]bool{}
	err := d.db.View(func(tx *bolt.Tx) error {
		prefix := u64(uint64(room))
		for _, b := range [][]byte{bucketFolders, bucketFiles} {
			c := tx.Bucket(b).Cursor()
			for k, _ := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				p := string(k[8:])
				if bytes.Equal(b, bucketFolders) {
					seen[p] = true
				}
				for i := strings.IndexByte(p, '/'); i >= 0; i = nextSlash(p, i) {
					seen[p[:i]] = true
				}
			}
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

// Usage implements workroom.Store.
func (d *DB) Usage(ctx context.Context, room workroom.RoomID, def int64) (workroom.Usage, error) {
	var u usage
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		u, err = readUsage(tx, room)
		return err
	})
	return u.public(def), err
}

// SetQuota implements workroom.Store.
func (d *DB) SetQuota(ctx context.Context, room workroom.RoomID, quota int64) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		u, err := readUsage(tx, room)
		if err != nil {
			return err
		}
		u.Quota = quota
		return put(tx.Bucket(bucketUsage), u64(uint64(room)), u)
	})
}

// removeFile deletes a file's record and lets go of its versions' blobs.
func removeFile(tx *bolt.Tx, f *workroom.File, u *usage) error {
	for _, v := range f.Versions {
		if err := dropBlob(tx, f.RoomID, v, u); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketFiles).Delete(pathKey(f.RoomID, f.Path))
}

// DeleteFile implements workroom.Store.
func (d *DB) DeleteFile(ctx context.Context, room workroom.RoomID, p string, onlyBy workroom.UserID) (*workroom.File, error) {
	var f workroom.File
	err := d.update(ctx, func(tx *bolt.Tx) error {
		u, err := readUsage(tx, room)
		if err != nil {
			return err
		}
		if err := get(tx.Bucket(bucketFiles), pathKey(room, p), &f, "file"); err != nil {
			return err
		}
		if err := f.OnlyBy(onlyBy); err != nil {
			return err
		}
		if err := removeFile(tx, &f, &u); err != nil {
			return err
		}
		return put(tx.Bucket(bucketUsage), u64(uint64(room)), u)
	})
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// RenameFile implements workroom.Store.
func (d *DB) RenameFile(ctx context.Context, room workroom.RoomID, from, to string, onlyBy workroom.UserID) (*workroom.File, error) {
	var dst workroom.File
	err := d.update(ctx, func(tx *bolt.Tx) error {
		u, err := readUsage(tx, room)
		if err != nil {
			return err
		}
		files := tx.Bucket(bucketFiles)
		var src workroom.File
		if err := get(files, pathKey(room, from), &src, "file"); err != nil {
			return err
		}
		if from == to {
			dst = src
			return nil
		}
		switch err := get(files, pathKey(room, to), &dst, "file"); {
		case workroom.ErrorCode(err) == workroom.ENOTFOUND:
			if err := placeable(tx, room, to); err != nil {
				return err
			}
			if err := files.Delete(pathKey(room, from)); err != nil {
				return err
			}
			dst, dst.Path = src, to
			return put(files, pathKey(room, to), dst)
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
			if err := holdBlob(tx, room, v, &u); err != nil {
				return err
			}
			dst.Versions = append(dst.Versions, v)
		}
		if err := removeFile(tx, &src, &u); err != nil {
			return err
		}
		if err := put(tx.Bucket(bucketUsage), u64(uint64(room)), u); err != nil {
			return err
		}
		return put(files, pathKey(room, to), dst)
	})
	if err != nil {
		return nil, err
	}
	return &dst, nil
}

// CreateFolder implements workroom.Store.
func (d *DB) CreateFolder(ctx context.Context, f workroom.Folder) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		if _, err := readUsage(tx, f.RoomID); err != nil {
			return err
		}
		if tx.Bucket(bucketFiles).Get(pathKey(f.RoomID, f.Path)) != nil || isFolder(tx, f.RoomID, f.Path) {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleFileExists)
		}
		if err := placeable(tx, f.RoomID, f.Path); err != nil {
			return err
		}
		return put(tx.Bucket(bucketFolders), pathKey(f.RoomID, f.Path), f)
	})
}

// RemoveFolder implements workroom.Store.
func (d *DB) RemoveFolder(ctx context.Context, room workroom.RoomID, p string) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		if !isFolder(tx, room, p) {
			return notFound("folder")
		}
		prefix := pathKey(room, p+"/")
		for _, b := range [][]byte{bucketFiles, bucketFolders} {
			if k, _ := tx.Bucket(b).Cursor().Seek(prefix); bytes.HasPrefix(k, prefix) {
				return workroom.Refusal(workroom.ECONFLICT, workroom.RuleFolderNotEmpty)
			}
		}
		return tx.Bucket(bucketFolders).Delete(pathKey(room, p))
	})
}

// BlobUsed implements workroom.Store.
func (d *DB) BlobUsed(ctx context.Context, sum string) (bool, error) {
	used := false
	err := d.db.View(func(tx *bolt.Tx) error {
		used = tx.Bucket(bucketBlobRefs).Get([]byte(sum)) != nil
		return nil
	})
	return used, err
}

// SetModTime implements workroom.Store.
func (d *DB) SetModTime(ctx context.Context, room workroom.RoomID, p string, t time.Time) (*workroom.File, error) {
	var f workroom.File
	err := d.update(ctx, func(tx *bolt.Tx) error {
		files := tx.Bucket(bucketFiles)
		k := pathKey(room, p)
		if err := get(files, k, &f, "file"); err != nil {
			return err
		}
		f.Versions[len(f.Versions)-1].ModTime = t
		return put(files, k, f)
	})
	if err != nil {
		return nil, err
	}
	return &f, nil
}
