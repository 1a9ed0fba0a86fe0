package command

import (
	"github.com/spf13/cobra"
)

// exactArgs accepts exactly the named positional arguments, and otherwise
// says which are expected.
func exactArgs(names ...string) cobra.PositionalArgs {
	return cobra.MatchAll(leadingArgs(names...), optionalArgs(names...))
}

// leadingArgs accepts the named positional arguments and any number after.
func leadingArgs(names ...string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) < len(names) {
			return usagef("%s needs %s; usage: %s", pathOf(c), names[len(args)], usageLine(c))
		}
		return nil
	}
}

// optionalArgs accepts up to the named positional arguments.
func optionalArgs(names ...string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) > len(names) {
			return usagef("unexpected argument %q; usage: %s", args[len(names)], usageLine(c))
		}
		return nil
	}
}

// noArgs refuses positional arguments.
var noArgs = exactArgs()

// requireFlags refuses a command line that lacks one of the named flags.
func requireFlags(c *cobra.Command, names ...string) error {
	for _, n := range names {
		if !c.Flags().Changed(n) {
			return usagef("%s needs --%s; usage: %s", pathOf(c), n, usageLine(c))
		}
	}
	return nil
}
