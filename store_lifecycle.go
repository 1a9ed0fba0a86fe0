package workroom

import (
	"context"
	"io"
	"time"
)

// LifecycleStore is the part of Store that completion, retention, the
// administrators' user list and backups use. Like the rest of Store, each
// method is atomic on its own and refuses with Refusal(code, rule).
type LifecycleStore interface {
	// CompleteRoom records that the room's job was completed at at, and
	// returns the room. ECONFLICT (RuleCompleted), changing nothing and
	// returning the room as it is, when it was completed before;
	// ENOTFOUND for no such room.
	CompleteRoom(ctx context.Context, id RoomID, at time.Time) (*Room, error)
	// CompletedRooms returns every completed room, in ID order.
	CompletedRooms(ctx context.Context) ([]Room, error)
	// LastActivity returns the newest of the room's LastActivity, its
	// completion, the upload time of any version in its files and the
	// last change of any of its to-do items.
	LastActivity(ctx context.Context, id RoomID) (time.Time, error)
	// DropRoomFiles deletes every file (all versions) and folder of a
	// room, and the attachments of its job post and hired proposal (the
	// bytes of its job/ and proposal/ files), and returns the room's
	// files, letting go of their blobs — unless the room's LastActivity
	// is now after idleSince: then ECONFLICT (RuleRoomActive), changing
	// nothing.
	DropRoomFiles(ctx context.Context, id RoomID, idleSince time.Time) ([]File, error)

	// UnhiredProposalFiles returns, for every awarded job, its proposals
	// other than the hired one that still carry files, with the award's
	// time (the room's creation).
	UnhiredProposalFiles(ctx context.Context) ([]UnhiredFiles, error)
	// DropProposalFiles deletes a proposal's files and returns them,
	// letting go of their blobs; none is no error.
	DropProposalFiles(ctx context.Context, id ProposalID) ([]Attachment, error)

	// BlobUnusedSince returns when the blob was first found unused: zero
	// when something refers to it now (and any earlier finding is
	// forgotten); else the time recorded before, or now, which it
	// records. Anything that refers to the blob again forgets the
	// finding, in the same transaction.
	BlobUnusedSince(ctx context.Context, sum string, now time.Time) (time.Time, error)
	// ForgetBlob drops what BlobUnusedSince recorded, once the blob is
	// removed.
	ForgetBlob(ctx context.Context, sum string) error

	// Users returns up to limit accounts with IDs below before (0: from
	// the newest), newest first, each with its number of keys.
	Users(ctx context.Context, before UserID, limit int) ([]UserSummary, error)

	// Backup writes a consistent snapshot of the whole store to w while
	// other reads and writes go on: for bbolt, the database file as of
	// one read transaction, which opens as a store of its own. A store
	// whose own tools take its backups (PostgreSQL: pg_dump) writes
	// nothing and refuses with RuleBackupElsewhere, its message saying
	// what to run instead.
	Backup(ctx context.Context, w io.Writer) error
}

// RuleBackupElsewhere: the store is backed up with its own tools, not by
// Store.Backup (admin backup).
const RuleBackupElsewhere Rule = "backup_elsewhere"
