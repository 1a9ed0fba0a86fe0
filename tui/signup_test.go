package tui

import (
	"context"
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
	tm.waitText("wrong code; 4 tries left")

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
