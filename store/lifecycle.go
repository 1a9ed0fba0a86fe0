package store

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// Completion, retention, the user list and backup (workroom.LifecycleStore).

// bucketBlobUnused holds, per blob nothing refers to, when a sweep first
// found it so; refBlob forgets it the moment the blob is used again.
var bucketBlobUnused = []byte("blob_unused") // sha256 → time (RFC 3339)

func init() { allBuckets = append(allBuckets, bucketBlobUnused) }

// refBlob counts one more holder of a blob and forgets any finding that
// it was unused: its grace starts again when it is next let go of.
func refBlob(tx *bolt.Tx, sum string) error {
	if _, err := counter(tx.Bucket(bucketBlobRefs), []byte(sum), 1); err != nil {
		return err
	}
	return tx.Bucket(bucketBlobUnused).Delete([]byte(sum))
}

// CompleteRoom implements workroom.Store.
func (d *DB) CompleteRoom(ctx context.Context, id workroom.RoomID, at time.Time) (*workroom.Room, error) {
	var r workroom.Room
	err := d.update(ctx, func(tx *bolt.Tx) error {
		rooms := tx.Bucket(bucketRooms)
		if err := get(rooms, u64(uint64(id)), &r, "workroom"); err != nil {
			return err
		}
		if !r.Completed.IsZero() {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleCompleted)
		}
		r.Completed = at
		return put(rooms, u64(uint64(id)), r)
	})
	return &r, err
}

// CompletedRooms implements workroom.Store.
func (d *DB) CompletedRooms(ctx context.Context) ([]workroom.Room, error) {
	var out []workroom.Room
	err := d.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRooms).ForEach(func(_, v []byte) error {
			var r workroom.Room
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			if !r.Completed.IsZero() {
				out = append(out, r)
			}
			return nil
		})
	})
	return out, err
}

// LastActivity implements workroom.Store.
func (d *DB) LastActivity(ctx context.Context, id workroom.RoomID) (time.Time, error) {
	var last time.Time
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		last, err = lastActivity(tx, id)
		return err
	})
	return last, err
}

// lastActivity is the newest of a room's last message, its completion,
// its versions' uploads and its to-do changes.
func lastActivity(tx *bolt.Tx, id workroom.RoomID) (time.Time, error) {
	var r workroom.Room
	if err := get(tx.Bucket(bucketRooms), u64(uint64(id)), &r, "workroom"); err != nil {
		return time.Time{}, err
	}
	last := r.LastActivity
	if r.Completed.After(last) {
		last = r.Completed
	}
	err := roomFiles(tx, id, func(f *workroom.File) error {
		for _, v := range f.Versions {
			if v.Uploaded.After(last) {
				last = v.Uploaded
			}
		}
		return nil
	})
	if err != nil {
		return last, err
	}
	prefix := u64(uint64(id))
	c := tx.Bucket(bucketTodos).Cursor()
	for k, v := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var td workroom.Todo
		if err := json.Unmarshal(v, &td); err != nil {
			return last, err
		}
		if td.Updated.After(last) {
			last = td.Updated
		}
	}
	return last, nil
}

