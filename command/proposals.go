package command

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// proposalsCmd lists the proposals on my job, or with --mine the
// proposals I made and how each went. On someone else's job it shows my
// own proposal there.
func (s *session) proposalsCmd() *cobra.Command {
	var pg paging
	var mine bool
	c := &cobra.Command{
		Use:   "proposals JOB | --mine [--limit N] [--before ID]",
		Short: "the proposals on your job, newest first; --mine: yours and their status",
		Long: "Lists the proposals on your job, newest first, a page at a time (on a job of someone\n" +
			"else: your own proposal there). With --mine: the proposals you made, with the job and\n" +
			"its status: open, hired or not hired. When more remain, the last line gives the\n" +
			"command for the next page (with --json: the \"before\" field; absent on the last page).",
		Args: optionalArgs("JOB"),
		RunE: func(c *cobra.Command, args []string) error {
			if err := pg.check(c); err != nil {
				return err
			}
			switch {
			case mine && len(args) > 0:
				return usagef("give JOB or --mine, not both; usage: %s", usageLine(c))
			case mine:
				return s.myProposals(c, &pg)
			case len(args) == 0:
				return usagef("proposals needs JOB (or --mine for your own); usage: %s", usageLine(c))
			}
			job, err := ParseID("JOB", args[0])
			if err != nil {
				return err
			}
			page, err := s.svc.Proposals(c.Context(), workroom.JobID(job), workroom.ProposalID(pg.before), pg.size())
			if err != nil {
				return err
			}
			return s.emit(page, func(w io.Writer) error {
				if err := s.printProposals(w, job, page.Proposals, pg.before); err != nil {
					return err
				}
				return pg.printNext(w, c, "older proposals", fmt.Sprintf("proposals %d", job), uint64(page.Before))
			})
		},
	}
	c.Flags().BoolVar(&mine, "mine", false, "list the proposals you made instead")
	pg.bind(c, "proposals")
	return c
}

func (s *session) myProposals(c *cobra.Command, pg *paging) error {
	page, err := s.svc.MyProposals(c.Context(), workroom.ProposalID(pg.before), pg.size())
	if err != nil {
		return err
	}
	return s.emit(page, func(w io.Writer) error {
		if err := s.printMyProposals(w, page.Proposals, pg.before); err != nil {
			return err
		}
		return pg.printNext(w, c, "older proposals", "proposals --mine", uint64(page.Before))
	})
}

// printProposals lists proposals in columns like every other list; the
// text comes last, on one line (line breaks shown as ⏎), so a row is one
// proposal.
func (s *session) printProposals(w io.Writer, job uint64, ps []workroom.Proposal, before uint64) error {
	if len(ps) == 0 && before != 0 {
		_, err := fmt.Fprintln(w, "No older proposals.")
		return err
	}
	if len(ps) == 0 {
		_, err := fmt.Fprintf(w, "No proposals on job %d yet.\n", job)
		return err
	}
	t := newTable(w, "ID", "FREELANCER", "SUBMITTED", "TEXT")
	own := true
	for _, p := range ps {
		t.row(p.ID, p.FreelancerName, s.when(p.Created), p.Text)
		own = own && s.id.User != nil && p.FreelancerID == s.id.User.ID
	}
	if err := t.flush(); err != nil {
		return err
	}
	if own {
		return nil // a freelancer's own proposal: nothing to award
	}
	_, err := fmt.Fprintf(w, "Award one with: award %d PROPOSAL\n", job)
	return err
}

func (s *session) printMyProposals(w io.Writer, ps []workroom.MyProposal, before uint64) error {
	if len(ps) == 0 && before != 0 {
		_, err := fmt.Fprintln(w, "No older proposals.")
		return err
	}
	if len(ps) == 0 {
		_, err := fmt.Fprintln(w, "You have made no proposals. Find open jobs with: jobs --open")
		return err
	}
	t := newTable(w, "ID", "JOB", "STATUS", "ROOM", "SUBMITTED", "TITLE")
	for _, p := range ps {
		room := "-"
		if p.RoomID != 0 {
			room = fmt.Sprint(p.RoomID)
		}
		t.row(p.ID, p.JobID, p.Status, room, s.when(p.Created), p.JobTitle)
	}
	return t.flush()
}
