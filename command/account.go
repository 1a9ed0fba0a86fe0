package command

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// signupCmd creates the account for a key nobody has registered yet. It is
// the only command (with help) an unknown key may run.
func (s *session) signupCmd() *cobra.Command {
	var name, email string
	c := &cobra.Command{
		Use:   "signup --name N --email E",
		Short: "create the account for the key in use",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := requireFlags(c, "name", "email"); err != nil {
				return err
			}
			u, err := s.svc.SignUp(c.Context(), s.id.Key, name, email)
			if err != nil {
				return err
			}
			return s.emit(struct {
				User *workroom.User `json:"user"`
			}{u}, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "Welcome, %s.\nA verification code is on its way to %s: check your mail and run `verify CODE`.\n",
					line(u.Name), line(u.Email))
				return err
			})
		},
	}
	c.Flags().StringVar(&name, "name", "", "the name others will see")
	c.Flags().StringVar(&email, "email", "", "an address you read; the code is sent there")
	markFreeText(c, "name")
	return c
}

// verifyCmd checks the code from the sign-up mail, asks for a new one, or
// sets another (unverified) address.
func (s *session) verifyCmd() *cobra.Command {
	var resend bool
	var email string
	c := &cobra.Command{
		Use:   "verify CODE",
		Short: "verify your email with the code from the mail (--resend: mail a new code; --email E: use another address)",
		Args:  optionalArgs("CODE"),
		RunE: func(c *cobra.Command, args []string) error {
			switch {
			case (resend || email != "") && len(args) > 0, resend && email != "":
				return usagef("give either CODE or --resend (or --email E), one of them; usage: verify CODE | verify --resend | verify --email E")
			case resend:
				return s.resend(c)
			case c.Flags().Changed("email"):
				return s.changeEmail(c, email)
			case len(args) == 0:
				return usagef("verify needs CODE, from the mail sent at sign-up (or --resend for a new one); usage: verify CODE")
			}
			if err := s.svc.Verify(c.Context(), args[0]); err != nil {
				return err
			}
			return s.emit(done, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "%s is verified.\n", line(s.id.User.Email))
				return err
			})
		},
	}
	c.Flags().BoolVar(&resend, "resend", false, "mail a new code instead")
	c.Flags().StringVar(&email, "email", "", "set another address (while yours is not verified) and mail a code there")
	return c
}

func (s *session) changeEmail(c *cobra.Command, email string) error {
	u, err := s.svc.ChangeEmail(c.Context(), email)
	if err != nil {
		return err
	}
	return s.emit(struct {
		User *workroom.User `json:"user"`
	}{u}, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "Your address is now %s. A verification code is on its way to it: check your mail and run `verify CODE`.\n", line(u.Email))
		return err
	})
}

func (s *session) resend(c *cobra.Command) error {
	if err := s.svc.ResendVerification(c.Context()); err != nil {
		return err
	}
	return s.emit(done, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "A new code is on its way to %s: check your mail and run `verify CODE`.\n", line(s.id.User.Email))
		return err
	})
}

// whoamiCmd shows the account behind the key in use.
func (s *session) whoamiCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "whoami",
		Short: "your account, its keys, whether the email is verified",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			// Keys goes first: for an unknown key it is the service that
			// refuses, with the way to sign up.
			keys, err := s.svc.Keys(c.Context())
			if err != nil {
				return err
			}
			u, admin := s.id.User, s.svc.IsAdmin(c.Context(), s.id)
			return s.emit(struct {
				User     *workroom.User `json:"user"`
				Keys     []workroom.Key `json:"keys"`
				Admin    bool           `json:"admin"`
				KeyInUse string         `json:"key_in_use"`
			}{u, nonNil(keys), admin, s.id.Key.Fingerprint}, func(w io.Writer) error {
				return s.printWhoami(w, u, keys, admin)
			})
		},
	}
}

func (s *session) printWhoami(w io.Writer, u *workroom.User, keys []workroom.Key, admin bool) error {
	email := u.Email + " (verified)"
	switch {
	case u.EmailLost:
		email = u.Email + " (your address was verified by another account; set another with `verify --email NEW-ADDRESS`)"
	case !u.EmailVerified:
		email = u.Email + " (not verified: check your mail and run `verify CODE`)"
	case u.EmailUndeliverable:
		email = u.Email + " (undeliverable: mail to it bounced, so notifications stopped; fix the mailbox, then run `verify --resend` and `verify CODE`)"
	}
	t := newTable(w)
	t.row("name", u.Name)
	t.row("user id", u.ID)
	t.row("email", email)
	t.row("admin", yesNo(admin))
	t.row("joined", s.when(u.Created))
	if err := t.flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nkeys:")
	return s.printKeys(w, keys)
}

// nonNil makes an empty list print as [] in JSON, never null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
