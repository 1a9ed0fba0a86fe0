package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

func TestSignup_UnknownKeyCreatesAccountAndVerifiesMailedCode(t *testing.T) {
	f := newFixture(t)
	k := workroomtest.Key("newcomer")
	tm := f.start(t, &workroom.Identity{Key: k}, 0, 80, 24)

	tm.waitText("Welcome to workroom", "Name", "Email")
	tm.typeText("Ada Lovelace")
	tm.press(keyEnter) // to the email field
	tm.typeText("ada@example.com")
	tm.press(keyEnter)
	tm.waitText("Confirm your email address", "ada@example.com")

	id, err := f.Svc.Authenticate(context.Background(), k)
	if err != nil || id.User == nil {
		t.Fatalf("after sign-up the key has no account: %v, %v", id, err)
	}
	if id.User.Name != "Ada Lovelace" || id.User.EmailVerified {
		t.Fatalf("account = %+v, want Ada Lovelace, unverified", id.User)
	}

	// A wrong code is refused in the service's words.
	tm.typeText("000000x")
	tm.press(keyEnter)
	tm.waitText("wrong code; 9 tries left today")

	tm.typeText(f.Code(t, "ada@example.com"))
	tm.press(keyEnter)
	tm.waitText("ada@example.com is verified", "workrooms")

	id, err = f.Svc.Authenticate(context.Background(), k)
	if err != nil || !id.User.EmailVerified {
		t.Fatalf("email not verified in the store: %+v, %v", id.User, err)
	}
	if s := tm.screen(); strings.Contains(s, "press v to enter the code") {
		t.Fatalf("verified user still asked to verify:\n%s", s)
	}
}

func TestSignup_RefusalShowsServiceMessage(t *testing.T) {
	f := newFixture(t)
	tm := f.start(t, &workroom.Identity{Key: workroomtest.Key("newcomer")}, 0, 80, 24)
	tm.waitText("Welcome to workroom")
	tm.typeText("Ada")
	tm.press(keyTab)
	tm.typeText("not-an-address")
	tm.press(keyEnter)
	tm.waitText(`"not-an-address" is not an email address`)
	if s := tm.screen(); !strings.Contains(s, "Welcome to workroom") {
		t.Fatalf("left the sign-up screen after a refusal:\n%s", s)
	}
}

func TestSignup_TypedShortcutsAreText(t *testing.T) {
	f := newFixture(t)
	tm := f.start(t, &workroom.Identity{Key: workroomtest.Key("newcomer")}, 0, 80, 24)
	tm.waitText("Welcome to workroom")
	tm.typeText("q?Jv")
	tm.waitText("Name  q?Jv")
	if tm.ended() {
		t.Fatal("typing q in the name field quit the program")
	}
}

func TestVerify_SkipThenVerifyFromList(t *testing.T) {
	f := newFixture(t)
	tm := f.start(t, &workroom.Identity{Key: workroomtest.Key("newcomer")}, 0, 80, 24)
	tm.waitText("Welcome to workroom")
	tm.typeText("Ada")
	tm.press(keyTab)
	tm.typeText("ada@example.com")
	tm.press(keyEnter)
	tm.waitText("Confirm your email address")

	// Asking for a new code at once is refused by the service, and said so.
	tm.press(keyCtrlR)
	tm.waitText("a code was sent less than a minute ago")

	tm.press(keyEsc) // skip for now
	tm.waitText("ada@example.com is not verified yet: press v", "No workrooms yet")

	tm.press("v")
	tm.waitText("Confirm your email address")
	tm.typeText(f.Code(t, "ada@example.com"))
	tm.press(keyEnter)
	tm.waitText("ada@example.com is verified")
}

func TestVerify_UnverifiedUserIsRemindedOnConnect(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	tm := f.start(t, ada, 0, 80, 24)
	tm.waitText("ada@example.com is not verified yet: press v to enter the code from the mail.", "v verify email")
}

