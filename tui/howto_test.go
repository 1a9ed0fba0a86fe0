package tui

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// TestErrorText_AddsWhatToPressForEachRule: the service says the rule in
// plain words; the TUI's one notice text adds its own keys, keyed by the
// refusal's rule. A rule the TUI has nothing to add for stays the plain
// sentence.
func TestErrorText_AddsWhatToPressForEachRule(t *testing.T) {
	tests := []struct {
		rule    workroom.Rule
		subject string
		want    string
	}{
		{workroom.RuleNoAccount, "", "refused; connect again for the sign-up screen"},
		{workroom.RuleKeyRegistered, "", "refused; connect again to use it"},
		{workroom.RuleLinkFromNewKey, "", "refused; connect with the NEW key and press ctrl+l on the sign-up screen"},
		{workroom.RuleTooManyKeys, "", "refused; remove one first with `keys remove FINGERPRINT` over SSH"},
		{workroom.RuleLinkCodeInvalid, "", "refused; get a new one with K in the workroom list of that account (or `keys recover --email ADDRESS` over SSH if you have no key)"},
		{workroom.RuleAddressOwned, "ada@example.com", "refused; to add this key to it, press ctrl+l and type a link code from that account (K in its workroom list); lost every key? run `keys recover --email ada@example.com` over SSH"},
		{workroom.RuleAddressTaken, "ada@example.com", "refused; set another with `verify --email NEW-ADDRESS` over SSH"},
		{workroom.RuleNoCode, "", "refused; press ctrl+r for a new one"},
		{workroom.RuleCodeExpired, "", "refused; press ctrl+r for a new one"},
		{workroom.RuleCodeRecent, "", "refused; press ctrl+r to ask"},
		{workroom.RuleNameMissing, "", "refused; type the name others will see, e.g. Ada Lovelace"},
		{workroom.RuleEmailMissing, "", "refused; type an address you can read, e.g. ada@example.com"},
		{workroom.RuleTitleMissing, "", "refused; type a title people can read, e.g. Logo design"},
		// The TUI never causes these, or has no screen for them: no how-to.
		{workroom.RuleUnknownKey, "", "refused"},
		{workroom.RuleLastKey, "", "refused"},
		{workroom.RulePageTooLarge, "", "refused"},
		{workroom.RuleNoProposal, "7", "refused"},
		{"", "", "refused"},
	}
	for _, tt := range tests {
		t.Run(string(tt.rule), func(t *testing.T) {
			err := workroom.Errorf(workroom.EINVALID, "refused").Because(tt.rule, tt.subject)
			if got := errorText(err); got != tt.want {
				t.Errorf("errorText = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSignup_EmptyNameSaysWhatToType: the service's plain refusal reaches
// the sign-up screen with the TUI's own how-to, not a command's flag.
func TestSignup_EmptyNameSaysWhatToType(t *testing.T) {
	f := newFixture(t)
	tm := f.start(t, &workroom.Identity{Key: workroomtest.Key("newcomer")}, 0, 100, 24)
	tm.waitText("Welcome to workroom")
	tm.press(keyTab)
	tm.typeText("ada@example.com")
	tm.press(keyEnter)
	tm.waitText("the name is empty; type the name others will see, e.g. Ada Lovelace")
}

// TestVerify_AddressTakenIsNotTakenForVerified: when another account
// verified the address first, the verify screen says so and how to set
// another, rather than reporting the address verified.
func TestVerify_AddressTakenIsNotTakenForVerified(t *testing.T) {
	f := newFixture(t)
	tm := f.start(t, &workroom.Identity{Key: workroomtest.Key("squatter")}, 0, 120, 24)
	tm.waitText("Welcome to workroom")
	tm.typeText("Sam")
	tm.press(keyTab)
	tm.typeText("shared@example.com")
	tm.press(keyEnter)
	tm.waitText("Confirm your email address")

	owner, err := f.Svc.SignUp(t.Context(), workroomtest.Key("owner"), "Owner", "shared@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Svc.Verify(workroomtest.As(&workroom.Identity{User: owner}), f.Code(t, "shared@example.com")); err != nil {
		t.Fatal(err)
	}
	tm.typeText("0000000000")
	tm.press(keyEnter)
	tm.waitText("shared@example.com was verified by another account; set another with `verify --email NEW-ADDRESS` over SSH")
	if strings.Contains(tm.screen(), "shared@example.com is verified") {
		t.Fatalf("the screen reports the lost address verified:\n%s", tm.screen())
	}
}
