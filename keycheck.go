package workroom

import (
	"crypto/rsa"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Key rules. An account is keyed by plain public keys: a certificate's
// fingerprint changes with every reissue and login refuses certificates,
// and RSA below 2048 bits can be factored by a determined attacker.
const (
	MinRSABits = 2048
	// MaxKeysPerAccount bounds the keys one account holds, so a stolen
	// session cannot plant keys without end.
	MaxKeysPerAccount = 16
)

// CheckKey is the one key-strength rule: it refuses what is not a plain
// public key (a certificate, or something that does not parse) and RSA
// keys shorter than MinRSABits, saying what to use instead. Sign-up and
// linking a key both call it with the key that signed the connection.
func CheckKey(k Key) error {
	pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(k.Authorized))
	if err != nil {
		return Errorf(EINVALID, "the key in use is not a public key this server understands; connect with an ed25519 key (ssh-keygen -t ed25519)")
	}
	if _, isCert := pk.(*ssh.Certificate); isCert || strings.Contains(pk.Type(), "-cert-") {
		return Errorf(EINVALID, "the key in use is an SSH certificate; accounts take plain keys: connect with the key itself (ssh -o CertificateFile=none, or ssh-keygen -t ed25519 for a new one)")
	}
	if ck, ok := pk.(ssh.CryptoPublicKey); ok {
		if rk, ok := ck.CryptoPublicKey().(*rsa.PublicKey); ok && rk.N.BitLen() < MinRSABits {
			return Errorf(EINVALID, "the key in use is RSA with %d bits; the minimum is %d: make a stronger key (ssh-keygen -t ed25519) and connect with it", rk.N.BitLen(), MinRSABits)
		}
	}
	return nil
}
