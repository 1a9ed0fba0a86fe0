package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// Job and proposal attachments are rows of job_files and proposal_files,
// in the order attached; each refers to its blob until the job or
// proposal lets go of it. An attachment is added under the lock on the
// job's row that Award takes too (lockOpenJob): a file is attached to an
// open job, and then copied into the room at the award, or refused once
// the job is awarded — never lost in between.

// AttachToJob implements workroom.Store.
func (db *DB) AttachToJob(ctx context.Context, job workroom.JobID, a workroom.Attachment, max int) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockOpenJob(ctx, tx, job); err != nil {
			return err
		}
		return attach(ctx, tx, "job_files", "job_id", uint64(job), a, max)
	})
}

// AttachToProposal implements workroom.Store. It locks the job's row too
// (proposals' attachments are counted under it).
func (db *DB) AttachToProposal(ctx context.Context, p workroom.ProposalID, a workroom.Attachment, max int) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		var job workroom.JobID
		if err := tx.QueryRow(ctx, `SELECT job_id FROM proposals WHERE id = $1`, p).Scan(&job); err != nil {
			return notFound(err)
		}
		if err := lockOpenJob(ctx, tx, job); err != nil {
			return err
		}
		return attach(ctx, tx, "proposal_files", "proposal_id", uint64(p), a, max)
	})
}

// attach adds a to the list of owner id in table (job_files by job_id,
// proposal_files by proposal_id), refusing a name it has and a list of
// max.
func attach(ctx context.Context, tx pgx.Tx, table, owner string, id uint64, a workroom.Attachment, max int) error {
	var n int
	var taken bool
	err := tx.QueryRow(ctx, `SELECT count(*), coalesce(bool_or(path = $2), false) FROM `+table+` WHERE `+owner+` = $1`, id, a.Path).Scan(&n, &taken)
	switch {
	case err != nil:
		return err
	case taken:
		return workroom.Refusal(workroom.ECONFLICT, workroom.RuleFileExists)
	case n >= max:
		return workroom.Refusal(workroom.ELIMIT, workroom.RuleTooManyAttachments)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO `+table+` (`+owner+`, path, sha256, version) VALUES ($1, $2, $3, $4)`,
		id, a.Path, a.Version.SHA256, a.Version); err != nil {
		return err
	}
	return referBlob(ctx, tx, a.Version.SHA256)
}

// attachments reads the list of owner id in table, in the order attached.
func attachments(ctx context.Context, q querier, table, owner string, id uint64) ([]workroom.Attachment, error) {
	rows, err := q.Query(ctx, `SELECT path, version FROM `+table+` WHERE `+owner+` = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, scanAttachment)
	if out == nil {
		out = []workroom.Attachment{}
	}
	return out, err
}

func scanAttachment(r pgx.CollectableRow) (workroom.Attachment, error) {
	var a workroom.Attachment
	return a, r.Scan(&a.Path, &a.Version)
}

// JobAttachments implements workroom.Store.
func (db *DB) JobAttachments(ctx context.Context, job workroom.JobID) ([]workroom.Attachment, error) {
	return attachments(ctx, db.pool, "job_files", "job_id", uint64(job))
}

// ProposalAttachments implements workroom.Store.
func (db *DB) ProposalAttachments(ctx context.Context, p workroom.ProposalID) ([]workroom.Attachment, error) {
	return attachments(ctx, db.pool, "proposal_files", "proposal_id", uint64(p))
}

// Folders the award puts attachments in (as the bbolt store does).
const (
	awardJobFolder      = "job"
	awardProposalFolder = "proposal"
)

// copyAwardFiles puts the job post's attachments (folder "job") and the
// hired proposal's (folder "proposal") into the new room's file area, in
// Award's transaction, and makes the room's usage row counting them (the
// quota is not checked: they were accepted before the room existed).
func (db *DB) copyAwardFiles(ctx context.Context, tx pgx.Tx, job workroom.JobID, proposal workroom.ProposalID, room workroom.RoomID, _ time.Time) error {
	var u usage
	for _, src := range []struct {
		table, owner, folder string
		id                   uint64
	}{{"job_files", "job_id", awardJobFolder, uint64(job)}, {"proposal_files", "proposal_id", awardProposalFolder, uint64(proposal)}} {
		list, err := attachments(ctx, tx, src.table, src.owner, src.id)
		if err != nil {
			return err
		}
		for _, a := range list {
			v := a.Version
			v.N = 1
			f := &workroom.File{RoomID: room, Path: src.folder + "/" + a.Path, Versions: []workroom.Version{v}}
			if err := holdBlob(ctx, tx, room, v, &u); err != nil {
				return err
			}
			if err := putFile(ctx, tx, f); err != nil {
				return err
			}
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO room_usage (room_id, used) VALUES ($1, $2)
		ON CONFLICT (room_id) DO UPDATE SET used = excluded.used`, room, u.used)
	return err
}