// TestSignup_LinkCodeAttachesTheKeyToAnExistingAccount: on a key of hers,
// Ada gets a code from the workroom list (K); on the sign-up screen of a
// new key she picks "I already have an account" and types it; the new key
// is then hers.
func TestSignup_LinkCodeAttachesTheKeyToAnExistingAccount(t *testing.T) {
	f := newFixture(t)
	ada := f.SignUp(t, "Ada")
	desk := f.start(t, ada, 0, 100, 24)
	desk.waitText("No workrooms yet")
	desk.press("K")
	screen := desk.waitText("Link code ")
	code := regexp.MustCompile(`Link code (\S+) `).FindStringSubmatch(screen)
	if code == nil {
		t.Fatalf("no code on screen:\n%s", screen)
	}

	laptop := workroomtest.Key("ada-laptop")
	tm := f.start(t, &workroom.Identity{Key: laptop}, 0, 80, 24)
	tm.waitText("Welcome to workroom", "ctrl+l")
	tm.press(keyCtrlL)
	tm.waitText("Add this key to your account", "Link code")
	tm.typeText("WRONG-CODE")
	tm.press(keyEnter)
	tm.waitText("wrong, expired or already used")
	if id, _ := f.Svc.Authenticate(t.Context(), laptop); id.User != nil {
		t.Fatal("a wrong code linked the key")
	}
	for range len("WRONG-CODE") {
		tm.press(keyBackspace)
	}
	tm.typeText(code[1])
	tm.press(keyEnter)
	tm.waitText("This key is now linked to your account.", "Ada")
	id, _ := f.Svc.Authenticate(t.Context(), laptop)
	if id.User == nil || id.User.ID != ada.User.ID {
		t.Fatalf("the linked key is %+v, want Ada's account", id.User)
	}
}

func TestRoomList_SaysWhenAnotherAccountVerifiedTheAddress(t *testing.T) {
	f := newFixture(t)
	squatter := f.SignUp(t, "Ada")
	owner, err := f.Svc.SignUp(t.Context(), workroomtest.Key("owner"), "Owner", "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Svc.Verify(workroomtest.As(&workroom.Identity{User: owner}), f.Code(t, "ada@example.com")); err != nil {
		t.Fatal(err)
	}
	id, _ := f.Svc.Authenticate(t.Context(), squatter.Key)
	tm := f.start(t, id, 0, 120, 24)
	tm.waitText("Your address was verified by another account; set another with `verify --email NEW-ADDRESS`")
}

func TestSignup_SavesTheTimeZoneTheTerminalAnnounced(t *testing.T) {
	for _, c := range []struct{ tz, want, label string }{
		{"Europe/Berlin", "Europe/Berlin", "Times show in Europe/Berlin"},
		{"", "", "Times show in UTC"},
		{"CET-1CEST", "", "Times show in UTC"}, // a POSIX rule, not a zone
	} {
		t.Run(c.label+c.tz, func(t *testing.T) {
			f := newFixture(t)
			if c.tz != "" {
				f.environ = []string{"TZ=" + c.tz}
			}
			k := workroomtest.Key("newcomer")
			tm := f.start(t, &workroom.Identity{Key: k}, 0, 80, 24)
			tm.waitText("Welcome to workroom", c.label, "settings --tz")
			tm.typeText("Ada")
			tm.press(keyTab)
			tm.typeText("ada@example.com")
			tm.press(keyEnter)
			tm.waitText("Confirm your email address")
			id, err := f.Svc.Authenticate(context.Background(), k)
			if err != nil || id.User == nil || id.User.TZ != c.want {
				t.Fatalf("account %+v (%v), want time zone %q", id.User, err, c.want)
			}
		})
	}
}

// notCut fails when a row of the screen above the help bar was clipped
// (the frame ends a clipped row with "…") or the screen is not h rows.
func notCut(t *testing.T, screen string, h int) {
	t.Helper()
	lines := strings.Split(screen, "\n")
	if len(lines) != h {
		t.Fatalf("screen has %d rows, want %d:\n%s", len(lines), h, screen)
	}
	for i, l := range lines[:h-1] {
		if strings.HasSuffix(strings.TrimRight(l, " "), "…") {
			t.Fatalf("row %d is cut:\n%s", i, screen)
		}
	}
}

// TestSignup_FitsTheSmallestWindow: at 60×16 the sign-up screen keeps its
// last line, the way to an existing account, and cuts nothing; with a
// refusal taking rows of the notice line it gives up blank lines and its
// introduction instead. The link screen fits too.
func TestSignup_FitsTheSmallestWindow(t *testing.T) {
	f := newFixture(t)
	tm := f.start(t, &workroom.Identity{Key: workroomtest.Key("newcomer")}, 0, 60, 16)
	s := tm.waitText("Welcome to workroom", "Name", "Email", "Already have an account? ctrl+l", "a link code.", "S on the workroom list")
	notCut(t, s, 16)

	tm.typeText("Ada")
	tm.press(keyTab)
	tm.typeText("not-an-address")
	tm.press(keyEnter)
	s = tm.waitText(`"not-an-address" is not an email address`, "Email not-an-address", "ctrl+l adds this key")
	notCut(t, s, 16)

	tm.press(keyCtrlL)
	tm.waitText("Add this key to your account")
	tm.typeText("WRONG-CODE")
	tm.press(keyEnter)
	s = tm.waitText("wrong, expired or already used", "Link code WRONG-CODE", "K on the workroom list")
	notCut(t, s, 16)
}
