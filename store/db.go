// Package store keeps workroom's data in one bbolt file. Each method of
// workroom.Store is one bbolt transaction, so each is atomic on its own and
// survives a crash once it returns: bbolt syncs every commit to disk.
//
// Values are JSON; keys are big-endian integers so that cursor order is
// numeric order. A room's messages are keyed room-id ‖ sequence, so the
// newest page is a short backwards cursor walk whatever the room's size.
package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/workroom/workroom"
)

// Bucket names. Index buckets map composite keys to nothing (or to an id)
// so that "all X of Y" is a prefix scan.
var (
	bucketUsers         = []byte("users")         // user id → User
	bucketEmails        = []byte("emails")        // lowercased verified email → user id
	bucketEmailClaims   = []byte("email_claims")  // lowercased unverified email ‖ 0 ‖ user id → nil
	bucketKeys          = []byte("keys")          // fingerprint → Key
	bucketUserKeys      = []byte("user_keys")     // user id ‖ fingerprint → nil
	bucketVerifications = []byte("verifications") // user id → Verification
	bucketLinkCodes     = []byte("link_codes")    // code hash → LinkCode
	bucketUserLinks     = []byte("user_links")    // user id ‖ code hash → nil
	bucketTallies       = []byte("tallies")       // count name → tally
	bucketJobs          = []byte("jobs")          // job id → Job
	bucketClientJobs    = []byte("client_jobs")   // user id ‖ job id → nil
	bucketOpenJobs      = []byte("open_jobs")     // job id → nil
	bucketProposals     = []byte("proposals")     // proposal id → Proposal
	bucketJobProposals  = []byte("job_proposals") // job id ‖ proposal id → freelancer id
	bucketRooms         = []byte("rooms")         // room id → Room
	bucketMembers       = []byte("members")       // room id ‖ user id → Member
	bucketMemberships   = []byte("memberships")   // user id ‖ room id → nil
	bucketMessages      = []byte("messages")      // room id ‖ seq → Message
	bucketOutbox        = []byte("outbox")        // mail id → Mail
	bucketRoomActivity  = []byte("room_activity") // user id ‖ room's Activity → room id
	// freelancer id ‖ proposal id → job id: "my proposals", newest first
	bucketFreelancerProposals = []byte("freelancer_proposals")
	// freelancer id ‖ job id → proposal id: "did I propose on this job"
	bucketFreelancerJobs = []byte("freelancer_jobs")
	bucketDrafts         = []byte("drafts")    // room id ‖ user id → draft text
	bucketMeetings       = []byte("meetings")  // room id ‖ meeting id → Meeting
	bucketTodos          = []byte("todos")     // room id ‖ item id → Todo
	bucketTodoSeq        = []byte("todo_seq")  // room id → the room's last item id
	bucketLastSeen       = []byte("last_seen") // user id → when their last live session ended (time, binary)
	// room id ‖ lowercased address → Invitation
	bucketInvitations = []byte("invitations")
	// lowercased address ‖ 0 ‖ room id → nil
	bucketAddressInvitations = []byte("address_invitations")
)

var allBuckets = [][]byte{
	bucketUsers, bucketEmails, bucketEmailClaims, bucketKeys, bucketUserKeys, bucketVerifications,
	bucketLinkCodes, bucketUserLinks, bucketTallies,
	bucketJobs, bucketClientJobs, bucketOpenJobs, bucketProposals, bucketJobProposals,
	bucketRooms, bucketMembers, bucketMemberships, bucketMessages, bucketOutbox,
	bucketRoomActivity, bucketFreelancerProposals, bucketFreelancerJobs, bucketDrafts, bucketMeetings,
	bucketTodos, bucketTodoSeq, bucketLastSeen,
	bucketInvitations, bucketAddressInvitations,
}

// DB is the bbolt implementation of workroom.Store.
type DB struct {
	db *bolt.DB
	// path is the file's, kept here: bbolt's Path reads a field its Close
	// writes, and a write that comes late (a session ending as the server
	// stops) names the file in its error without racing the close.
	path string
	// writer is bbolt's one writer as a token: holding it before Update
	// means waiting for the write lock can be abandoned when the caller's
	// context ends, which bbolt's own lock cannot.
	writer chan struct{}
	// group commits message appends together (groupcommit.go).
	group groupCommit
	// leases are the outbox's claims (outbox.go).
	leases mailLeases
}

