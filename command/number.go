package command

import (
	"math"
	"strconv"

	"github.com/spf13/pflag"
)

// Numbers on a command line — every id argument, --limit, --before — are
// decimal digits only. strconv's base 0 (what pflag's number flags use)
// would read 010 as octal 8 and accept 0x2; a sign, a leading +, an
// exponent or a space is no number a person means as an id either.

// ParseID reads a number argument named what (ROOM, JOB, PROPOSAL,
// --limit): decimal digits only, leading zeros allowed (010 is ten).
func ParseID(what, s string) (uint64, error) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, usagef("%s must be a number in decimal digits, like 42; got %q", what, s)
		}
	}
	if s == "" {
		return 0, usagef("%s must be a number in decimal digits, like 42; got nothing", what)
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, usagef("%s is too large; got %q", what, s)
	}
	return n, nil
}

// decimalFlag is a number flag read by ParseID.
type decimalFlag struct {
	name string
	p    *uint64
}

// decimalVar declares the number flag --name on fs, read by ParseID.
func decimalVar(fs *pflag.FlagSet, p *uint64, name string, value uint64, usage string) {
	*p = value
	fs.Var(&decimalFlag{name: "--" + name, p: p}, name, usage)
}

func (f *decimalFlag) Set(v string) error {
	n, err := ParseID(f.name, v)
	if err != nil {
		return err
	}
	*f.p = n
	return nil
}

func (f *decimalFlag) String() string { return strconv.FormatUint(*f.p, 10) }

// Type is the word that stands for the value in help ("--limit N").
func (f *decimalFlag) Type() string { return "N" }

// clampInt converts a parsed number for an int parameter; a number beyond
// int is as over any limit as the int's maximum.
func clampInt(n uint64) int {
	if n > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(n)
}
