package workroom

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Retention: what the marketplace promised to delete, it deletes. A sweep
// (Sweep) applies three rules, each on the service's clock (Config.Now),
// so tests move the clock rather than wait:
//
//   - the files of proposals that were not hired are deleted
//     UnhiredFilesMonths after the job's award (the proposal's text stays);
//   - a completed workroom with no activity for IdleCompletedRoomMonths has
//     its files (every version) and folders deleted, and a system message
//     in the room says what was removed and why; its messages stay;
//   - a blob nothing refers to is removed BlobGrace after a sweep first
//     found it unreferenced (blobs.go).
//
// A month is a calendar month in UTC, counted as time.AddDate counts it:
// the same day of the month, N months on, at the same time of day. A day
// the target month lacks rolls over into the next month (31 August plus 6
// months is 3 March, or 2 March in a leap year). The deadline itself
// belongs to the rule: a sweep at or after it deletes.
//
// Activity, for the idle rule, is the newest of: a message (any source —
// typed, mailed, a meeting's lines, a system notice), a version uploaded,
// and the completion itself. A deletion (rm) leaves nothing to count. The
// retention notice the sweep posts is a message, so the idle clock starts
// again after it; with no files left there is nothing to delete next time.
const (
	// UnhiredFilesMonths is how long after an award the files of the
	// job's other proposals are kept.
	UnhiredFilesMonths = 6
	// IdleCompletedRoomMonths is how long a completed workroom keeps its
	// files with no activity.
	IdleCompletedRoomMonths = 12
	// DefaultSweepInterval is how often `serve` runs the sweep
	// (--sweep-interval).
	DefaultSweepInterval = time.Hour
)

// monthsAfter is t plus n calendar months, in UTC (see above).
func monthsAfter(t time.Time, n int) time.Time { return t.UTC().AddDate(0, n, 0) }

// SweepReport is what one sweep removed.
type SweepReport struct {
	At        time.Time       `json:"at"`
	Proposals []SweptProposal `json:"proposals"`
	Rooms     []SweptRoom     `json:"rooms"`
	// Blobs are the SHA-256 sums of the blobs removed.
	Blobs []string `json:"blobs"`
}

// SweptProposal is an unhired proposal whose files a sweep deleted.
type SweptProposal struct {
	ProposalID ProposalID `json:"proposal_id"`
	JobID      JobID      `json:"job_id"`
	Awarded    time.Time  `json:"awarded"`
	Files      []string   `json:"files"`
}

// SweptRoom is a completed, idle workroom whose files a sweep deleted.
type SweptRoom struct {
	RoomID       RoomID    `json:"room_id"`
	Completed    time.Time `json:"completed"`
	LastActivity time.Time `json:"last_activity"`
	Files        []string  `json:"files"`
	Versions     int       `json:"versions"`
	Bytes        int64     `json:"bytes"`
}

// UnhiredFiles is a proposal that was not hired and still carries files,
// with the award of its job (Store.UnhiredProposalFiles).
type UnhiredFiles struct {
	ProposalID ProposalID   `json:"proposal_id"`
	JobID      JobID        `json:"job_id"`
	Awarded    time.Time    `json:"awarded"`
	Files      []Attachment `json:"files"`
}

// AdminSweep runs the sweep now, for an administrator (EFORBIDDEN for
// anyone else), and returns what it removed.
func (s *Service) AdminSweep(ctx context.Context) (*SweepReport, error) {
	if !s.IsAdmin(ctx, IdentityFromContext(ctx)) {
		return nil, errAdminOnly("apply the retention rules at will")
	}
	return s.Sweep(ctx)
}

// Sweep applies the retention rules at the service's clock and returns
// what it removed. It checks no actor: `serve` runs it periodically, and
// AdminSweep on demand. One sweep runs at a time, across every front end
// sharing the SweepLock: ECONFLICT when another holds
// it. A rule that fails is logged and the others still run; the first
// error is returned with what was removed.
func (s *Service) Sweep(ctx context.Context) (*SweepReport, error) {
	unlock, ok, err := s.sweeps.TryLock(ctx)
	switch {
	case err != nil:
		s.log.Error("retention sweep: taking the sweep lock", "err", err)
		return nil, Errorf(EUNAVAILABLE, "the retention sweep cannot start just now (its lock cannot be taken); try again in a moment")
	case !ok:
		return nil, Errorf(ECONFLICT, "a retention sweep is already running (on this server or another front end); it applies the same rules, so wait for it to finish")
	}
	defer unlock()
	return s.sweep(ctx)
}

