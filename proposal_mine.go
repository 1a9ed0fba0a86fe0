package workroom

import (
	"context"
	"fmt"
	"strconv"
)

// The freelancer's side of proposals: what I proposed on and how it went,
// and whether I already proposed on a job (one proposal per job), so a
// screen can say so before anyone writes a second one.

// ProposalStatus is where a proposal stands, as its author sees it.
type ProposalStatus string

const (
	ProposalOpen     ProposalStatus = "open"      // the job is still open
	ProposalHired    ProposalStatus = "hired"     // the job was awarded to it
	ProposalNotHired ProposalStatus = "not hired" // the job went to another
)

// MyProposal is one of the actor's proposals with its job's title and its
// status; RoomID is the workroom when it was hired.
type MyProposal struct {
	Proposal
	JobTitle string         `json:"job_title"`
	Status   ProposalStatus `json:"status"`
	RoomID   RoomID         `json:"room_id,omitempty"`
}

// MyProposalPage is a page of the actor's proposals, newest first.
type MyProposalPage struct {
	Proposals []MyProposal `json:"proposals"`
	Before    ProposalID   `json:"before,omitempty"`
}

// MyProposals returns a page of the proposals the actor made, newest
// first: the newest when before is 0, else those with IDs below before.
func (s *Service) MyProposals(ctx context.Context, before ProposalID, limit int) (*MyProposalPage, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if limit, err = pageLimit(limit, "proposals"); err != nil {
		return nil, err
	}
	ps, next, err := fetchPage(limit, func(n int) ([]Proposal, error) {
		return s.store.ProposalsBy(ctx, u.ID, before, n)
	}, func(p Proposal) ProposalID { return p.ID })
	if err != nil {
		return nil, err
	}
	out := make([]MyProposal, 0, len(ps))
	for _, p := range ps {
		j, err := s.store.Job(ctx, p.JobID)
		if err != nil {
			return nil, err
		}
		out = append(out, withStatus(p, j))
	}
	return &MyProposalPage{Proposals: out, Before: next}, nil
}

// MyProposal returns the actor's proposal on a job, with its status;
// ENOTFOUND when they made none (or there is no such job).
func (s *Service) MyProposal(ctx context.Context, job JobID) (*MyProposal, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.store.ProposalOn(ctx, job, u.ID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ENOTFOUND, "you have no proposal on job %d", job)
	} else if err != nil {
		return nil, err
	}
	j, err := s.store.Job(ctx, job)
	if err != nil {
		return nil, err
	}
	mp := withStatus(*p, j)
	return &mp, nil
}

func withStatus(p Proposal, j *Job) MyProposal {
	mp := MyProposal{Proposal: p, JobTitle: j.Title, Status: ProposalOpen}
	switch {
	case j.Status == JobOpen:
	case j.ProposalID == p.ID:
		mp.Status, mp.RoomID = ProposalHired, j.RoomID
	default:
		mp.Status = ProposalNotHired
	}
	return mp
}

// markProposed sets Proposed on the jobs the user proposed on.
func (s *Service) markProposed(ctx context.Context, u *User, jobs []Job) error {
	for i := range jobs {
		if jobs[i].ClientID == u.ID {
			continue
		}
		_, err := s.store.ProposalOn(ctx, jobs[i].ID, u.ID)
		switch ErrorCode(err) {
		case "":
			jobs[i].Proposed = true
		case ENOTFOUND:
		default:
			return err
		}
	}
	return nil
}

// errProposed refuses a second proposal on a job, pointing at the first.
func errProposed(job JobID, p ProposalID) *Error {
	return Errorf(ECONFLICT, "you already proposed on job %d (proposal %d), and a job takes one proposal from each freelancer", job, p).Because(RuleAlreadyProposed, strconv.FormatUint(uint64(job), 10))
}

// hiredNotice is the system message that opens a workroom: it tells the
// freelancer they were hired, and counts as unread for them.
func hiredNotice(client, freelancer string, j *Job) string {
	return fmt.Sprintf("%s hired %s for job %d, “%s”. This workroom is where you talk, share files and track the work.", client, freelancer, j.ID, j.Title)
}

// noticeHired posts the hired notice into a new room: a system message in
// the client's name, so it is unread for the freelancer and not for the
// client who just awarded. The award stands if it cannot be stored (it is
// logged): the room and its members are what matter. It returns the
// notice and the members with their unread counts (nil, nil when it was
// not stored).
func (s *Service) noticeHired(ctx context.Context, r *Room, j *Job, p *Proposal) (*Message, []Member) {
	m := &Message{RoomID: r.ID, AuthorID: j.ClientID, AuthorName: j.ClientName,
		Body: hiredNotice(j.ClientName, p.FreelancerName, j), Source: SourceSystem, Created: s.now()}
	ctx = context.WithoutCancel(ctx)
	mails := s.notifications(ctx, r, m)
	after, members, err := s.store.AppendMessage(ctx, m, mails)
	if err != nil {
		s.log.Error("hired notice not stored", "room", r.ID, "err", err)
		return nil, nil
	}
	if len(mails) > 0 {
		s.mailQueued()
	}
	*r = *after
	return m, members
}
