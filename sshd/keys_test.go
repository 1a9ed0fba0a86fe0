package sshd

import (
	"crypto/rand"
	"crypto/rsa"
	"regexp"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

var linkCodeLine = regexp.MustCompile(`(?m)^Link code: (\S+)$`)

// linkCode reads the code out of keys add's output.
func linkCode(t *testing.T, out string) string {
	t.Helper()
	m := linkCodeLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("keys add printed no code:\n%s", out)
	}
	return m[1]
}

// addKey adds next to the account of key the way people do: keys add with
// key, keys link CODE with next.
func (ts *testServer) addKey(t *testing.T, key, next gossh.Signer) {
	t.Helper()
	ts.must(t, next, "keys link "+linkCode(t, ts.must(t, key, "keys add", "")), "")
}

// TestKeys_LinkAttachesTheKeyThatSignedTheConnection: keys add reads no
// key; keys link, run over a connection signed by a new key, attaches that
// key, which then logs in as the account.
func TestKeys_LinkAttachesTheKeyThatSignedTheConnection(t *testing.T) {
	ts := startServer(t)
	desk, laptop := newKey(t), newKey(t)
	ts.signUp(t, desk, "Ada")

	code := linkCode(t, ts.must(t, desk, "keys add", authorizedLine(laptop)))
	if r := ts.run(t, laptop, "whoami", ""); r.status != 1 || !strings.Contains(r.stderr, "signup") {
		t.Fatalf("the key piped to keys add was added: exit %d, %q", r.status, r.stderr)
	}
	if r := ts.run(t, laptop, "keys link ABCD-EFGH-JKMN-PQRS", ""); r.status != 1 || !strings.Contains(r.stderr, "wrong, expired or already used") {
		t.Fatalf("a wrong code: exit %d, %q", r.status, r.stderr)
	}
	ts.must(t, laptop, "keys link "+code, "")
	if who := ts.must(t, laptop, "whoami", ""); !strings.Contains(who, "Ada") || !strings.Contains(who, fingerprint(laptop)) {
		t.Fatalf("the linked key is not Ada's:\n%s", who)
	}
	other := newKey(t)
	if r := ts.run(t, other, "keys link "+code, ""); r.status != 1 || !strings.Contains(r.stderr, "already used") {
		t.Fatalf("a used code: exit %d, %q", r.status, r.stderr)
	}
}

// TestKeys_LinkNeverAttachesAKeyThatWasOnlyOffered: Mallory has an account
// and a code; she offers Victor's public key (which she cannot sign with)
// before her own new key. Only the key that signed is linked.
func TestKeys_LinkNeverAttachesAKeyThatWasOnlyOffered(t *testing.T) {
	ts := startServer(t)
	mallory, victor, malloryNew := newKey(t), newKey(t), newKey(t)
	ts.signUp(t, mallory, "Mallory")
	code := linkCode(t, ts.must(t, mallory, "keys add", ""))

	c, err := ts.dial(t, gossh.PublicKeys(borrowedKey{victor.PublicKey()}, malloryNew))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if r := runOn(t, c, "keys link "+code, ""); r.status != 0 {
		t.Fatalf("keys link: exit %d, %q", r.status, r.stderr)
	}
	if r := ts.run(t, victor, "whoami", ""); r.status != 1 || !strings.Contains(r.stderr, "signup") {
		t.Fatalf("Victor's key, only offered, joined Mallory's account: exit %d %q", r.status, r.stderr)
	}
	if who := ts.must(t, malloryNew, "whoami", ""); !strings.Contains(who, "Mallory") {
		t.Fatalf("the signing key was not linked:\n%s", who)
	}
}

func TestSignUp_RefusesWeakRSAKeyWithAReason(t *testing.T) {
	ts := startServer(t)
	priv, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	weak, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	r := ts.run(t, weak, "signup --name Ada --email ada@example.com", "")
	if r.status != 1 || !strings.Contains(r.stderr, "RSA with 1024 bits; the minimum is 2048") {
		t.Fatalf("sign-up with RSA 1024: exit %d, %q", r.status, r.stderr)
	}
}