// sweep is Sweep holding the sweep lock.
func (s *Service) sweep(ctx context.Context) (*SweepReport, error) {
	rep := &SweepReport{At: s.now(), Proposals: []SweptProposal{}, Rooms: []SweptRoom{}, Blobs: []string{}}
	var first error
	for _, rule := range []func(context.Context, *SweepReport) error{s.sweepUnhired, s.sweepIdleRooms, s.sweepBlobs} {
		if err := rule(ctx, rep); err != nil {
			s.log.Error("retention sweep", "err", err)
			if first == nil {
				first = err
			}
		}
	}
	if len(rep.Proposals)+len(rep.Rooms)+len(rep.Blobs) > 0 {
		s.log.Info("retention sweep", "proposals", len(rep.Proposals), "rooms", len(rep.Rooms), "blobs", len(rep.Blobs))
	}
	return rep, first
}

// sweepUnhired deletes the files of proposals not hired, once
// UnhiredFilesMonths have passed since their job's award.
func (s *Service) sweepUnhired(ctx context.Context, rep *SweepReport) error {
	list, err := s.store.UnhiredProposalFiles(ctx)
	if err != nil {
		return err
	}
	for _, p := range list {
		if rep.At.Before(monthsAfter(p.Awarded, UnhiredFilesMonths)) {
			continue
		}
		removed, err := s.store.DropProposalFiles(ctx, p.ProposalID)
		if err != nil {
			return err
		}
		if len(removed) == 0 {
			continue // a sweep running at the same time took them
		}
		sp := SweptProposal{ProposalID: p.ProposalID, JobID: p.JobID, Awarded: p.Awarded, Files: []string{}}
		for _, a := range removed {
			sp.Files = append(sp.Files, a.Path)
		}
		s.log.Info("unhired proposal's files deleted", "proposal", p.ProposalID, "job", p.JobID, "files", len(sp.Files))
		rep.Proposals = append(rep.Proposals, sp)
	}
	return nil
}

// sweepIdleRooms deletes the files of completed workrooms idle for
// IdleCompletedRoomMonths, and says so in each.
func (s *Service) sweepIdleRooms(ctx context.Context, rep *SweepReport) error {
	rooms, err := s.store.CompletedRooms(ctx)
	if err != nil {
		return err
	}
	for _, r := range rooms {
		last, err := s.store.LastActivity(ctx, r.ID)
		if err != nil {
			return err
		}
		if rep.At.Before(monthsAfter(last, IdleCompletedRoomMonths)) {
			continue
		}
		files, err := s.store.DropRoomFiles(ctx, r.ID, last)
		if ErrorRule(err) == RuleRoomActive {
			continue // something happened meanwhile: the clock starts again
		} else if err != nil {
			return err
		}
		if len(files) == 0 {
			continue
		}
		sr := SweptRoom{RoomID: r.ID, Completed: r.Completed, LastActivity: last, Files: []string{}}
		for _, f := range files {
			sr.Files = append(sr.Files, f.Path)
			sr.Versions += len(f.Versions)
			for _, v := range f.Versions {
				sr.Bytes += v.Size
			}
		}
		s.log.Info("idle completed workroom's files deleted", "room", r.ID, "files", len(sr.Files), "versions", sr.Versions)
		rep.Rooms = append(rep.Rooms, sr)
		m := &Message{RoomID: r.ID, AuthorName: "workroom", Body: retentionNotice(sr), Source: SourceSystem, Created: rep.At}
		if _, err := s.appendSystem(ctx, &r, m); err != nil {
			s.log.Error("retention notice not stored", "room", r.ID, "err", err)
		}
	}
	return nil
}

// maxNoticeFiles is how many file names the retention notice lists; the
// rest are counted.
const maxNoticeFiles = 50

// retentionNotice is the system message that tells a room its files were
// deleted, which and why.
func retentionNotice(sr SweptRoom) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Files deleted by the retention rule: this workroom was marked complete on %s and had no activity since %s, "+
		"%d months ago. Removed %d file(s), %d version(s), %s:",
		sr.Completed.Format(time.DateOnly), sr.LastActivity.Format(time.DateOnly), IdleCompletedRoomMonths,
		len(sr.Files), sr.Versions, FormatSize(sr.Bytes))
	for i, p := range sr.Files {
		if i == maxNoticeFiles {
			fmt.Fprintf(&b, "\n… and %d more", len(sr.Files)-maxNoticeFiles)
			break
		}
		b.WriteString("\n- " + p)
	}
	b.WriteString("\nThe messages stay.")
	return b.String()
}

// RuleRoomActive: a room had activity after the time the sweep judged it
// idle by; its files stay.
const RuleRoomActive Rule = "room_active"
