package command

import (
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestSignup_CreatesAccountAndSaysToVerify(t *testing.T) {
	w := newWorld(t)
	key, _ := newKey(t)

	out := w.ok(key, "signup", "--name", "Ada Lovelace", "--email", "ada@example.com")
	for _, want := range []string{"Ada Lovelace", "ada@example.com", "check your mail and run `verify CODE`"} {
		if !strings.Contains(out, want) {
			t.Errorf("signup printed %q, want it to contain %q", out, want)
		}
	}
	id, err := w.Svc.Authenticate(t.Context(), key)
	if err != nil || id.User == nil || id.User.Name != "Ada Lovelace" {
		t.Fatalf("after signup the key authenticates as %+v, %v; want Ada's account", id, err)
	}
	w.Code(t, "ada@example.com") // the code was mailed
}

func TestSignup_JSONPrintsTheUser(t *testing.T) {
	w := newWorld(t)
	key, _ := newKey(t)

	got := decode[struct{ User workroom.User }](t, w.ok(key, "signup", "--name", "Bob", "--email", "bob@example.com", "--json"))
	if got.User.ID == 0 || got.User.Name != "Bob" || got.User.Email != "bob@example.com" || got.User.EmailVerified {
		t.Errorf("signup --json = %+v", got.User)
	}
}

func TestSignup_RefusesAKeyThatHasAnAccount(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")

	refused(t, w.run(key, "", "signup", "--name", "Ada Again", "--email", "ada2@example.com"), "this key already belongs to an account")
}

func TestSignup_RefusesABadEmailWithTheServicesReason(t *testing.T) {
	w := newWorld(t)
	key, _ := newKey(t)

	refused(t, w.run(key, "", "signup", "--name", "Ada", "--email", "not-an-address"), "is not an email address")
}

// Every command but signup and help tells an unknown key how to sign up.
func TestUnknownKey_MayOnlySignUp(t *testing.T) {
	w := newWorld(t)
	client, freelancer := w.signUp("Carla Client"), w.signUp("Fred Freelancer")
	room := w.awardedRoom(client, freelancer, "Logo")
	stranger, line := newKey(t)

	for _, args := range [][]string{
		{"whoami"}, {"whoami", "--json"}, {"keys"}, {"keys", "add"}, {"keys", "remove", "SHA256:x"},
		{"verify", "123456"}, {"verify", "--resend"},
		{"jobs"}, {"jobs", "--open"}, {"job", "post", "--title", "T"},
		{"propose", "1", "--text", "T"}, {"proposals", "1"}, {"award", "1", "1"},
		{"rooms"}, {"messages", itoa(room)}, {"post", itoa(room), "hi"}, {"post", itoa(room)}, {"open", itoa(room)},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			refused(t, w.run(stranger, line, args...), "signup --name NAME --email EMAIL")
		})
	}
	t.Run("help", func(t *testing.T) {
		if out := w.ok(stranger, "help"); !strings.Contains(out, "signup --name N --email E") {
			t.Errorf("help for an unknown key = %q, want the command list", out)
		}
	})
	t.Run("signup", func(t *testing.T) {
		w.ok(stranger, "signup", "--name", "Sam", "--email", "sam@example.com")
	})
}

func TestVerify_AcceptsTheCodeFromTheMail(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")

	refused(t, w.run(key, "", "verify", "000000x"), "wrong code; 9 tries left today")
	if out := w.ok(key, "verify", w.Code(t, "ada@example.com")); out != "ada@example.com is verified.\n" {
		t.Errorf("verify printed %q", out)
	}
	if got := decode[struct{ User workroom.User }](t, w.ok(key, "whoami", "--json")); !got.User.EmailVerified {
		t.Error("after verify, whoami says the email is not verified")
	}
	refused(t, w.run(key, "", "verify", "123456"), "ada@example.com is already verified")
	refused(t, w.run(key, "", "verify", "--resend"), "ada@example.com is already verified")
}

func TestVerify_JSONPrintsAnEmptyObject(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")

	out := w.ok(key, "verify", w.Code(t, "ada@example.com"), "--json")
	if got := decode[map[string]any](t, out); len(got) != 0 {
		t.Errorf("verify --json = %v, want {}", got)
	}
}

func TestVerify_ResendMailsANewCode(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")
	first := w.Code(t, "ada@example.com")

	refused(t, w.run(key, "", "verify", "--resend"), "a code was sent less than a minute ago")
	w.Advance(2 * time.Minute)
	if out := w.ok(key, "verify", "--resend"); !strings.Contains(out, "run `verify CODE`") {
		t.Errorf("verify --resend printed %q", out)
	}
	second := w.Code(t, "ada@example.com")
	if second == first {
		t.Skip("the new code happens to equal the old one")
	}
	refused(t, w.run(key, "", "verify", first), "wrong code")
	w.ok(key, "verify", second)
}

func TestWhoami_ShowsAccountKeysVerificationAndAdmin(t *testing.T) {
	adminKey, _ := newKey(t)
	w := newWorld(t, workroomtest.WithAdmins(adminKey.Fingerprint))
	w.ok(adminKey, "signup", "--name", "Ada Admin", "--email", "ada@example.com")
	plain := w.signUp("Pat Plain")

	out := w.ok(adminKey, "whoami")
	for _, want := range []string{"Ada Admin", "ada@example.com (not verified: check your mail and run `verify CODE`)", "admin    yes", adminKey.Fingerprint, "(in use)"} {
		if !strings.Contains(out, want) {
			t.Errorf("whoami = %q, want it to contain %q", out, want)
		}
	}
	if out := w.ok(plain, "whoami"); !strings.Contains(out, "admin    no") {
		t.Errorf("whoami of a non-admin = %q, want admin no", out)
	}

	got := decode[struct {
		User     workroom.User  `json:"user"`
		Keys     []workroom.Key `json:"keys"`
		Admin    bool           `json:"admin"`
		KeyInUse string         `json:"key_in_use"`
	}](t, w.ok(adminKey, "whoami", "--json"))
	if got.User.Name != "Ada Admin" || !got.Admin || got.KeyInUse != adminKey.Fingerprint ||
		len(got.Keys) != 1 || got.Keys[0].Fingerprint != adminKey.Fingerprint {
		t.Errorf("whoami --json = %+v", got)
	}
}

// TestWhoami_SaysWhenAnotherAccountVerifiedTheAddress, and verify --email
// sets another.
func TestWhoami_SaysWhenAnotherAccountVerifiedTheAddress(t *testing.T) {
	w := newWorld(t)
	squatter := w.signUp("Ada")
	owner, _ := newKey(t)
	w.ok(owner, "signup", "--name", "Owner", "--email", "ada@example.com")
	w.ok(owner, "verify", w.Code(t, "ada@example.com"))

	if out := w.ok(squatter, "whoami"); !strings.Contains(out, "your address was verified by another account; set another with `verify --email NEW-ADDRESS`") {
		t.Errorf("whoami = %q", out)
	}
	out := w.ok(squatter, "verify", "--email", "ada2@example.com")
	if !strings.Contains(out, "Your address is now ada2@example.com") {
		t.Errorf("verify --email printed %q", out)
	}
	w.ok(squatter, "verify", w.Code(t, "ada2@example.com"))
}
