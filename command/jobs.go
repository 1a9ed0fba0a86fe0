package command

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// jobsCmd lists the jobs I posted, or with --open the jobs of others I may
// propose on.
func (s *session) jobsCmd() *cobra.Command {
	var open bool
	var pg paging
	c := &cobra.Command{
		Use:   "jobs [--open] [--limit N] [--before ID]",
		Short: "the jobs you posted; --open: open jobs of others to propose on",
		Long: "Lists the jobs you posted (with --open: the open jobs of others), newest first, a page\n" +
			"at a time. When more remain, the last line gives the command for the next page\n" +
			"(with --json: the \"before\" field; it is absent on the last page).",
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := pg.check(c); err != nil {
				return err
			}
			list, line := s.svc.MyJobs, "jobs"
			if open {
				list, line = s.svc.OpenJobs, "jobs --open"
			}
			page, err := list(c.Context(), workroom.JobID(pg.before), pg.size())
			if err != nil {
				return err
			}
			return s.emit(page, func(w io.Writer) error {
				var err error
				if open {
					err = s.printOpenJobs(w, page.Jobs, pg.before)
				} else {
					err = s.printMyJobs(w, page.Jobs, pg.before)
				}
				if err != nil {
					return err
				}
				return pg.printNext(w, c, "older jobs", line, uint64(page.Before))
			})
		},
	}
	c.Flags().BoolVar(&open, "open", false, "list open jobs of others instead of yours")
	pg.bind(c, "jobs")
	return c
}

func (s *session) printMyJobs(w io.Writer, jobs []workroom.Job, before uint64) error {
	if len(jobs) == 0 && before != 0 {
		_, err := fmt.Fprintln(w, "No older jobs.")
		return err
	}
	if len(jobs) == 0 {
		_, err := fmt.Fprintln(w, "You have posted no jobs. Post one with: job post --title T [--description D]")
		return err
	}
	t := newTable(w, "ID", "STATUS", "PROPOSALS", "ROOM", "POSTED", "TITLE")
	for _, j := range jobs {
		room := "-"
		if j.RoomID != 0 {
			room = fmt.Sprint(j.RoomID)
		}
		t.row(j.ID, j.Status, j.Proposals, room, s.when(j.Created), j.Title)
	}
	return t.flush()
}

func (s *session) printOpenJobs(w io.Writer, jobs []workroom.Job, before uint64) error {
	if len(jobs) == 0 && before != 0 {
		_, err := fmt.Fprintln(w, "No older open jobs.")
		return err
	}
	if len(jobs) == 0 {
		_, err := fmt.Fprintln(w, "No open jobs of others right now.")
		return err
	}
	t := newTable(w, "ID", "CLIENT", "PROPOSALS", "POSTED", "PROPOSED", "TITLE")
	for _, j := range jobs {
		proposed := "-"
		if j.Proposed {
			proposed = "yes"
		}
		t.row(j.ID, j.ClientName, j.Proposals, s.when(j.Created), proposed, j.Title)
	}
	return t.flush()
}

// jobCmd groups the commands on one job post.
func (s *session) jobCmd() *cobra.Command {
	c := &cobra.Command{
		Use:  "job",
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return errUnknownCommand("job " + args[0])
			}
			return usagef("job needs a subcommand; usage: job post --title T [--description D] | job attach JOB NAME")
		},
	}
	c.AddCommand(s.jobPostCmd(), s.jobAttachCmd())
	return c
}

func (s *session) jobPostCmd() *cobra.Command {
	var title, description string
	c := &cobra.Command{
		Use:   "post --title T [--description D]",
		Short: "post a job; prints its id",
		Long: "Posts a job and prints its id. The title and the description are the words after\n" +
			"their flag, exactly as typed, up to the next flag. Give --description - to read\n" +
			"the description from stdin (ssh … job post --title Logo --description - < brief.txt).",
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := requireFlags(c, "title"); err != nil {
				return err
			}
			j, err := s.svc.PostJob(c.Context(), title, description)
			if err != nil {
				return err
			}
			return s.emit(struct {
				Job *workroom.Job `json:"job"`
			}{j}, printID(j.ID))
		},
	}
	c.Flags().StringVar(&title, "title", "", "one line that says what the work is")
	c.Flags().StringVar(&description, "description", "", "the details (- reads them from stdin)")
	markFreeText(c, "title", "description")
	return c
}

func (s *session) proposeCmd() *cobra.Command {
	var text string
	c := &cobra.Command{
		Use:   "propose JOB [--text T]",
		Short: "propose on an open job (the text after --text, or stdin); prints the proposal's id",
		Long: "Proposes on an open job and prints the proposal's id. The proposal is the words\n" +
			"after --text, exactly as typed, up to the next flag; without --text (or with\n" +
			"--text -) it is read from stdin (ssh … propose 4 < proposal.txt).",
		Args: exactArgs("JOB"),
		RunE: func(c *cobra.Command, args []string) error {
			job, err := ParseID("JOB", args[0])
			if err != nil {
				return err
			}
			if !c.Flags().Changed("text") {
				if text, err = readText(s.in); err != nil {
					return err
				}
			}
			p, err := s.svc.Propose(c.Context(), workroom.JobID(job), text)
			if err != nil {
				return err
			}
			return s.emit(struct {
				Proposal *workroom.Proposal `json:"proposal"`
			}{p}, printID(p.ID))
		},
	}
	c.Flags().StringVar(&text, "text", "", "your proposal (without it, or with -, read from stdin)")
	markFreeText(c, "text")
	return c
}

func (s *session) awardCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "award JOB PROPOSAL",
		Short: "award your job to a proposal; creates the workroom, prints its id",
		Args:  exactArgs("JOB", "PROPOSAL"),
		RunE: func(c *cobra.Command, args []string) error {
			job, err := ParseID("JOB", args[0])
			if err != nil {
				return err
			}
			proposal, err := ParseID("PROPOSAL", args[1])
			if err != nil {
				return err
			}
			r, err := s.svc.Award(c.Context(), workroom.JobID(job), workroom.ProposalID(proposal))
			if err != nil {
				return err
			}
			// The room as rooms lists it: with role, unread and address.
			m, err := s.svc.Room(c.Context(), r.ID)
			if err != nil {
				return err
			}
			return s.emit(struct {
				Room *workroom.Membership `json:"room"`
			}{m}, printID(r.ID))
		},
	}
}

// printID is the plain output of a command that creates something: the id
// alone, so a script can capture it with $(…).
func printID[T ~uint64](id T) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := fmt.Fprintln(w, uint64(id))
		return err
	}
}

// indent sets a block of text off under its header line.
func indent(text string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(text, "\n"), "\n", "\n    ") + "\n"
}
