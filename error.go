package workroom

import (
	"errors"
	"fmt"
)

// Error codes. Every error a person can cause carries one of these, so each
// transport can map it once to its own vocabulary (exit status, SFTP status,
// SMTP reply, TUI notice).
const (
	ENOTFOUND    = "not_found"
	EFORBIDDEN   = "forbidden"
	EINVALID     = "invalid"
	ELIMIT       = "limit"
	EINFECTED    = "infected"
	EUNAVAILABLE = "unavailable"
	ECONFLICT    = "conflict"
	EINTERNAL    = "internal"
)

// Error is an error meant for the person who caused it: a machine code and a
// message written for them. Internal causes are logged, never shown; they
// reach the user as EINTERNAL "internal error".
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: the code of the first *Error in its
// chain, EINTERNAL for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the message a user may see for err: the message of
// the first *Error in its chain, or "internal error" for anything else, so a
// cause such as a disk error is never shown to a client.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "internal error"
	}
}

// ServerFault reports whether err is the server's trouble rather than
// the person's: EINTERNAL, or EUNAVAILABLE (the disk refuses writes, a
// service the server needs is down). The person sees only the message;
// every transport logs these with their cause, for the operator.
func ServerFault(err error) bool {
	code := ErrorCode(err)
	return code == EINTERNAL || code == EUNAVAILABLE
}

// errNoRoom is the one answer for a workroom the actor may not see, whether
// or not it exists: nobody learns a workroom exists unless they are in it.
func errNoRoom(id RoomID) *Error {
	return Errorf(ENOTFOUND, "no such workroom: %d", id)
}
