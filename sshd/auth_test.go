package sshd

import (
	"context"
	"crypto/rand"
	"io"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/store"
)

func TestAuth_UnknownKeyMayOnlySignUp(t *testing.T) {
	ts := startServer(t)
	key := newKey(t)

	r := ts.run(t, key, "rooms", "")
	if r.status != 1 || !strings.Contains(r.stderr, "signup --name") {
		t.Fatalf("rooms with an unknown key: exit %d, stderr %q; want 1 and how to sign up", r.status, r.stderr)
	}
	ts.signUp(t, key, "Ada")
	if out := ts.must(t, key, "whoami", ""); !strings.Contains(out, "Ada") {
		t.Errorf("whoami after signup: %q", out)
	}
}

func TestAuth_RefusesEverythingButPublicKeys(t *testing.T) {
	ts := startServer(t)
	for name, auth := range map[string]gossh.AuthMethod{
		"password": gossh.Password("secret"),
		"keyboard-interactive": gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return []string{"secret"}, nil
		}),
	} {
		t.Run(name, func(t *testing.T) {
			c, err := ts.dial(t, auth)
			if err == nil {
				c.Close()
				t.Fatalf("logged in with %s", name)
			}
			if !strings.Contains(err.Error(), "unable to authenticate") {
				t.Errorf("got %v, want an authentication failure", err)
			}
		})
	}
}

func TestAuth_RemovedKeyNoLongerWorks(t *testing.T) {
	ts := startServer(t)
	first, second := newKey(t), newKey(t)
	ts.signUp(t, first, "Ada")
	ts.addKey(t, first, second)
	if out := ts.must(t, second, "whoami", ""); !strings.Contains(out, "Ada") {
		t.Fatalf("the added key is not Ada's: %q", out)
	}
	open := ts.connect(t, second) // a connection made before the removal

	ts.must(t, first, "keys remove "+fingerprint(second), "")

	for name, run := range map[string]func() result{
		"new connection":                   func() result { return ts.run(t, second, "rooms", "") },
		"new session on an old connection": func() result { return runOn(t, open, "rooms", "") },
	} {
		if r := run(); r.status != 1 || !strings.Contains(r.stderr, "no account") {
			t.Errorf("%s: exit %d, stderr %q; want the removed key refused", name, r.status, r.stderr)
		}
	}
	if out := ts.must(t, first, "whoami", ""); !strings.Contains(out, "Ada") {
		t.Errorf("the remaining key lost the account: %q", out)
	}
}

// disablingStore is the real store with a switch that disables every
// account, standing in for the admin command that comes later.
type disablingStore struct {
	*store.DB
	disabled atomic.Bool
}

func (d *disablingStore) User(ctx context.Context, id workroom.UserID) (*workroom.User, error) {
	u, err := d.DB.User(ctx, id)
	if err == nil && d.disabled.Load() {
		u.Disabled = true
	}
	return u, err
}

func TestAuth_RefusesADisabledAccount(t *testing.T) {
	var ds *disablingStore
	ts := startServer(t, func(p *parts) {
		p.store = func(db *store.DB) workroom.Store { ds = &disablingStore{DB: db}; return ds }
	})
	key := newKey(t)
	ts.signUp(t, key, "Ada")
	open := ts.connect(t, key)
	ds.disabled.Store(true)

	if c, err := ts.dial(t, gossh.PublicKeys(key)); err == nil {
		c.Close()
		t.Fatal("a disabled account logged in")
	}
	if r := runOn(t, open, "whoami", ""); r.status != 1 || !strings.Contains(r.stderr, "disabled") {
		t.Errorf("new session on a connection made before: exit %d, stderr %q; want refused as disabled", r.status, r.stderr)
	}
}

// borrowedKey offers someone else's public key without holding the
// private half. Its signature is refused before it is checked (a
// signature that fails the check makes the library drop the connection),
// so the client goes on to its next key.
type borrowedKey struct{ pub gossh.PublicKey }

func (b borrowedKey) PublicKey() gossh.PublicKey { return b.pub }

func (b borrowedKey) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	blob := make([]byte, 64)
	_, _ = rand.Read(blob)
	return &gossh.Signature{Format: gossh.KeyAlgoRSASHA256, Blob: blob}, nil
}

func TestAuth_IdentityIsTheKeyThatSigned(t *testing.T) {
	ts := startServer(t)
	victim, intruder := newKey(t), newKey(t)
	ts.signUp(t, victim, "Victim")
	// The client offers the victim's key first (the server accepts the
	// offer: any key may try), fails to sign with it, then signs with its
	// own key. The session must be the intruder's, not the victim's.
	c, err := ts.dial(t, gossh.PublicKeys(borrowedKey{victim.PublicKey()}, intruder))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := runOn(t, c, "whoami", "")
	if strings.Contains(r.stdout, "Victim") || r.status != 1 {
		t.Fatalf("whoami: exit %d, stdout %q; want the intruder's unknown key refused", r.status, r.stdout)
	}
}

func TestHostKey_MadeInTheDataFolderOnFirstStart(t *testing.T) {
	ts := startServer(t)
	raw, err := os.ReadFile(ts.cfg.HostKeyPath)
	if err != nil {
		t.Fatalf("no host key file: %v", err)
	}
	signer, err := gossh.ParsePrivateKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	if signer.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Errorf("host key type %s, want ed25519", signer.PublicKey().Type())
	}
	var seen gossh.PublicKey
	c, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User: "x", Auth: []gossh.AuthMethod{gossh.PublicKeys(newKey(t))},
		HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error { seen = k; return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if string(seen.Marshal()) != string(signer.PublicKey().Marshal()) {
		t.Error("the server does not present the key in its data folder")
	}
}
