package tui

import (
	"github.com/workroom/workroom"
)

// howTos say, for each rule a refusal may name, what to press or do in
// the terminal UI: the service says what the rule is in plain words, and
// the TUI adds its own keys. A few point at an SSH command, where the TUI
// has no screen for it (removing a key, changing an address). SUBJECT is
// replaced by the refusal's subject. A rule missing here gets no how-to:
// its sentence says all there is, or the TUI never causes it.
var howTos = workroom.HowTos{
	workroom.RuleNoAccount:       "connect again for the sign-up screen",
	workroom.RuleKeyRegistered:   "connect again to use it",
	workroom.RuleLinkFromNewKey:  "connect with the NEW key and press ctrl+l on the sign-up screen",
	workroom.RuleTooManyKeys:     "remove one first with `keys remove FINGERPRINT` over SSH",
	workroom.RuleTooManyPeople:   "remove someone, or cancel an invitation, with x first",
	workroom.RuleLinkCodeInvalid: "get a new one with K in the workroom list of that account (or `keys recover --email ADDRESS` over SSH if you have no key)",
	workroom.RuleAddressOwned:    "to add this key to it, press ctrl+l and type a link code from that account (K in its workroom list); lost every key? run `keys recover --email SUBJECT` over SSH",
	workroom.RuleAddressTaken:    "set another with `verify --email NEW-ADDRESS` over SSH",
	workroom.RuleNoCode:          "press ctrl+r for a new one",
	workroom.RuleCodeExpired:     "press ctrl+r for a new one",
	workroom.RuleCodeRecent:      "press ctrl+r to ask",
	workroom.RuleNameMissing:     "type the name others will see, e.g. Ada Lovelace",
	workroom.RuleEmailMissing:    "type an address you can read, e.g. ada@example.com",
	workroom.RuleTitleMissing:    "type a title people can read, e.g. Logo design",
}
