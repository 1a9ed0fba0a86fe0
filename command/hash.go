package command

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"hash"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

func (s *session) md5sumCmd() *cobra.Command {
	return s.hashCmd("md5sum", func(v workroom.Version) string { return v.MD5 }, hashOf(md5.New))
}

func (s *session) sha1sumCmd() *cobra.Command {
	return s.hashCmd("sha1sum", func(v workroom.Version) string { return v.SHA1 }, hashOf(sha1.New))
}

// hashOf sums stdin, bounded by the largest file.
func hashOf(newHash func() hash.Hash) func(io.Reader) (string, error) {
	return func(r io.Reader) (string, error) {
		h := newHash()
		if _, err := io.Copy(h, io.LimitReader(r, workroom.MaxFileSize)); err != nil {
			return "", err
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
}
