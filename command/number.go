package command

import (
	"math"
	"strconv"
	"strings"

	"github.com/workroom/workroom/cmdline"

	"github.com/spf13/pflag"
)

// Numbers on a command line — every id argument, --limit, --before — are
// decimal digits only. strconv's base 0 (what pflag's number flags use)
// would read 010 as octal 8 and accept 0x2; a sign, a leading +, an
// exponent or a space is no number a person means as an id either.

// ParseID reads a number argument named what (ROOM, JOB, PROPOSAL,
// --limit): decimal digits only, leading zeros allowed (010 is ten).
func ParseID(what, s string) (uint64, error) {
	n, ok := cmdline.Decimal(s)
	switch {
	case ok:
		return n, nil
	case s == "":
		return 0, usagef("%s must be a number in decimal digits, like 42; got nothing", what)
	case strings.Trim(s, "0123456789") == "":
		return 0, usagef("%s is too large; got %q", what, s)
	default:
		return 0, usagef("%s must be a number in decimal digits, like 42; got %q", what, s)
	}
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
