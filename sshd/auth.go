package sshd

import (
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
)

// authorize is the public-key handler. Every key that proves possession
// gets in, known or not: an unknown key may sign up, and the service
// refuses it everything else. Only a disabled account (or a store that
// cannot answer) is turned away here.
//
// Who the connection is comes later, per session, from the key the
// library recorded as the one that signed (see identify): this handler
// also runs for keys a client merely offers, so any identity noted here
// could belong to a key that never authenticated.
func (s *Server) authorize(ctx ssh.Context, pk ssh.PublicKey) bool {
	if _, isCert := pk.(*gossh.Certificate); isCert {
		return false // accounts are keyed by plain public keys
	}
	key := workroom.KeyOf(pk)
	if _, err := s.svc.Authenticate(ctx, key); err != nil {
		s.logRefusal(key.Fingerprint, ctx.RemoteAddr().String(), err)
		return false
	}
	return true
}

// identify returns who is behind a session: the account of the key that
// authenticated the connection, looked up now, so a key removed or an
// account disabled since the connection opened takes effect on its next
// session.
func (s *Server) identify(sess ssh.Session) (*workroom.Identity, error) {
	pk := sess.PublicKey()
	if pk == nil {
		return nil, workroom.Errorf(workroom.EFORBIDDEN, "connect with an SSH public key")
	}
	return s.svc.Authenticate(sess.Context(), workroom.KeyOf(pk))
}
