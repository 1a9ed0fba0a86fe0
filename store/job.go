package store

import (
	"bytes"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// CreateJob implements workroom.Store.
func (d *DB) CreateJob(j *workroom.Job) error {
	return d.update(func(tx *bolt.Tx) error {
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
func (d *DB) Job(id workroom.JobID) (*workroom.Job, error) {
	var j workroom.Job
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketJobs), u64(uint64(id)), &j, "job")
	})
	return &j, err
}

// JobsByClient implements workroom.Store.
func (d *DB) JobsByClient(id workroom.UserID) ([]workroom.Job, error) {
	var out []workroom.Job
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = jobsByID(tx, prefixIDs(tx.Bucket(bucketClientJobs), uint64(id)))
		return err
	})
	return out, err
}

// OpenJobs implements workroom.Store.
func (d *DB) OpenJobs() ([]workroom.Job, error) {
	var out []workroom.Job
	err := d.db.View(func(tx *bolt.Tx) error {
		var ids []uint64
		_ = tx.Bucket(bucketOpenJobs).ForEach(func(k, _ []byte) error {
			ids = append(ids, beUint64(k))
			return nil
		})
		var err error
		out, err = jobsByID(tx, ids)
		return err
	})
	return out, err
}

// jobsByID loads jobs, newest (highest id) first.
func jobsByID(tx *bolt.Tx, ids []uint64) ([]workroom.Job, error) {
	jobs := tx.Bucket(bucketJobs)
	out := make([]workroom.Job, 0, len(ids))
	for _, id := range slices.Backward(ids) {
		var j workroom.Job
		if err := get(jobs, u64(id), &j, "job"); err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// CreateProposal implements workroom.Store.
func (d *DB) CreateProposal(p *workroom.Proposal) error {
	return d.update(func(tx *bolt.Tx) error {
		jobs := tx.Bucket(bucketJobs)
		var j workroom.Job
		if err := get(jobs, u64(uint64(p.JobID)), &j, "job"); err != nil {
			return err
		}
		if j.Status != workroom.JobOpen {
			return workroom.Errorf(workroom.ECONFLICT, "job %d was awarded and takes no more proposals", j.ID)
		}
		jp := tx.Bucket(bucketJobProposals)
		prefix := u64(uint64(j.ID))
		c := jp.Cursor()
		for k, v := c.Seek(prefix); bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if beUint64(v) == uint64(p.FreelancerID) {
				return workroom.Errorf(workroom.ECONFLICT, "you already proposed on job %d (proposal %d)", j.ID, second(k))
			}
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
		j.Proposals++
		return put(jobs, u64(uint64(j.ID)), j)
	})
}

// Proposal implements workroom.Store.
func (d *DB) Proposal(id workroom.ProposalID) (*workroom.Proposal, error) {
	var p workroom.Proposal
	err := d.db.View(func(tx *bolt.Tx) error {
		return get(tx.Bucket(bucketProposals), u64(uint64(id)), &p, "proposal")
	})
	return &p, err
}

// Proposals implements workroom.Store.
func (d *DB) Proposals(id workroom.JobID) ([]workroom.Proposal, error) {
	var out []workroom.Proposal
	err := d.db.View(func(tx *bolt.Tx) error {
		props := tx.Bucket(bucketProposals)
		for _, pid := range prefixIDs(tx.Bucket(bucketJobProposals), uint64(id)) {
			var p workroom.Proposal
			if err := get(props, u64(pid), &p, "proposal"); err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// Award implements workroom.Store.
func (d *DB) Award(jobID workroom.JobID, pid workroom.ProposalID, r *workroom.Room, members []workroom.Member) error {
	return d.update(func(tx *bolt.Tx) error {
		jobs := tx.Bucket(bucketJobs)
		var j workroom.Job
		if err := get(jobs, u64(uint64(jobID)), &j, "job"); err != nil {
			return err
		}
		if j.Status != workroom.JobOpen {
			return workroom.Errorf(workroom.ECONFLICT, "job %d was already awarded (workroom %d)", j.ID, j.RoomID)
		}
		rooms := tx.Bucket(bucketRooms)
		id, err := rooms.NextSequence()
		if err != nil {
			return err
		}
		r.ID = workroom.RoomID(id)
		if err := put(rooms, u64(id), r); err != nil {
			return err
		}
		for _, m := range members {
			m.RoomID = r.ID
			if err := putMember(tx, m); err != nil {
				return err
			}
		}
		j.Status, j.RoomID, j.ProposalID = workroom.JobAwarded, r.ID, pid
		if err := put(jobs, u64(uint64(j.ID)), j); err != nil {
			return err
		}
		return tx.Bucket(bucketOpenJobs).Delete(u64(uint64(j.ID)))
	})
}
