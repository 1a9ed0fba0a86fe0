package command

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
)

func TestKeys_ListsTheAccountsKeys(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")

	out := w.ok(key, "keys")
	if !strings.Contains(out, "FINGERPRINT") || !strings.Contains(out, key.Fingerprint) || !strings.Contains(out, "ssh-ed25519") {
		t.Errorf("keys = %q", out)
	}
	got := decode[struct{ Keys []workroom.Key }](t, w.ok(key, "keys", "--json"))
	if len(got.Keys) != 1 || got.Keys[0].Fingerprint != key.Fingerprint || got.Keys[0].Authorized != key.Authorized {
		t.Errorf("keys --json = %+v", got)
	}
}

func TestKeysAdd_ReadsOneAuthorizedKeysLineFromStdin(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")
	second, line := newKey(t)

	r := w.run(key, `no-pty,command="x" `+line, "keys", "add")
	if r.status != 0 || r.stdout != "Added "+second.Fingerprint+". It can sign in to your account now.\n" {
		t.Fatalf("keys add = %+v", r)
	}
	id, err := w.Svc.Authenticate(t.Context(), second)
	if err != nil || id.User == nil || id.User.Name != "Ada" {
		t.Fatalf("the added key authenticates as %+v, %v; want Ada", id, err)
	}
	if id.Key.Authorized != second.Authorized {
		t.Errorf("stored %q, want the key without options or comment %q", id.Key.Authorized, second.Authorized)
	}

	third, line3 := newKey(t)
	r = w.run(key, line3, "keys", "add", "--json")
	got := decode[struct{ Key workroom.Key }](t, r.stdout)
	if r.status != 0 || got.Key.Fingerprint != third.Fingerprint {
		t.Errorf("keys add --json = %+v", r)
	}
}

func TestKeysAdd_RefusesWhatIsNotOneKey(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")
	_, line1 := newKey(t)
	_, line2 := newKey(t)

	for _, tc := range []struct{ name, stdin, want string }{
		{"empty", "", "no public key on stdin"},
		{"garbage", "hello world\n", "stdin is not a public key"},
		{"private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n", "stdin is not a public key"},
		{"two keys", line1 + line2, "more than one key"},
		{"already registered", key.Authorized + "\n", "key " + key.Fingerprint + " is already registered"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refused(t, w.run(key, tc.stdin, "keys", "add"), tc.want)
		})
	}
	if out := w.ok(key, "keys", "--json"); len(decode[struct{ Keys []workroom.Key }](t, out).Keys) != 1 {
		t.Errorf("a refused keys add stored a key: %s", out)
	}
}

func TestKeysRemove_RevokesTheKey(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")
	second, line := newKey(t)
	w.run(key, line, "keys", "add")

	if out := w.ok(key, "keys", "remove", second.Fingerprint); out != "Removed "+second.Fingerprint+".\n" {
		t.Errorf("keys remove printed %q", out)
	}
	if id, err := w.Svc.Authenticate(t.Context(), second); err != nil || id.User != nil {
		t.Errorf("a removed key still authenticates as %+v, %v", id, err)
	}
	refused(t, w.run(key, "", "keys", "remove", second.Fingerprint), "no key "+second.Fingerprint+" on your account")
	refused(t, w.run(key, "", "keys", "remove", key.Fingerprint), "is your only key")
}

func TestKeysRemove_JSONPrintsAnEmptyObject(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")
	second, line := newKey(t)
	w.run(key, line, "keys", "add")

	if got := decode[map[string]any](t, w.ok(key, "keys", "remove", second.Fingerprint, "--json")); len(got) != 0 {
		t.Errorf("keys remove --json = %v, want {}", got)
	}
}
