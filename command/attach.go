package command

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// jobAttachCmd attaches stdin as a file of a job post.
func (s *session) jobAttachCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "attach JOB NAME",
		Short: "attach stdin as a file of my job post (ssh … job attach 7 brief.pdf < brief.pdf)",
		Long: "Attaches the bytes on stdin to your open job post as NAME. Freelancers see it with\n" +
			"the job; at award it appears in the new workroom's files, in the folder job/.",
		Args: exactArgs("JOB", "NAME"),
		RunE: func(c *cobra.Command, args []string) error {
			id, err := ParseID("JOB", args[0])
			if err != nil {
				return err
			}
			up, err := s.svc.StartJobAttachment(c.Context(), workroom.JobID(id), args[1])
			if err != nil {
				return err
			}
			return s.storeAttachment(c, up)
		},
	}
}

// proposalCmd groups the commands on one proposal.
func (s *session) proposalCmd() *cobra.Command {
	c := &cobra.Command{
		Use:  "proposal",
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return errUnknownCommand("proposal " + args[0])
			}
			return usagef("proposal needs a subcommand; usage: proposal attach PROPOSAL NAME")
		},
	}
	c.AddCommand(&cobra.Command{
		Use:   "attach PROPOSAL NAME",
		Short: "attach stdin as a file of my proposal",
		Long: "Attaches the bytes on stdin to your proposal as NAME, while the job is open. If you\n" +
			"are hired it appears in the new workroom's files, in the folder proposal/.",
		Args: exactArgs("PROPOSAL", "NAME"),
		RunE: func(c *cobra.Command, args []string) error {
			id, err := ParseID("PROPOSAL", args[0])
			if err != nil {
				return err
			}
			up, err := s.svc.StartProposalAttachment(c.Context(), workroom.ProposalID(id), args[1])
			if err != nil {
				return err
			}
			return s.storeAttachment(c, up)
		},
	})
	return c
}

func (s *session) storeAttachment(c *cobra.Command, up *workroom.Upload) error {
	got, err := s.upload(c, up, s.in)
	if err != nil {
		return err
	}
	return s.emit(got, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s: attached (%s, %s)\n", line(got.Path), workroom.FormatSize(got.Version.Size), got.Version.Scan)
		return err
	})
}

// adminQuotaCmd sets a room's quota.
func (s *session) adminQuotaCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "quota ROOM SIZE",
		Short: "set a workroom's quota (SIZE like 500M or 1G)",
		Args:  exactArgs("ROOM", "SIZE"),
		RunE: func(c *cobra.Command, args []string) error {
			room, err := ParseID("ROOM", args[0])
			if err != nil {
				return err
			}
			size, err := workroom.ParseSize(args[1])
			if err != nil {
				return err
			}
			u, err := s.svc.SetQuota(c.Context(), workroom.RoomID(room), size)
			if err != nil {
				return err
			}
			return s.emit(u, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "Workroom %d may store %s; it uses %s.\n", room, workroom.FormatSize(u.Quota), workroom.FormatSize(u.Used))
				return err
			})
		},
	}
}
