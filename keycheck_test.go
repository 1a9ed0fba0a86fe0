package workroom_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func rsaKey(t *testing.T, bits int) workroom.Key {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := ssh.NewPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return workroom.KeyOf(pk)
}

func certKey(t *testing.T) workroom.Key {
	t.Helper()
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	_, caPriv, _ := ed25519.GenerateKey(rand.Reader)
	pk, _ := ssh.NewPublicKey(pub)
	signer, err := ssh.NewSignerFromKey(caPriv)
	if err != nil {
		t.Fatal(err)
	}
	cert := &ssh.Certificate{Key: pk, CertType: ssh.UserCert, ValidPrincipals: []string{"ada"}, ValidBefore: ssh.CertTimeInfinity}
	if err := cert.SignCert(rand.Reader, signer); err != nil {
		t.Fatal(err)
	}
	return workroom.KeyOf(cert)
}

// TestCheckKey_RefusesCertificatesAndWeakRSA, at sign-up and when linking.
func TestCheckKey_RefusesCertificatesAndWeakRSA(t *testing.T) {
	tests := []struct {
		name string
		key  workroom.Key
		says string // "" when accepted
	}{
		{"ed25519", workroomtest.Key("ok"), ""},
		{"rsa 2048", rsaKey(t, 2048), ""},
		{"rsa 1024", rsaKey(t, 1024), "RSA with 1024 bits; the minimum is 2048"},
		{"certificate", certKey(t), "is an SSH certificate"},
		{"garbage", workroom.Key{Fingerprint: "SHA256:x", Authorized: "ssh-ed25519 AAAA"}, "not a public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			_, err := w.Svc.SignUp(t.Context(), tt.key, "Ada", "ada@example.com")
			checkKeyRefusal(t, "sign-up", err, tt.says)

			w = newWorld(t) // the key must be unknown to be linked
			bob := w.SignUp(t, "bob")
			code, _, err := w.Svc.NewLinkCode(workroomtest.As(bob))
			if err != nil {
				t.Fatal(err)
			}
			ctx := workroom.NewContextWithIdentity(t.Context(), &workroom.Identity{Key: tt.key})
			_, err = w.Svc.LinkKey(ctx, code)
			checkKeyRefusal(t, "link", err, tt.says)
		})
	}
}

func checkKeyRefusal(t *testing.T, what string, err error, says string) {
	t.Helper()
	if says == "" {
		if err != nil {
			t.Fatalf("%s refused a good key: %v", what, err)
		}
		return
	}
	wantCode(t, err, workroom.EINVALID)
	if !strings.Contains(err.Error(), says) {
		t.Fatalf("%s says %q, want %q", what, err, says)
	}
}