// roomFiles calls fn for each file of a room, in path order.
func roomFiles(tx *bolt.Tx, id workroom.RoomID, fn func(*workroom.File) error) error {
	prefix := u64(uint64(id))
	c := tx.Bucket(bucketFiles).Cursor()
	for k, v := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var f workroom.File
		if err := json.Unmarshal(v, &f); err != nil {
			return err
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
	return nil
}

// DropRoomFiles implements workroom.Store.
func (d *DB) DropRoomFiles(ctx context.Context, id workroom.RoomID, idleSince time.Time) ([]workroom.File, error) {
	var out []workroom.File
	err := d.update(ctx, func(tx *bolt.Tx) error {
		last, err := lastActivity(tx, id)
		if err != nil {
			return err
		}
		if last.After(idleSince) {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleRoomActive)
		}
		if err := roomFiles(tx, id, func(f *workroom.File) error {
			out = append(out, *f)
			return nil
		}); err != nil {
			return err
		}
		u, err := readUsage(tx, id)
		if err != nil {
			return err
		}
		for i := range out {
			if err := removeFile(tx, &out[i], &u); err != nil {
				return err
			}
		}
		if err := dropFolders(tx, id); err != nil {
			return err
		}
		if err := dropAwardedAttachments(tx, id); err != nil {
			return err
		}
		return put(tx.Bucket(bucketUsage), u64(uint64(id)), u)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// dropAwardedAttachments removes the attachments of the room's job post
// and of its hired proposal: their bytes are the room's job/ and
// proposal/ files, and would otherwise keep those blobs alive.
func dropAwardedAttachments(tx *bolt.Tx, id workroom.RoomID) error {
	var r workroom.Room
	if err := get(tx.Bucket(bucketRooms), u64(uint64(id)), &r, "workroom"); err != nil {
		return err
	}
	var j workroom.Job
	if err := get(tx.Bucket(bucketJobs), u64(uint64(r.JobID)), &j, "job"); err != nil {
		return err
	}
	if _, err := takeAttachments(tx, bucketJobFiles, uint64(j.ID)); err != nil {
		return err
	}
	_, err := takeAttachments(tx, bucketPropFiles, uint64(j.ProposalID))
	return err
}

// takeAttachments removes a job's or proposal's attachments and returns
// them, letting go of their blobs.
func takeAttachments(tx *bolt.Tx, bucket []byte, id uint64) ([]workroom.Attachment, error) {
	list, err := attachments(tx, bucket, id)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		if _, err := counter(tx.Bucket(bucketBlobRefs), []byte(a.Version.SHA256), -1); err != nil {
			return nil, err
		}
	}
	return list, tx.Bucket(bucket).Delete(u64(id))
}

// dropFolders removes every folder made in a room.
func dropFolders(tx *bolt.Tx, id workroom.RoomID) error {
	prefix := u64(uint64(id))
	c := tx.Bucket(bucketFolders).Cursor()
	for k, _ := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// UnhiredProposalFiles implements workroom.Store.
func (d *DB) UnhiredProposalFiles(ctx context.Context) ([]workroom.UnhiredFiles, error) {
	var out []workroom.UnhiredFiles
	err := d.db.View(func(tx *bolt.Tx) error {
		jobs, rooms, props := tx.Bucket(bucketJobs), tx.Bucket(bucketRooms), tx.Bucket(bucketJobProposals)
		return jobs.ForEach(func(_, v []byte) error {
			var j workroom.Job
			if err := json.Unmarshal(v, &j); err != nil {
				return err
			}
			if j.Status != workroom.JobAwarded {
				return nil
			}
			var r workroom.Room
			if err := get(rooms, u64(uint64(j.RoomID)), &r, "workroom"); err != nil {
				return err
			}
			prefix := u64(uint64(j.ID))
			c := props.Cursor()
			for k, _ := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				p := workroom.ProposalID(second(k))
				if p == j.ProposalID {
					continue
				}
				files, err := attachments(tx, bucketPropFiles, uint64(p))
				if err != nil {
					return err
				}
				if len(files) > 0 {
					out = append(out, workroom.UnhiredFiles{ProposalID: p, JobID: j.ID, Awarded: r.Created, Files: files})
				}
			}
			return nil
		})
	})
	return out, err
}

// DropProposalFiles implements workroom.Store.
func (d *DB) DropProposalFiles(ctx context.Context, id workroom.ProposalID) ([]workroom.Attachment, error) {
	var out []workroom.Attachment
	err := d.update(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = takeAttachments(tx, bucketPropFiles, uint64(id))
		return err
	})
	return out, err
}

// BlobUnusedSince implements workroom.Store.
func (d *DB) BlobUnusedSince(ctx context.Context, sum string, now time.Time) (time.Time, error) {
	var since time.Time
	err := d.update(ctx, func(tx *bolt.Tx) error {
		marks := tx.Bucket(bucketBlobUnused)
		if tx.Bucket(bucketBlobRefs).Get([]byte(sum)) != nil {
			return marks.Delete([]byte(sum))
		}
		if buf := marks.Get([]byte(sum)); buf != nil {
			return since.UnmarshalText(buf)
		}
		since = now
		buf, err := now.UTC().MarshalText()
		if err != nil {
			return err
		}
		return marks.Put([]byte(sum), buf)
	})
	return since, err
}

// ForgetBlob implements workroom.Store.
func (d *DB) ForgetBlob(ctx context.Context, sum string) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketBlobUnused).Delete([]byte(sum))
	})
}

// Users implements workroom.Store.
func (d *DB) Users(ctx context.Context, before workroom.UserID, limit int) ([]workroom.UserSummary, error) {
	out := make([]workroom.UserSummary, 0, limit)
	err := d.db.View(func(tx *bolt.Tx) error {
		keys := tx.Bucket(bucketUserKeys)
		return backwards(tx.Bucket(bucketUsers), nil, uint64(before), func(_, v []byte) (bool, error) {
			var s workroom.UserSummary
			if err := json.Unmarshal(v, &s.User); err != nil {
				return false, err
			}
			prefix := u64(uint64(s.ID))
			c := keys.Cursor()
			for k, _ := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				s.Keys++
			}
			out = append(out, s)
			return len(out) < limit, nil
		})
	})
	return out, err
}

// Backup implements workroom.Store: the file as one read transaction
// sees it. Writers go on meanwhile (bbolt lets one writer run beside
// readers); the pages this transaction reads are kept until it ends.
func (d *DB) Backup(ctx context.Context, w io.Writer) error {
	return d.db.View(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(&ctxWriter{ctx: ctx, w: w})
		return err
	})
}

// ctxWriter stops a backup whose caller went away.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// initialMmapSize is how much of the store file bbolt maps at open. A
// write that needs the file mapped further must wait until every read
// transaction ends — a backup (Backup) to a slow client among them — so
// the mapping starts large: writes go on during a backup until the file
// outgrows it (then bbolt maps double the size). It is address space,
// not memory; the file itself grows only as data does.
const initialMmapSize = 1 << 30
