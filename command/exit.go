package command

import (
	"errors"
	"fmt"
)

// Exit statuses of a command.
const (
	exitOK      = 0
	exitRefused = 1 // the service refused or failed
	exitUsage   = 2 // the command line was wrong
)

// usageError is a command line that does not parse: a missing argument, a
// bad flag, an id that is not a number. It is not the service's business.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

func errUnknownCommand(name string) error {
	return usagef("unknown command %s; run help", name)
}

// errUnknownCommandIn is errUnknownCommand with a suggestion when the name
// is a slip away from one of the commands known ("did you mean rooms?").
func errUnknownCommandIn(known []string, name string) error {
	if near := nearest(name, known); near != "" {
		return usagef("unknown command %s; did you mean %s? (run help for the list)", name, near)
	}
	return errUnknownCommand(name)
}

// exitStatus is the one mapping from an error to an exit status.
func exitStatus(err error) int {
	var u *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &u):
		return exitUsage
	default:
		return exitRefused
	}
}

// errorLine is the one line a failed command prints on stderr: what was
// expected for a usage error, else the service's message for the user
// ("internal error" for causes the user must not see) with the command to
// run instead (howto.go). It is made inert and kept to one line, since it
// may quote the user's own input.
func errorLine(err error) string {
	var u *usageError
	if errors.As(err, &u) {
		return line(u.msg)
	}
	return line(howTos.Explain(err))
}
