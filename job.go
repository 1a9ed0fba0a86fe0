package workroom

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// JobID identifies a job post.
type JobID uint64

// ProposalID identifies a proposal.
type ProposalID uint64

// Job is work a client posts. While it is open, freelancers other than the
// client may propose on it; the client awards it to one proposal, which
// creates the workroom. An awarded job takes no more proposals.
type Job struct {
	ID          JobID      `json:"id"`
	ClientID    UserID     `json:"client_id"`
	ClientName  string     `json:"client_name"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Status      JobStatus  `json:"status"`
	Created     time.Time  `json:"created"`
	Proposals   int        `json:"proposals"`
	RoomID      RoomID     `json:"room_id,omitempty"`
	ProposalID  ProposalID `json:"awarded_proposal_id,omitempty"`
	// Proposed is set, for the freelancer asking, on a job they already
	// proposed on (one proposal per job); it is not stored.
	Proposed bool `json:"proposed,omitempty"`
}

// JobStatus is where a job is in its life.
type JobStatus string

const (
	JobOpen    JobStatus = "open"
	JobAwarded JobStatus = "awarded"
)

// Proposal is a freelancer's offer on an open job. Only the job's client and
// the proposal's author see it.
type Proposal struct {
	ID             ProposalID `json:"id"`
	JobID          JobID      `json:"job_id"`
	FreelancerID   UserID     `json:"freelancer_id"`
	FreelancerName string     `json:"freelancer_name"`
	Text           string     `json:"text"`
	Created        time.Time  `json:"created"`
}

// Limits on job and proposal text.
const (
	MaxTitleLength       = 200
	MaxDescriptionLength = MaxBodyLength
	MaxProposalLength    = MaxBodyLength
)

// PostJob posts an open job with the actor as its client.
func (s *Service) PostJob(ctx context.Context, title, description string) (*Job, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	title = strings.TrimSpace(title)
	switch {
	case title == "":
		return nil, Errorf(EINVALID, "a job needs a title").Because(RuleTitleMissing)
	case !utf8.ValidString(title) || strings.ContainsFunc(title, isControl):
		return nil, Errorf(EINVALID, "the title must be one line of text")
	case !HasVisibleText(title):
		return nil, Errorf(EINVALID, "the title has no visible text").Because(RuleTitleMissing)
	case utf8.RuneCountInString(title) > MaxTitleLength:
		return nil, Errorf(EINVALID, "the title is longer than %d characters; shorten it and put the details in the description", MaxTitleLength)
	}
	description, err = checkText("description", description, MaxDescriptionLength, false)
	if err != nil {
		return nil, err
	}
	if err := s.limit(ctx, actPostJob, s.cfg.Limits.Jobs); err != nil {
		return nil, err
	}
	j := &Job{ClientID: u.ID, ClientName: u.Name, Title: title, Description: description, Status: JobOpen, Created: s.now()}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	if err := s.store.CreateJob(ctx, j); err != nil {
		return nil, err
	}
	s.log.Info("job posted", "user", u.ID, "job", j.ID)
	return j, nil
}

// MyJobs returns a page of the jobs the actor posted, newest first: the
// newest when before is 0, else those with IDs below before.
func (s *Service) MyJobs(ctx context.Context, before JobID, limit int) (*JobPage, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if limit, err = pageLimit(limit, "jobs"); err != nil {
		return nil, err
	}
	jobs, next, err := fetchPage(limit, func(n int) ([]Job, error) {
		return s.store.JobsByClient(ctx, u.ID, before, n)
	}, jobID)
	return &JobPage{Jobs: jobs, Before: next}, err
}

// OpenJobs returns a page of the open jobs the actor may propose on
// (everyone's but their own), newest first, like MyJobs.
func (s *Service) OpenJobs(ctx context.Context, before JobID, limit int) (*JobPage, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if limit, err = pageLimit(limit, "jobs"); err != nil {
		return nil, err
	}
	jobs, next, err := fetchPage(limit, func(n int) ([]Job, error) {
		return s.store.OpenJobs(ctx, u.ID, before, n)
	}, jobID)
	if err == nil {
		err = s.markProposed(ctx, u, jobs)
	}
	return &JobPage{Jobs: jobs, Before: next}, err
}

func jobID(j Job) JobID { return j.ID }

// Job returns a job the actor may see: their own, or any open one, with
// Proposed set when the actor already proposed on it (so a screen can say
// so before they write another). ENOTFOUND otherwise, the same as for a
// job that does not exist.
func (s *Service) Job(ctx context.Context, id JobID) (*Job, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	j, err := s.visibleJob(ctx, u, id)
	if err != nil {
		return nil, err
	}
	one := []Job{*j}
	err = s.markProposed(ctx, u, one)
	return &one[0], err
}

func (s *Service) visibleJob(ctx context.Context, u *User, id JobID) (*Job, error) {
	j, err := s.store.Job(ctx, id)
	if ErrorCode(err) == ENOTFOUND || err == nil && j.ClientID != u.ID && j.Status != JobOpen {
		return nil, Errorf(ENOTFOUND, "no such job: %d", id)
	}
	return j, err
}

// Propose submits the actor's proposal on an open job of someone else. One
// proposal per freelancer per job (ECONFLICT for a second one, or when the
// job was awarded meanwhile).
func (s *Service) Propose(ctx context.Context, jobID JobID, text string) (*Proposal, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	j, err := s.visibleJob(ctx, u, jobID)
	if err != nil {
		return nil, err
	}
	switch {
	case j.ClientID == u.ID:
		return nil, Errorf(EFORBIDDEN, "job %d is yours; you cannot propose on your own job", j.ID)
	case j.Status != JobOpen:
		return nil, errJobClosed(j.ID)
	}
	if mine, err := s.store.ProposalOn(ctx, j.ID, u.ID); err == nil {
		return nil, errProposed(j.ID, mine.ID)
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	text, err = checkText("proposal", text, MaxProposalLength, true)
	if err != nil {
		return nil, err
	}
	if err := s.limit(ctx, actPropose, s.cfg.Limits.Proposals); err != nil {
		return nil, err
	}
	p := &Proposal{JobID: j.ID, FreelancerID: u.ID, FreelancerName: u.Name, Text: text, Created: s.now()}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	switch err := s.store.CreateProposal(ctx, p); ErrorRule(err) {
	case RuleJobClosed:
		return nil, errJobClosed(j.ID)
	case RuleAlreadyProposed:
		return nil, Errorf(ECONFLICT, "you already proposed on job %d; one proposal per job", j.ID).Because(RuleAlreadyProposed, strconv.FormatUint(uint64(j.ID), 10))
	default:
		if err != nil {
			return nil, err
		}
	}
	s.log.Info("proposal submitted", "user", u.ID, "job", j.ID, "proposal", p.ID)
	s.publishJob(ctx, j.ID)
	return p, nil
}

// publishJob tells the client's live sessions about their job as it is
// now (its proposal count), read back after the change so the count is
// exact. The change stands if the read fails; it is logged, and the
// client's screen shows the count on its next load.
func (s *Service) publishJob(ctx context.Context, id JobID) {
	j, err := s.store.Job(context.WithoutCancel(ctx), id)
	if err != nil {
		s.log.Error("job not read back for its event", "job", id, "err", err)
		return
	}
	s.hub.Publish(Event{Kind: EventJob, Job: j}, []UserID{j.ClientID})
}

// Proposals returns a page of the proposals on one of the actor's jobs,
// newest first: the newest when before is 0, else those with IDs below
// before. On someone else's job a freelancer who proposed on it gets a
// page of their own proposal alone, whatever became of the job;
// EFORBIDDEN for anyone else on an open job, ENOTFOUND on any other.
func (s *Service) Proposals(ctx context.Context, jobID JobID, before ProposalID, limit int) (*ProposalPage, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if mine, err := s.store.ProposalOn(ctx, jobID, u.ID); err == nil {
		ps := []Proposal{}
		if before == 0 || mine.ID < before {
			ps = append(ps, *mine)
		}
		return &ProposalPage{Proposals: ps}, nil
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	j, err := s.visibleJob(ctx, u, jobID)
	if err != nil {
		return nil, err
	}
	if j.ClientID != u.ID {
		return nil, Errorf(EFORBIDDEN, "only the client who posted job %d sees its proposals", j.ID)
	}
	if limit, err = pageLimit(limit, "proposals"); err != nil {
		return nil, err
	}
	ps, next, err := fetchPage(limit, func(n int) ([]Proposal, error) {
		return s.store.Proposals(ctx, j.ID, before, n)
	}, func(p Proposal) ProposalID { return p.ID })
	return &ProposalPage{Proposals: ps, Before: next}, err
}

// Award gives the job to one of its proposals and creates the workroom,
// with the client and the freelancer as members, at once. Client only;
// ECONFLICT when the job was already awarded.
func (s *Service) Award(ctx context.Context, jobID JobID, proposalID ProposalID) (*Room, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	j, err := s.visibleJob(ctx, u, jobID)
	if err != nil {
		return nil, err
	}
	if j.ClientID != u.ID {
		return nil, Errorf(EFORBIDDEN, "only the client who posted job %d can award it", j.ID)
	}
	if j.Status != JobOpen {
		return nil, Errorf(ECONFLICT, "job %d was already awarded (workroom %d)", j.ID, j.RoomID)
	}
	p, err := s.store.Proposal(ctx, proposalID)
	if ErrorCode(err) == ENOTFOUND || err == nil && p.JobID != j.ID {
		return nil, Errorf(ENOTFOUND, "no proposal %d on job %d", proposalID, j.ID).Because(RuleNoProposal, strconv.FormatUint(uint64(j.ID), 10))
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	r := &Room{JobID: j.ID, Title: j.Title, Created: now, LastActivity: now}
	members := []Member{
		{UserID: j.ClientID, Name: j.ClientName, Role: RoleClient, Joined: now},
		{UserID: p.FreelancerID, Name: p.FreelancerName, Role: RoleFreelancer, Joined: now},
	}
	if err := stillWanted(ctx); err != nil {
		return nil, err
	}
	if err := s.store.Award(ctx, j.ID, p.ID, r, members); ErrorRule(err) == RuleJobClosed {
		return nil, Errorf(ECONFLICT, "job %d was already awarded", j.ID).Because(RuleJobClosed)
	} else if err != nil {
		return nil, err
	}
	s.log.Info("job awarded", "user", u.ID, "job", j.ID, "proposal", p.ID, "room", r.ID)
	hired, after := s.noticeHired(ctx, r, j, p)
	if after != nil {
		members = after
	}
	for _, mb := range members {
		row := &Membership{Room: *r, Role: mb.Role, Unread: mb.Unread, Email: s.roomEmail(r.ID), Notify: !mb.NotifyOff}
		s.hub.Publish(Event{Kind: EventRoom, RoomID: r.ID, Row: row, Message: hired}, []UserID{mb.UserID})
	}
	return r, nil
}

func errJobClosed(id JobID) *Error {
	return Errorf(ECONFLICT, "job %d was awarded and takes no more proposals", id).Because(RuleJobClosed)
}

// errNUL refuses text holding U+0000. No text needs it, other programs
// cut strings short at it, and PostgreSQL's text cannot hold it: both
// stores keep the same texts because the service refuses it here.
func errNUL(what string) error {
	return Errorf(EINVALID, "the %s contains a NUL character (U+0000); remove it and send the text again", what)
}

// checkText validates free text: valid UTF-8 without NUL, at most max characters, and,
// when required, with something visible in it. Optional text may be left
// out (empty or only spaces), but text made only of invisible characters
// is refused either way: it would show as nothing. It normalises line
// endings.
func checkText(what, text string, max int, required bool) (string, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	switch {
	case !utf8.ValidString(text):
		return "", Errorf(EINVALID, "the %s is not valid UTF-8 text", what)
	case !required && strings.TrimSpace(text) == "":
		return "", nil
	case strings.TrimSpace(text) == "":
		return "", Errorf(EINVALID, "the %s is empty; write some text", what)
	case !HasVisibleText(text):
		return "", Errorf(EINVALID, "the %s has no visible text (only spaces or invisible characters); write some text", what)
	case strings.ContainsRune(text, 0):
		return "", errNUL(what)
	case utf8.RuneCountInString(text) > max:
		return "", Errorf(EINVALID, "the %s is %d characters long; the limit is %d, so shorten it or split it", what, utf8.RuneCountInString(text), max)
	}
	return text, nil
}
