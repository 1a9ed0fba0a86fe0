package command

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
)

// maxKeyInput bounds what keys add reads from stdin: an authorized_keys line
// is a few kilobytes at most (RSA 16384 is about 3 KB).
const maxKeyInput = 64 << 10

// keysCmd lists the account's keys; its subcommands add and remove one.
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
	c.AddCommand(s.keysAddCmd(), s.keysRemoveCmd())
	return c
}

func (s *session) keysAddCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "add",
		Short: "add a key: one authorized_keys line on stdin (keys add < ~/.ssh/id_ed25519.pub)",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			key, err := readKey(s.in)
			if err != nil {
				return err
			}
			k, err := s.svc.AddKey(c.Context(), key)
			if err != nil {
				return err
			}
			return s.emit(struct {
				Key *workroom.Key `json:"key"`
			}{k}, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "Added %s. It can sign in to your account now.\n", k.Fingerprint)
				return err
			})
		},
	}
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

// readKey parses the one public key on stdin into the form the service
// stores: the OpenSSH fingerprint and the authorized_keys line without
// options or comment.
func readKey(in io.Reader) (workroom.Key, error) {
	data, err := io.ReadAll(io.LimitReader(in, maxKeyInput+1))
	switch {
	case err != nil:
		return workroom.Key{}, err
	case len(data) > maxKeyInput:
		return workroom.Key{}, workroom.Errorf(workroom.EINVALID, "stdin holds more than a public key; give one authorized_keys line, e.g. keys add < ~/.ssh/id_ed25519.pub")
	case strings.TrimSpace(string(data)) == "":
		return workroom.Key{}, workroom.Errorf(workroom.EINVALID, "no public key on stdin; give one authorized_keys line, e.g. keys add < ~/.ssh/id_ed25519.pub")
	}
	pk, _, _, rest, err := ssh.ParseAuthorizedKey(data)
	if err != nil {
		return workroom.Key{}, workroom.Errorf(workroom.EINVALID, "stdin is not a public key; give one authorized_keys line (the .pub file, not the private key), e.g. keys add < ~/.ssh/id_ed25519.pub")
	}
	if _, _, _, _, err := ssh.ParseAuthorizedKey(rest); err == nil {
		return workroom.Key{}, workroom.Errorf(workroom.EINVALID, "stdin holds more than one key; add them one at a time")
	}
	return workroom.KeyOf(pk), nil
}

// printKeys lists keys in columns, marking the one in use.
func (s *session) printKeys(w io.Writer, keys []workroom.Key) error {
	t := newTable(w, "FINGERPRINT", "TYPE", "ADDED")
	for _, k := range keys {
		typ, _, _ := strings.Cut(k.Authorized, " ")
		mark := ""
		if k.Fingerprint == s.id.Key.Fingerprint {
			mark = "  (in use)"
		}
		t.row(k.Fingerprint, typ, s.when(k.Added)+mark)
	}
	return t.flush()
}
