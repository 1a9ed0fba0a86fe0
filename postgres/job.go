package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// CreateJob implements workroom.Store.
func (db *DB) CreateJob(ctx context.Context, j *workroom.Job) error {
	return unavailable(db.pool.QueryRow(ctx, `INSERT INTO jobs (client_id, client_name, title, description, status, created, proposals)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		j.ClientID, j.ClientName, j.Title, j.Description, j.Status, j.Created, j.Proposals).Scan(&j.ID))
}

// Job implements workroom.Store.
func (db *DB) Job(ctx context.Context, id workroom.JobID) (*workroom.Job, error) {
	var j workroom.Job
	if err := scanJob(db.pool.QueryRow(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = $1`, id), &j); err != nil {
		return nil, notFound(err)
	}
	return &j, nil
}

// JobsByClient implements workroom.Store.
func (db *DB) JobsByClient(ctx context.Context, id workroom.UserID, before workroom.JobID, limit int) ([]workroom.Job, error) {
	return page(collect(ctx, db.pool, scanJob, `SELECT `+jobCols+` FROM jobs
		WHERE client_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, id, below(uint64(before)), limit))
}

// OpenJobs implements workroom.Store: a backwards walk of the open jobs'
// partial index, skipping the asker's own.
func (db *DB) OpenJobs(ctx context.Context, except workroom.UserID, before workroom.JobID, limit int) ([]workroom.Job, error) {
	return page(collect(ctx, db.pool, scanJob, `SELECT `+jobCols+` FROM jobs
		WHERE status = `+statusOpen+` AND client_id <> $1 AND id < $2 ORDER BY id DESC LIMIT $3`, except, below(uint64(before)), limit))
}

// page makes an empty page an empty list rather than nil, as bbolt's.
func page[T any](out []T, err error) ([]T, error) {
	if out == nil && err == nil {
		out = []T{}
	}
	return out, err
}

// lockOpenJob holds the job's row for the rest of tx; ENOTFOUND for no
// job, ECONFLICT (RuleJobClosed) when it is not open. Proposals and
// awards of one job queue here, so none slips in after the award.
func lockOpenJob(ctx context.Context, tx pgx.Tx, id workroom.JobID) error {
	var status workroom.JobStatus
	if err := tx.QueryRow(ctx, `SELECT status FROM jobs WHERE id = $1 FOR UPDATE`, id).Scan(&status); err != nil {
		return notFound(err)
	}
	if status != workroom.JobOpen {
		return workroom.Refusal(workroom.ECONFLICT, workroom.RuleJobClosed)
	}
	return nil
}

// CreateProposal implements workroom.Store.
func (db *DB) CreateProposal(ctx context.Context, p *workroom.Proposal) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockOpenJob(ctx, tx, p.JobID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO proposals (job_id, freelancer_id, freelancer_name, text, created)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT ON CONSTRAINT proposals_once DO NOTHING RETURNING id`,
			p.JobID, p.FreelancerID, p.FreelancerName, p.Text, p.Created).Scan(&p.ID)
		if errors.Is(err, pgx.ErrNoRows) {
			return workroom.Refusal(workroom.ECONFLICT, workroom.RuleAlreadyProposed)
		} else if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE jobs SET proposals = proposals + 1 WHERE id = $1`, p.JobID)
		return err
	})
}

// Proposal implements workroom.Store.
func (db *DB) Proposal(ctx context.Context, id workroom.ProposalID) (*workroom.Proposal, error) {
	var p workroom.Proposal
	if err := scanProposal(db.pool.QueryRow(ctx, `SELECT `+proposalCols+` FROM proposals WHERE id = $1`, id), &p); err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// Proposals implements workroom.Store.
func (db *DB) Proposals(ctx context.Context, id workroom.JobID, before workroom.ProposalID, limit int) ([]workroom.Proposal, error) {
	return page(collect(ctx, db.pool, scanProposal, `SELECT `+proposalCols+` FROM proposals
		WHERE job_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, id, below(uint64(before)), limit))
}

// ProposalsBy implements workroom.Store.
func (db *DB) ProposalsBy(ctx context.Context, id workroom.UserID, before workroom.ProposalID, limit int) ([]workroom.Proposal, error) {
	return page(collect(ctx, db.pool, scanProposal, `SELECT `+proposalCols+` FROM proposals
		WHERE freelancer_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, id, below(uint64(before)), limit))
}

// ProposalOn implements workroom.Store.
func (db *DB) ProposalOn(ctx context.Context, job workroom.JobID, freelancer workroom.UserID) (*workroom.Proposal, error) {
	var p workroom.Proposal
	err := scanProposal(db.pool.QueryRow(ctx, `SELECT `+proposalCols+` FROM proposals WHERE freelancer_id = $1 AND job_id = $2`, freelancer, job), &p)
	if err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// Award implements workroom.Store: the job's row is held from the check
// that it is open to the update that closes it, so of awards racing for
// one job exactly one finds it open.
func (db *DB) Award(ctx context.Context, job workroom.JobID, proposal workroom.ProposalID, r *workroom.Room, members []workroom.Member) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockOpenJob(ctx, tx, job); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO rooms (job_id, title, created, last_activity, last_seq, activity, completed)
			VALUES ($1, $2, $3, $4, $5, nextval('room_activity'), $6) RETURNING id, activity`,
			r.JobID, r.Title, r.Created, r.LastActivity, r.LastSeq, timeOrNull(r.Completed)).Scan(&r.ID, &r.Activity)
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, m := range members {
			b.Queue(`INSERT INTO members (`+memberCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				r.ID, m.UserID, m.Name, m.Role, m.Joined, m.LastRead, m.Unread, m.NotifyOff)
		}
		b.Queue(`UPDATE jobs SET status = $2, room_id = $3, proposal_id = $4 WHERE id = $1`, job, workroom.JobAwarded, r.ID, proposal)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		return db.copyAwardFiles(ctx, tx, job, proposal, r.ID, r.Created)
	})
}
