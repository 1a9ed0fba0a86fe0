package store

import (
	"context"
	"encoding/json"

	bolt "go.etcd.io/bbolt"

	"github.com/workroom/workroom"
)

// A freelancer's own proposals are indexed twice: by proposal id for the
// newest-first list of "my proposals", and by job id to answer "did I
// propose on this job" with one lookup.

// indexProposal records p in the freelancer's indexes, inside tx.
func indexProposal(tx *bolt.Tx, p *workroom.Proposal) error {
	if err := tx.Bucket(bucketFreelancerProposals).Put(key2(uint64(p.FreelancerID), uint64(p.ID)), u64(uint64(p.JobID))); err != nil {
		return err
	}
	return tx.Bucket(bucketFreelancerJobs).Put(key2(uint64(p.FreelancerID), uint64(p.JobID)), u64(uint64(p.ID)))
}

// indexFreelancerProposals builds the indexes of a store written before
// they existed.
func indexFreelancerProposals(tx *bolt.Tx) error {
	if k, _ := tx.Bucket(bucketFreelancerJobs).Cursor().First(); k != nil {
		return nil
	}
	return tx.Bucket(bucketProposals).ForEach(func(_, v []byte) error {
		var p workroom.Proposal
		if err := json.Unmarshal(v, &p); err != nil {
			return err
		}
		return indexProposal(tx, &p)
	})
}

// ProposalsBy implements workroom.Store.
func (d *DB) ProposalsBy(ctx context.Context, id workroom.UserID, before workroom.ProposalID, limit int) ([]workroom.Proposal, error) {
	return indexed[workroom.Proposal](d, bucketFreelancerProposals, bucketProposals, uint64(id), uint64(before), limit, "proposal")
}

// ProposalOn implements workroom.Store.
func (d *DB) ProposalOn(ctx context.Context, job workroom.JobID, freelancer workroom.UserID) (*workroom.Proposal, error) {
	var p workroom.Proposal
	err := d.db.View(func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketFreelancerJobs).Get(key2(uint64(freelancer), uint64(job)))
		if id == nil {
			return notFound("proposal")
		}
		return get(tx.Bucket(bucketProposals), id, &p, "proposal")
	})
	return &p, err
}
