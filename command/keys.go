package command

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// keysCmd lists the account's keys; its subcommands add one (by proof of
// possession: a code from a signed-in key, presented by the new key),
// recover an account whose keys are all lost, and remove one.
func (s *session) keysCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "keys",
		Short: "your SSH keys",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			keys, err := s.svc.Keys(c.Context())
			if err != nil {
				return err
			}
			return s.emit(struct {
				Keys []workroom.Key `json:"keys"`
			}{nonNil(keys)}, func(w io.Writer) error {
				return s.printKeys(w, keys)
			})
		},
	}
	c.AddCommand(s.keysAddCmd(), s.keysLinkCmd(), s.keysRecoverCmd(), s.keysCommentCmd(), s.keysRemoveCmd())
	return c
}

// keysAddCmd issues a link code. It reads no key: a public key is public,
// so holding one proves nothing; the new key proves itself by connecting.
func (s *session) keysAddCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "add",
		Short: "get a one-time link code; then connect with the new key and run keys link CODE",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			code, expires, err := s.svc.NewLinkCode(c.Context())
			if err != nil {
				return err
			}
			return s.emit(struct {
				Code    string    `json:"code"`
				Expires time.Time `json:"expires"`
			}{code, expires}, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "Link code: %s\n\nIt works once, until %s. Connect with the key you want to add and run\n  ssh -i NEW-KEY … keys link %[1]s\nor choose \"I already have an account\" on the sign-up screen.\n(keys add reads no key from stdin: a key is added only by connecting with it.)\n",
					code, s.when(expires))
				return err
			})
		},
	}
}

// keysLinkCmd attaches the key in use to the account that issued CODE. It
// is run by a key the server does not know yet.
func (s *session) keysLinkCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "link CODE",
		Short: "with a new key: attach it to your account, with the code from keys add or keys recover",
		Args:  exactArgs("CODE"),
		RunE: func(c *cobra.Command, args []string) error {
			u, err := s.svc.LinkKey(c.Context(), args[0])
			if err != nil {
				return err
			}
			return s.emit(struct {
				User *workroom.User `json:"user"`
				Key  string         `json:"fingerprint"`
			}{u, s.id.Key.Fingerprint}, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "Linked %s to the account of %s. Connect with it as usual.\n",
					line(s.id.Key.Fingerprint), line(u.Name))
				return err
			})
		},
	}
}

// keysRecoverCmd mails a link code to an account's verified address, for
// someone who lost every key. Its answer never says whether the address
// has an account.
func (s *session) keysRecoverCmd() *cobra.Command {
	var email string
	c := &cobra.Command{
		Use:   "recover --email E",
		Short: "lost every key? mail a link code to your verified address, then keys link CODE",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := requireFlags(c, "email"); err != nil {
				return err
			}
			if err := s.svc.RecoverAccount(c.Context(), email); err != nil {
				return err
			}
			return s.emit(done, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "If %s is the verified address of an account, a link code is on its way to it.\nIt works once, for %d minutes: run `keys link CODE` with the key you want to add.\n",
					line(email), int(workroom.LinkCodeTTL.Minutes()))
				return err
			})
		},
	}
	c.Flags().StringVar(&email, "email", "", "the verified address of your account")
	return c
}

func (s *session) keysRemoveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "remove FINGERPRINT",
		Short: "remove a key (as listed by keys, SHA256:…)",
		Args:  exactArgs("FINGERPRINT"),
		RunE: func(c *cobra.Command, args []string) error {
			if err := s.svc.RemoveKey(c.Context(), args[0]); err != nil {
				return err
			}
			return s.emit(done, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "Removed %s.\n", line(args[0]))
				return err
			})
		},
	}
}

// keysCommentCmd names a key, so keys can be told apart: SSH never sends
// the comment of the client's key, so the person gives it.
func (s *session) keysCommentCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "comment FINGERPRINT [TEXT]",
		Short: "name a key (e.g. laptop) so keys tells yours apart; no TEXT clears it",
		Args:  cobra.MatchAll(leadingArgs("FINGERPRINT"), optionalArgs("FINGERPRINT", "TEXT")),
		RunE: func(c *cobra.Command, args []string) error {
			comment := ""
			if len(args) > 1 {
				comment = args[1]
			}
			if err := s.svc.SetKeyComment(c.Context(), args[0], comment); err != nil {
				return err
			}
			return s.emit(done, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "%s: comment set.\n", line(args[0]))
				return err
			})
		},
	}
	markTextAfter(c, 1)
	return c
}

// printKeys lists keys in columns, marking the one in use. A key with no
// comment shows "-": its type and when it was added tell it apart.
func (s *session) printKeys(w io.Writer, keys []workroom.Key) error {
	t := newTable(w, "FINGERPRINT", "TYPE", "COMMENT", "ADDED")
	for _, k := range keys {
		typ, _, _ := strings.Cut(k.Authorized, " ")
		mark, comment := "", k.Comment
		if k.Fingerprint == s.id.Key.Fingerprint {
			mark = "  (in use)"
		}
		if comment == "" {
			comment = "-"
		}
		t.row(k.Fingerprint, typ, comment, s.when(k.Added)+mark)
	}
	return t.flush()
}
