package main

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/workroom/workroom"
)

// bindRateFlags declares one flag per rate-limited action, each N/UNIT
// ("60/m") or off, defaulting to the service's DefaultLimits.
func bindRateFlags(fs *pflag.FlagSet, l *workroom.Limits) {
	*l = workroom.DefaultLimits
	rate := func(p *workroom.Rate, name, usage string) {
		fs.Var((*rateValue)(p), name, fmt.Sprintf("%s, as N/UNIT (UNIT s, m, h or d) or off (env %s)", usage, envName(name)))
	}
	rate(&l.SignUps, "rate-signups", "sign-ups per key and per source address")
	rate(&l.VerifyMails, "rate-verify-mails", "verification codes mailed again, per account (an address gets 4 accounts' worth)")
	rate(&l.Jobs, "rate-jobs", "job posts per account (an address gets 4 accounts' worth)")
	rate(&l.Proposals, "rate-proposals", "proposals per account (an address gets 4 accounts' worth)")
	rate(&l.Messages, "rate-messages", "messages per account, from any way in (an address gets 4 accounts' worth)")
	rate(&l.Invitations, "rate-invitations", "people invited into workrooms per account, each mailed (an address gets 4 accounts' worth)")
	rate(&l.Sessions, "rate-sessions", "SSH sessions opened per key (an address gets 4 keys' worth)")
}

// rateValue is a workroom.Rate as a flag.
type rateValue workroom.Rate

func (v *rateValue) String() string { return workroom.Rate(*v).String() }
func (v *rateValue) Type() string   { return "rate" }

func (v *rateValue) Set(s string) error {
	r, err := workroom.ParseRate(s)
	if err != nil {
		return err
	}
	*v = rateValue(r)
	return nil
}
