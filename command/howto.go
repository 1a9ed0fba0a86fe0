package command

import (
	"github.com/workroom/workroom"
)

// howTos say, for each rule a refusal may name, what to type instead: the
// service says what the rule is in plain words any transport can show,
// and the commands add the command to run. SUBJECT is replaced by the
// refusal's subject (the address, the job). A rule missing here gets no
// how-to: its sentence says all there is.
var howTos = workroom.HowTos{
	workroom.RuleNoAccount:       "sign up first with `signup --name NAME --email EMAIL`, or connect with a terminal for the sign-up screen",
	workroom.RuleKeyRegistered:   "run `whoami` to see it",
	workroom.RuleLinkFromNewKey:  "run `keys link CODE` while connecting with the NEW key (ssh -i NEWKEY …)",
	workroom.RuleUnknownKey:      "run `keys` to list yours",
	workroom.RuleLastKey:         "add another first (`keys add`, then `keys link CODE` with the new key)",
	workroom.RuleTooManyKeys:     "remove one with `keys remove FINGERPRINT` first",
	workroom.RuleTooManyPeople:   "remove someone, or cancel a pending invitation, with `remove ROOM USER-OR-EMAIL` first",
	workroom.RuleLinkCodeInvalid: "get a new one with `keys add` on a key of the account (or `keys recover --email ADDRESS` if you have none)",
	workroom.RuleAddressOwned:    "to add this key to it, run `keys add` with a key of that account and then `keys link CODE` with this one; lost every key? run `keys recover --email SUBJECT`",
	workroom.RuleAddressTaken:    "set another address with `verify --email NEW-ADDRESS`",
	workroom.RuleNoCode:          "ask for a new one with `verify --resend`",
	workroom.RuleCodeExpired:     "ask for a new one with `verify --resend`",
	workroom.RuleCodeRecent:      "run `verify --resend` to ask",
	workroom.RuleNameMissing:     `give the name others will see, e.g. --name "Ada Lovelace"`,
	workroom.RuleEmailMissing:    "give an address you can read, e.g. --email ada@example.com",
	workroom.RuleTitleMissing:    `give a title people can read, e.g. --title "Logo design"`,
	workroom.RulePageTooLarge:    "use --before to page further",
	workroom.RuleNoProposal:      "run `proposals SUBJECT` to list them",
	workroom.RuleAlreadyProposed: "see it with `proposals SUBJECT`",
	workroom.RuleExecutable:      "zip it and `put` the zip",
	workroom.RuleQuota:           "see what uses the space with `files ROOM --versions`, free some with `rm ROOM PATH`, or ask an administrator to raise the quota",
	workroom.RuleFileExists:      "add a version with --on-conflict version, or keep both with --on-conflict rename",
}