var _ workroom.Store = (*DB)(nil)

// Option changes how Open opens the file.
type Option func(*bolt.Options)

// NoSync skips the fsync after each commit. It is for bulk loads in
// benchmarks and tests only: a crash may lose recent commits.
func NoSync() Option { return func(o *bolt.Options) { o.NoSync = true } }

// Open opens (creating if needed) the store file at path. A file another
// process holds open is an *InUseError naming that process; a file system
// that refuses writes is EUNAVAILABLE with the cause (see cannotStore).
func Open(path string, opts ...Option) (*DB, error) {
	o := &bolt.Options{Timeout: lockWait, InitialMmapSize: initialMmapSize}
	for _, opt := range opts {
		opt(o)
	}
	db, err := bolt.Open(path, 0o600, o)
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, &InUseError{Path: path, PID: readPID(path)}
	}
	if err != nil {
		return nil, cannotStore(path, fmt.Errorf("open store %s: %w", path, err))
	}
	d := &DB{db: db, path: path, writer: make(chan struct{}, 1), group: groupCommit{db: db}}
	err = d.update(context.Background(), func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		if err := indexRoomActivity(tx); err != nil {
			return err
		}
		if err := indexFreelancerProposals(tx); err != nil {
			return err
		}
		return moveUnverifiedEmails(tx)
	})
	if err == nil {
		err = cannotStore(pidPath(path), writePID(path))
	}
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return d, nil
}

// Close closes the file. Callers must have stopped using the store. The
// pid record goes first, while the lock is still held.
func (d *DB) Close() error {
	_ = os.Remove(pidPath(d.path))
	return d.db.Close()
}

// update runs fn in one write transaction. Every write of the store goes
// through here, so a file system that refuses writes reaches people as
// EUNAVAILABLE and the log with its cause, from this one place, and a
// caller that stops waiting (its session ended, its deadline passed)
// stops waiting for the writer too, with nothing written.
func (d *DB) update(ctx context.Context, fn func(*bolt.Tx) error) error {
	select {
	case d.writer <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("store: gave up waiting to write: %w", ctx.Err())
	}
	defer func() { <-d.writer }()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: gave up waiting to write: %w", err)
	}
	return cannotStore(d.path, d.db.Update(fn))
}

// updateJoined is update for a write that joins others in one commit
// (groupcommit.go): fn may run more than once, and only its last run
// counts.
func (d *DB) updateJoined(ctx context.Context, fn func(*bolt.Tx) error) error {
	return cannotStore(d.path, d.group.update(ctx, fn))
}

// u64 encodes an id as a big-endian key.
func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// key2 joins two ids into a composite key.
func key2(a, b uint64) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, a)
	binary.BigEndian.PutUint64(k[8:], b)
	return k
}

// second returns the second id of a composite key.
func second(k []byte) uint64 { return binary.BigEndian.Uint64(k[8:16]) }

func put(b *bolt.Bucket, k []byte, v any) error {
	buf, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(k, buf)
}

// get decodes the value at k into v; ENOTFOUND when absent, saying what
// for the log only.
func get(b *bolt.Bucket, k []byte, v any, what string) error {
	buf := b.Get(k)
	if buf == nil {
		return notFound(what)
	}
	return json.Unmarshal(buf, v)
}

// notFound is ENOTFOUND, wordless for people (the service words it); the
// wrapping names what was missing, for the log.
func notFound(what string) error {
	return fmt.Errorf("store: no such %s: %w", what, workroom.Refusal(workroom.ENOTFOUND, ""))
}

// enqueue adds mails to the outbox inside tx, assigning their ids, and
// keeps the reply key each carries (keepReplyKey).
func enqueue(tx *bolt.Tx, mails ...*workroom.Mail) error {
	b := tx.Bucket(bucketOutbox)
	for _, m := range mails {
		if m == nil {
			continue
		}
		if err := keepReplyKey(tx, m); err != nil {
			return err
		}
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		m.ID = id
		if err := put(b, u64(id), m); err != nil {
			return err
		}
	}
	return nil
}

func beUint64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }
