package command

import (
	"testing"

	"github.com/workroom/workroom"
)

// TestErrorLine_AddsTheCommandToRunForEachRule: the service says the rule
// in plain words; the one error line adds what to type, keyed by the
// refusal's rule. A rule the commands have nothing to add for stays the
// plain sentence.
func TestErrorLine_AddsTheCommandToRunForEachRule(t *testing.T) {
	tests := []struct {
		rule    workroom.Rule
		subject string
		want    string
	}{
		{workroom.RuleNoAccount, "", "refused; sign up first with `signup --name NAME --email EMAIL`, or connect with a terminal for the sign-up screen"},
		{workroom.RuleKeyRegistered, "", "refused; run `whoami` to see it"},
		{workroom.RuleLinkFromNewKey, "", "refused; run `keys link CODE` while connecting with the NEW key (ssh -i NEWKEY …)"},
		{workroom.RuleUnknownKey, "", "refused; run `keys` to list yours"},
		{workroom.RuleLastKey, "", "refused; add another first (`keys add`, then `keys link CODE` with the new key)"},
		{workroom.RuleTooManyKeys, "", "refused; remove one with `keys remove FINGERPRINT` first"},
		{workroom.RuleLinkCodeInvalid, "", "refused; get a new one with `keys add` on a key of the account (or `keys recover --email ADDRESS` if you have none)"},
		{workroom.RuleAddressOwned, "ada@example.com", "refused; to add this key to it, run `keys add` with a key of that account and then `keys link CODE` with this one; lost every key? run `keys recover --email ada@example.com`"},
		{workroom.RuleAddressTaken, "ada@example.com", "refused; set another address with `verify --email NEW-ADDRESS`"},
		{workroom.RuleNoCode, "", "refused; ask for a new one with `verify --resend`"},
		{workroom.RuleCodeExpired, "", "refused; ask for a new one with `verify --resend`"},
		{workroom.RuleCodeRecent, "", "refused; run `verify --resend` to ask"},
		{workroom.RuleNameMissing, "", `refused; give the name others will see, e.g. --name "Ada Lovelace"`},
		{workroom.RuleEmailMissing, "", "refused; give an address you can read, e.g. --email ada@example.com"},
		{workroom.RuleTitleMissing, "", `refused; give a title people can read, e.g. --title "Logo design"`},
		{workroom.RulePageTooLarge, "", "refused; use --before to page further"},
		{workroom.RuleNoProposal, "7", "refused; run `proposals 7` to list them"},
		// Store rules the service words itself: nothing to add.
		{workroom.RuleDisabled, "", "refused"},
		{workroom.RuleJobClosed, "", "refused"},
		{"", "", "refused"},
	}
	for _, tt := range tests {
		t.Run(string(tt.rule), func(t *testing.T) {
			err := workroom.Errorf(workroom.EINVALID, "refused").Because(tt.rule, tt.subject)
			if got := errorLine(err); got != tt.want {
				t.Errorf("errorLine = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestUnknownKey_IsToldTheSignupCommand: the service's refusal reaches
// the command line with the command that fixes it.
func TestUnknownKey_IsToldTheSignupCommand(t *testing.T) {
	w := newWorld(t)
	stranger, _ := newKey(t)
	r := w.run(stranger, "", "whoami")
	if r.stderr != "this key has no account; sign up first with `signup --name NAME --email EMAIL`, or connect with a terminal for the sign-up screen\n" {
		t.Fatalf("stderr = %q", r.stderr)
	}
}
