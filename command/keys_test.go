package command

import (
	"regexp"
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

var linkCodeLine = regexp.MustCompile(`(?m)^Link code: (\S+)$`)

// addKey links second to key's account the way people do, and returns the
// code it used.
func (w *world) addKey(key, second workroom.Key) string {
	w.t.Helper()
	code := decode[struct{ Code string }](w.t, w.ok(key, "keys", "add", "--json")).Code
	w.ok(second, "keys", "link", code)
	return code
}

// TestKeysAddThenLink_AttachesTheNewKey: keys add prints a code and how to
// use it; the new key runs keys link CODE and then logs in as the account.
func TestKeysAddThenLink_AttachesTheNewKey(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")
	second, line := newKey(t)

	r := w.run(key, line, "keys", "add") // a piped key is not read
	m := linkCodeLine.FindStringSubmatch(r.stdout)
	if r.status != 0 || m == nil || !strings.Contains(r.stdout, "keys link "+m[1]) || !strings.Contains(r.stdout, "reads no key from stdin") {
		t.Fatalf("keys add = %+v", r)
	}
	if id, _ := w.Svc.Authenticate(t.Context(), second); id.User != nil {
		t.Fatal("keys add with a key on stdin added it")
	}
	out := w.ok(second, "keys", "link", m[1])
	if out != "Linked "+second.Fingerprint+" to the account of Ada. Connect with it as usual.\n" {
		t.Errorf("keys link printed %q", out)
	}
	who := decode[struct {
		User     workroom.User
		KeyInUse string `json:"key_in_use"`
	}](t, w.ok(second, "whoami", "--json"))
	if who.User.Name != "Ada" || who.KeyInUse != second.Fingerprint {
		t.Errorf("the linked key is %+v", who)
	}
	refused(t, w.run(second, "", "keys", "link", m[1]), "already belongs to an account")
	third, _ := newKey(t)
	refused(t, w.run(third, "", "keys", "link", m[1]), "wrong, expired or already used")
}

func TestKeysLink_RefusesAWrongOrExpiredCode(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")
	stranger, _ := newKey(t)
	refused(t, w.run(stranger, "", "keys", "link", "AAAA-BBBB-CCCC-DDDD"), "that link code is wrong, expired or already used")
	code := decode[struct{ Code string }](t, w.ok(key, "keys", "add", "--json")).Code
	w.Advance(workroom.LinkCodeTTL)
	refused(t, w.run(stranger, "", "keys", "link", code), "wrong, expired or already used")
	if id, _ := w.Svc.Authenticate(t.Context(), stranger); id.User != nil {
		t.Fatal("a key was linked with an expired code")
	}
}

// TestKeysRecover_SameAnswerWhetherOrNotTheAddressExists, and the mailed
// code links the key in use.
func TestKeysRecover_SameAnswerWhetherOrNotTheAddressExists(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")
	w.ok(key, "verify", w.Code(t, "ada@example.com"))
	lost, _ := newKey(t)

	known := w.run(lost, "", "keys", "recover", "--email", "ada@example.com")
	unknown := w.run(lost, "", "keys", "recover", "--email", "nobody@example.com")
	if known.status != 0 || unknown.status != 0 ||
		strings.ReplaceAll(known.stdout, "ada@", "X@") != strings.ReplaceAll(unknown.stdout, "nobody@", "X@") {
		t.Fatalf("answers differ:\n%+v\n%+v", known, unknown)
	}
	w.ok(lost, "keys", "link", w.Code(t, "ada@example.com"))
	if id, _ := w.Svc.Authenticate(t.Context(), lost); id.User == nil || id.User.Name != "Ada" {
		t.Fatalf("the recovered key is %+v", id.User)
	}
}

func TestKeysRemove_RevokesTheKey(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")
	second, _ := newKey(t)
	w.addKey(key, second)

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
	second, _ := newKey(t)
	w.addKey(key, second)

	if got := decode[map[string]any](t, w.ok(key, "keys", "remove", second.Fingerprint, "--json")); len(got) != 0 {
		t.Errorf("keys remove --json = %v, want {}", got)
	}
}
