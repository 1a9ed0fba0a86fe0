package workroom

import (
	"errors"
	"strings"
)

// Rule names the rule behind a refusal, for machines: each transport adds
// its own how-to keyed by it ("run `verify --resend`" for the SSH
// commands, "press ctrl+r" in the terminal UI, nothing in an SMTP reply),
// and the service tells a store's refusals apart by it. The refusal's
// Message stays a plain sentence about the rule, right for every way in;
// what to type or press belongs to the transport.
type Rule string

// Rules a transport may add a how-to for.
const (
	// RuleNoAccount: the key in use has no account; sign up.
	RuleNoAccount Rule = "no_account"
	// RuleKeyRegistered: the key is already registered to an account.
	RuleKeyRegistered Rule = "key_registered"
	// RuleLinkFromNewKey: a link code was presented over a connection
	// signed by a key that already has an account; present it with the
	// new key instead.
	RuleLinkFromNewKey Rule = "link_from_new_key"
	// RuleUnknownKey: the key named is not one of the account's.
	RuleUnknownKey Rule = "unknown_key"
	// RuleLastKey: the account's only key cannot be removed.
	RuleLastKey Rule = "last_key"
	// RuleTooManyKeys: the account holds MaxKeysPerAccount keys.
	RuleTooManyKeys Rule = "too_many_keys"
	// RuleLinkCodeInvalid: the link code is wrong, expired or used.
	RuleLinkCodeInvalid Rule = "link_code_invalid"
	// RuleAddressOwned: another account verified the address given; the
	// person may be its owner, linking a key. Subject is the address.
	RuleAddressOwned Rule = "address_owned"
	// RuleAddressTaken: another account verified the actor's own address
	// first; the actor needs another address.
	RuleAddressTaken Rule = "address_taken"
	// RuleNoCode: no verification code is pending.
	RuleNoCode Rule = "no_code"
	// RuleCodeExpired: the verification code expired.
	RuleCodeExpired Rule = "code_expired"
	// RuleCodeRecent: a code was sent less than VerificationResendGap ago.
	RuleCodeRecent Rule = "code_recent"
	// RuleNameMissing: the name is empty or has nothing visible.
	RuleNameMissing Rule = "name_missing"
	// RuleEmailMissing: no email address was given.
	RuleEmailMissing Rule = "email_missing"
	// RuleTitleMissing: the job's title is empty or has nothing visible.
	RuleTitleMissing Rule = "title_missing"
	// RulePageTooLarge: a page was asked for with more than MaxPageSize
	// items.
	RulePageTooLarge Rule = "page_too_large"
	// RuleNoProposal: the job has no such proposal. Subject is the job.
	RuleNoProposal Rule = "no_proposal"
)

// Rules a Store refuses a write by. A store says no words of its own: it
// returns Refusal(code, rule), and the service words it where it knows
// more (the address, the job); otherwise the sentence here is shown.
const (
	RuleAddressVerified  Rule = "address_verified" // the user's own address is verified and stays
	RuleJobClosed        Rule = "job_closed"       // the job was awarded
	RuleAlreadyProposed  Rule = "already_proposed" // one proposal per freelancer per job
	RuleTooManyLinkCodes Rule = "too_many_link_codes"
	RuleDisabled         Rule = "account_disabled"
	RuleCannotStore      Rule = "cannot_store" // the disk takes no writes
)

// ruleSentences word the refusals that may come without words of their
// own, from a store.
var ruleSentences = map[Rule]string{
	RuleKeyRegistered:    "this key already belongs to an account",
	RuleTooManyKeys:      "the account holds the most keys it may",
	RuleLinkCodeInvalid:  "that link code is wrong, expired or already used",
	RuleAddressOwned:     "the address belongs to an account",
	RuleAddressTaken:     "the address was verified by another account",
	RuleAddressVerified:  "the address is verified and stays the account's",
	RuleJobClosed:        "the job was awarded and takes no more proposals",
	RuleAlreadyProposed:  "you already proposed on this job",
	RuleTooManyLinkCodes: "the account holds the most unused link codes it may",
	RuleDisabled:         "this account is disabled; contact the server's administrator",
	RuleCannotStore:      "the server cannot store anything right now; try again later",
}

// codeSentences word a refusal with neither words nor a known rule.
var codeSentences = map[string]string{
	ENOTFOUND:    "not found",
	EFORBIDDEN:   "not allowed",
	EINVALID:     "not valid",
	ELIMIT:       "over a limit",
	EINFECTED:    "a virus was found",
	EUNAVAILABLE: "the server cannot do this right now; try again later",
	ECONFLICT:    "this changed meanwhile; look again and retry",
}

// HowTos are one transport's words for what to do instead, by the rule
// that refused: the domain says what the rule is, and each transport adds
// its own how-to (the command to type, the key to press) in one table.
// SUBJECT in a how-to stands for the refusal's subject (an address, a job).
type HowTos map[Rule]string

// Explain returns the sentence a person sees for err: the service's
// words, then "; " and the how-to for its rule when h has one.
func (h HowTos) Explain(err error) string {
	msg := ErrorMessage(err)
	var e *Error
	if !errors.As(err, &e) {
		return msg
	}
	how, ok := h[e.Rule]
	if !ok {
		return msg
	}
	return msg + "; " + strings.ReplaceAll(how, "SUBJECT", e.Subject)
}
