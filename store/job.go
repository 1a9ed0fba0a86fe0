package store

import (
	"context"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// CreateJob implements workroom.Store.
func (d *DB) CreateJob(ctx context.Context, j *workroom.Job) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		jobs := tx.Bucket(bucketJobs)
		id, err := jobs.NextSequence()
		if err != nil {
			return err
		}
		j.ID = workroom.JobID(id)
		if err := put(jobs, u64(id), j); err != nil {
			return err
		}
		if err := tx.Bucket(bucketClientJobs).Put(key2(uint64(j.ClientID), id), nil); err != nil {
			return err
		}
		if j.Status == workroom.JobOpen {
			return tx.Bucket(bucketOpenJobs).Put(u64(id), nil)
		}
		return nil
	})
}

// Job implements workroom.Store.
func (d *DB) Job(ctx context.Context, id workroom.JobID) (*workroom.Job, error) {
	var j workroom.Job
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketJobs), u64(uint64(id)), &j, "job")
	})
	return &j, err
}

// JobsByClient implements workroom.Store.
func (d *DB) JobsByClient(ctx context.Context, id workroom.UserID, before workroom.JobID, limit int) ([]workroom.Job, error) {
	return indexed[workroom.Job](d, bucketClientJobs, bucketJobs, uint64(id), uint64(before), limit, "job")
}

// OpenJobs implements workroom.Store.
func (d *DB) OpenJobs(ctx context.Context, except workroom.UserID, before workroom.JobID, limit int) ([]workroom.Job, error) {
	out := make([]workroom.Job, 0, limit)
	err := d.db.View(func(tx *bolt.Tx) error {
		jobs := tx.Bucket(bucketJobs)
		return backwards(tx.Bucket(bucketOpenJobs), nil, uint64(before), func(k, _ []byte) (bool, error) {
			var j workroom.Job
			if err := get(jobs, k, &j, "job"); err != nil {
				return false, err
			}
			if j.ClientID != except {
				out = append(out, j)
			}
			return len(out) < limit, nil
		})
	})
	return out, err
}

// CreateProposal implements workroom.Store.
func (d *DB) CreateProposal(ctx context.Context, p *workroom.Proposal) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		jobs := tx.Bucket(bucketJobs)
		var j workroom.Job
		if err := get(jobs, u64(uint64(p.JobID)), &j, "job"); err != nil {
			return err
		}
		if j.Status != workroom.JobOpen {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleJobClosed)
		}
		jp := tx.Bucket(bucketJobProposals)
		if mine := tx.Bucket(bucketFreelancerJobs).Get(key2(uint64(p.FreelancerID), uint64(j.ID))); mine != nil {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleAlreadyProposed)
		}
		props := tx.Bucket(bucketProposals)
		id, err := props.NextSequence()
		if err != nil {
			return err
		}
		p.ID = workroom.ProposalID(id)
		if err := put(props, u64(id), p); err != nil {
			return err
		}
		if err := jp.Put(key2(uint64(j.ID), id), u64(uint64(p.FreelancerID))); err != nil {
			return err
		}
		if err := indexProposal(tx, p); err != nil {
			return err
		}
		j.Proposals++
		return put(jobs, u64(uint64(j.ID)), j)
	})
}

// Proposal implements workroom.Store.
func (d *DB) Proposal(ctx context.Context, id workroom.ProposalID) (*workroom.Proposal, error) {
	var p workroom.Proposal
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketProposals), u64(uint64(id)), &p, "proposal")
	})
	return &p, err
}

// Proposals implements workroom.Store.
func (d *DB) Proposals(ctx context.Context, id workroom.JobID, before workroom.ProposalID, limit int) ([]workroom.Proposal, error) {
	return indexed[workroom.Proposal](d, bucketJobProposals, bucketProposals, uint64(id), uint64(before), limit, "proposal")
}

// Award implements workroom.Store.
func (d *DB) Award(ctx context.Context, jobID workroom.JobID, pid workroom.ProposalID, r *workroom.Room, members []workroom.Member) error {
	return d.update(ctx, func(tx *bolt.Tx) error {
		jobs := tx.Bucket(bucketJobs)
		var j workroom.Job
		if err := get(jobs, u64(uint64(jobID)), &j, "job"); err != nil {
			return err
		}
		if j.Status != workroom.JobOpen {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleJobClosed)
		}
		rooms := tx.Bucket(bucketRooms)
		id, err := rooms.NextSequence()
		if err != nil {
			return err
		}
		r.ID = workroom.RoomID(id)
		if err := touchRoom(tx, r, members); err != nil {
			return err
		}
		if err := put(rooms, u64(id), r); err != nil {
			return err
		}
		for _, m := range members {
			m.RoomID = r.ID
			if err := putMember(tx, m); err != nil {
				return err
			}
		}
		if err := awardFiles(tx, r.ID, j.ID, pid); err != nil {
			return err
		}
		j.Status, j.RoomID, j.ProposalID = workroom.JobAwarded, r.ID, pid
		if err := put(jobs, u64(uint64(j.ID)), j); err != nil {
			return err
		}
		return tx.Bucket(bucketOpenJobs).Delete(u64(uint64(j.ID)))
	})
}
