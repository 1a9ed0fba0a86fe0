package command

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// inviteCmd brings a team member or a guest into a workroom by address
// (the client only).
func (s *session) inviteCmd() *cobra.Command {
	var team, guest string
	c := &cobra.Command{
		Use:   "invite ROOM (--team EMAIL | --guest EMAIL)",
		Short: "invite a team member (read, post, upload, to-dos) or a guest (read and post) by email (client)",
		Args:  exactArgs("ROOM"),
		RunE: func(c *cobra.Command, args []string) error {
			id, err := ParseID("ROOM", args[0])
			if err != nil {
				return err
			}
			email, role := team, workroom.RoleTeam
			switch {
			case team != "" && guest != "":
				return usagef("give --team or --guest, not both; usage: %s", usageLine(c))
			case guest != "":
				email, role = guest, workroom.RoleGuest
			case team == "":
				return usagef("invite needs --team EMAIL or --guest EMAIL; usage: %s", usageLine(c))
			}
			inv, err := s.svc.Invite(c.Context(), workroom.RoomID(id), email, role)
			if err != nil {
				return err
			}
			return s.emit(inv, func(w io.Writer) error {
				if inv.Member != nil {
					_, err := fmt.Fprintf(w, "%s (user %d) is now %s of workroom %d; they were mailed a notice.\n",
						inv.Member.Name, inv.Member.UserID, nounWithArticle(role), id)
					return err
				}
				_, err := fmt.Fprintf(w, "Invited %s as %s of workroom %d. No account has verified that address yet: "+
					"an invitation was mailed, and they join once they sign up and verify it. "+
					"`remove %d %s` cancels it.\n", email, nounWithArticle(role), id, id, email)
				return err
			})
		},
	}
	c.Flags().StringVar(&team, "team", "", "the address of a team member to invite")
	c.Flags().StringVar(&guest, "guest", "", "the address of a guest to invite")
	return c
}

// removeCmd takes a team member or guest out of a workroom, or cancels an
// invitation (the client only).
func (s *session) removeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "remove ROOM USER",
		Short: "remove a team member or guest (USER: user id, name or email), or cancel an invitation by email (client)",
		Args:  exactArgs("ROOM", "USER"),
		RunE: func(c *cobra.Command, args []string) error {
			id, err := ParseID("ROOM", args[0])
			if err != nil {
				return err
			}
			rm, err := s.svc.Remove(c.Context(), workroom.RoomID(id), args[1])
			if err != nil {
				return err
			}
			return s.emit(rm, func(w io.Writer) error {
				if rm.Invitation != nil {
					_, err := fmt.Fprintf(w, "Cancelled the invitation of %s to workroom %d.\n", rm.Invitation.Email, id)
					return err
				}
				_, err := fmt.Fprintf(w, "Removed %s (user %d) from workroom %d; they can no longer reach it by any way in.\n",
					rm.Member.Name, rm.Member.UserID, id)
				return err
			})
		},
	}
}

// nounWithArticle is "a team member", "a guest".
func nounWithArticle(r workroom.Role) string { return "a " + r.Noun() }
