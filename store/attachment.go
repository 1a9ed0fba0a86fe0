package store

import (
	"context"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// Job and proposal attachments are lists on the job or proposal, and
// each holds its blob (blob_refs) until the job or proposal lets go of
// it. At award, the job post's and the winning proposal's attachments
// become files of the new room, by reference to the same blobs.

// AttachToJob implements workroom.Store.
func (d *DB) AttachToJob(ctx context.Context, job workroom.JobID, a workroom.Attachment, max int) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		var j workroom.Job
		if err := get(tx.Bucket(bucketJobs), u64(uint64(job)), &j, "job"); err != nil {
			return err
		}
		if j.Status != workroom.JobOpen {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleJobClosed)
		}
		return attach(tx, bucketJobFiles, uint64(job), a, max)
	})
}

// AttachToProposal implements workroom.Store.
func (d *DB) AttachToProposal(ctx context.Context, p workroom.ProposalID, a workroom.Attachment, max int) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		var pr workroom.Proposal
		if err := get(tx.Bucket(bucketProposals), u64(uint64(p)), &pr, "proposal"); err != nil {
			return err
		}
		var j workroom.Job
		if err := get(tx.Bucket(bucketJobs), u64(uint64(pr.JobID)), &j, "job"); err != nil {
			return err
		}
		if j.Status != workroom.JobOpen {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleJobClosed)
		}
		return attach(tx, bucketPropFiles, uint64(p), a, max)
	})
}

func attach(tx *bolt.Tx, bucket []byte, id uint64, a workroom.Attachment, max int) error {
	list, err := attachments(tx, bucket, id)
	if err != nil {
		return err
	}
	for _, x := range list {
		if x.Path == a.Path {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleFileExists)
		}
	}
	if len(list) >= max {
		return workroom.Refusal(workroom.ELIMIT, workroom.RuleTooManyAttachments)
	}
	if err := refBlob(tx, a.Version.SHA256); err != nil {
		return err
	}
	return put(tx.Bucket(bucket), u64(id), append(list, a))
}

func attachments(tx *bolt.Tx, bucket []byte, id uint64) ([]workroom.Attachment, error) {
	list := []workroom.Attachment{}
	err := get(tx.Bucket(bucket), u64(id), &list, "attachments")
	if workroom.ErrorCode(err) == workroom.ENOTFOUND {
		return []workroom.Attachment{}, nil
	}
	return list, err
}

// JobAttachments implements workroom.Store.
func (d *DB) JobAttachments(ctx context.Context, job workroom.JobID) ([]workroom.Attachment, error) {
	var out []workroom.Attachment
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = attachments(tx, bucketJobFiles, uint64(job))
		return err
	})
	return out, err
}

// ProposalAttachments implements workroom.Store.
func (d *DB) ProposalAttachments(ctx context.Context, p workroom.ProposalID) ([]workroom.Attachment, error) {
	var out []workroom.Attachment
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = attachments(tx, bucketPropFiles, uint64(p))
		return err
	})
	return out, err
}

// Folders the award puts attachments in.
const (
	awardJobFolder      = "job"
	awardProposalFolder = "proposal"
)

// awardFiles puts the job post's and the proposal's attachments into the
// new room's file area, counted in its usage (the quota is not checked:
// they were accepted before the room existed).
func awardFiles(tx *bolt.Tx, room workroom.RoomID, job workroom.JobID, p workroom.ProposalID) error {
	var u usage
	for _, src := range []struct {
		bucket []byte
		id     uint64
		folder string
	}{{bucketJobFiles, uint64(job), awardJobFolder}, {bucketPropFiles, uint64(p), awardProposalFolder}} {
		list, err := attachments(tx, src.bucket, src.id)
		if err != nil {
			return err
		}
		for _, a := range list {
			v := a.Version
			v.N = 1
			f := workroom.File{RoomID: room, Path: src.folder + "/" + a.Path, Versions: []workroom.Version{v}}
			if err := holdBlob(tx, room, v, &u); err != nil {
				return err
			}
			if err := put(tx.Bucket(bucketFiles), pathKey(room, f.Path), f); err != nil {
				return err
			}
		}
	}
	return put(tx.Bucket(bucketUsage), u64(uint64(room)), u)
}
