package workroom

import (
	"context"
	"strings"
)

// Files travel with messages, job posts and proposals. A message carries
// up to MaxAttachments files of its room, named by path and pinned to the
// version that was latest when it was posted. A job post and a proposal
// carry files uploaded for them through the same pipeline; at award the
// job post's and the winning proposal's files appear in the new room's
// area (folders "job" and "proposal"), by reference to the same blobs.

// errTooManyAttachments refuses an attachment over MaxAttachments.
func errTooManyAttachments(what string) *Error {
	return Errorf(ELIMIT, "a %s carries at most %d files", what, MaxAttachments).Because(RuleTooManyAttachments)
}

// StartJobAttachment begins an upload of a file named name attached to a
// job post. Only the job's client, while it is open (ECONFLICT,
// RuleJobClosed, once awarded; ENOTFOUND for a job they cannot see,
// EFORBIDDEN for someone else's open job); EINVALID for a name the file
// rules refuse or one with folders; ELIMIT (RuleTooManyAttachments) at
// MaxAttachments. Commit refuses a name the job already carries
// (ECONFLICT, RuleFileExists).
func (s *Service) StartJobAttachment(ctx context.Context, id JobID, name string) (*Upload, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	j, err := s.visibleJob(ctx, u, id)
	if err != nil {
		return nil, err
	}
	switch {
	case j.ClientID != u.ID:
		return nil, Errorf(EFORBIDDEN, "only the client who posted job %d can attach files to it", j.ID)
	case j.Status != JobOpen:
		return nil, Errorf(ECONFLICT, "job %d was awarded; its files are in workroom %d now", j.ID, j.RoomID).Because(RuleJobClosed)
	}
	name, err = attachmentName(name)
	if err != nil {
		return nil, err
	}
	if err := s.refuseWhenStopping(name); err != nil {
		return nil, err
	}
	if have, err := s.store.JobAttachments(ctx, j.ID); err != nil {
		return nil, err
	} else if len(have) >= MaxAttachments {
		return nil, errTooManyAttachments("job post")
	}
	return s.startUpload(ctx, u, name, &attachTarget{what: "job post", name: name, store: func(ctx context.Context, a Attachment) error {
		return s.store.AttachToJob(ctx, j.ID, a, MaxAttachments)
	}})
}

// StartProposalAttachment begins an upload of a file attached to a
// proposal: only its freelancer, while the job is open; the rest as for
// StartJobAttachment. ENOTFOUND for a proposal that is not theirs.
func (s *Service) StartProposalAttachment(ctx context.Context, id ProposalID, name string) (*Upload, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.store.Proposal(ctx, id)
	if ErrorCode(err) == ENOTFOUND || err == nil && p.FreelancerID != u.ID {
		return nil, Errorf(ENOTFOUND, "no such proposal of yours: %d", id)
	} else if err != nil {
		return nil, err
	}
	j, err := s.store.Job(ctx, p.JobID)
	if err != nil {
		return nil, err
	}
	if j.Status != JobOpen {
		return nil, Errorf(ECONFLICT, "job %d was awarded; proposal %d takes no more files", j.ID, p.ID).Because(RuleJobClosed)
	}
	name, err = attachmentName(name)
	if err != nil {
		return nil, err
	}
	if err := s.refuseWhenStopping(name); err != nil {
		return nil, err
	}
	if have, err := s.store.ProposalAttachments(ctx, p.ID); err != nil {
		return nil, err
	} else if len(have) >= MaxAttachments {
		return nil, errTooManyAttachments("proposal")
	}
	return s.startUpload(ctx, u, name, &attachTarget{what: "proposal", name: name, store: func(ctx context.Context, a Attachment) error {
		return s.store.AttachToProposal(ctx, p.ID, a, MaxAttachments)
	}})
}

// attachmentName checks the name of a job or proposal file: the file
// rules, and no folders.
func attachmentName(name string) (string, error) {
	p, err := CheckFileName(name)
	if err != nil {
		return "", err
	}
	if strings.Contains(p, "/") {
		return "", Errorf(EINVALID, "%s: a job's or proposal's file is named without folders", p).Because(RuleBadPath)
	}
	return p, nil
}

// attachTarget records an upload as a job's or proposal's file.
type attachTarget struct {
	what, name string
	store      func(context.Context, Attachment) error
}

func (t *attachTarget) room() RoomID { return 0 }

func (t *attachTarget) record(ctx context.Context, u *Upload, v Version) (*Committed, error) {
	v.N = 1
	switch err := t.store(ctx, Attachment{Path: t.name, Version: v}); ErrorRule(err) {
	case "":
		if err != nil {
			return nil, err
		}
	case RuleFileExists:
		return nil, Errorf(ECONFLICT, "%s: the %s carries a file by that name already", t.name, t.what).Because(RuleFileExists, t.name)
	case RuleTooManyAttachments:
		return nil, errTooManyAttachments(t.what)
	case RuleJobClosed:
		return nil, Errorf(ECONFLICT, "the job was awarded meanwhile; the %s takes no more files", t.what).Because(RuleJobClosed)
	default:
		return nil, err
	}
	return &Committed{Path: t.name, Version: v, Added: true}, nil
}

// JobAttachments returns the files of a job the actor may see.
func (s *Service) JobAttachments(ctx context.Context, id JobID) ([]Attachment, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.visibleJob(ctx, u, id); err != nil {
		return nil, err
	}
	return s.store.JobAttachments(ctx, id)
}

// attachFiles pins each path of a room to its latest version, for a
// message. ELIMIT (RuleTooManyAttachments) over MaxAttachments; ENOTFOUND
// for a path with no file; EINVALID for a path named twice.
func (s *Service) attachFiles(ctx context.Context, room RoomID, paths []string) ([]Attachment, error) {
	if len(paths) > MaxAttachments {
		return nil, errTooManyAttachments("message")
	}
	out := make([]Attachment, 0, len(paths))
	seen := map[string]bool{}
	for _, p := range paths {
		clean, err := readPath(p)
		if err != nil {
			return nil, err
		}
		if seen[clean] {
			return nil, Errorf(EINVALID, "%s is attached twice; name each file once", clean)
		}
		seen[clean] = true
		f, err := s.store.File(ctx, room, clean)
		if ErrorCode(err) == ENOTFOUND {
			return nil, Errorf(ENOTFOUND, "no such file to attach: %s; upload it first", clean)
		} else if err != nil {
			return nil, err
		}
		out = append(out, Attachment{Path: f.Path, Version: f.Latest()})
	}
	return out, nil
}
