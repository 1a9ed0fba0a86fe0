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
// plain sentence about the rule, written for them in words that hold in
// every way in (a terminal, an SSH command, an SMTP reply). What to type
// or press instead is the transport's to add, keyed by Rule. Internal
// causes are logged, never shown; they reach the user as EINTERNAL
// "internal error".
type Error struct {
	Code    string
	Message string
	// Rule names the rule that refused, when a transport may add a how-to
	// for it or the service must tell a store's refusals apart; "" for
	// none.
	Rule Rule
	// Subject is what a how-to may quote: the address or the job the rule
	// is about; "" for none.
	Subject string
}

// Error returns the message, or for a refusal a store returned without
// words, the sentence for its rule or code.
func (e *Error) Error() string {
	if e.Message != "" {
		return e.Message
	}
	if s, ok := ruleSentences[e.Rule]; ok {
		return s
	}
	if s, ok := codeSentences[e.Code]; ok {
		return s
	}
	return "internal error"
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Refusal is how a Store refuses: a code and the rule, no words. The
// service words it where it knows more; otherwise it reads as the rule's
// plain sentence.
func Refusal(code string, rule Rule) *Error {
	return &Error{Code: code, Rule: rule}
}

// Because returns e naming the rule that refused and, optionally, the
// subject a transport's how-to may quote.
func (e *Error) Because(rule Rule, subject ...string) *Error {
	e.Rule = rule
	if len(subject) > 0 {
		e.Subject = subject[0]
	}
	return e
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
		return e.Error()
	default:
		return "internal error"
	}
}

// ErrorRule returns the rule of the first *Error in err's chain; "" when
// it names none or err is not an *Error.
func ErrorRule(err error) Rule {
	var e *Error
	if errors.As(err, &e) {
		return e.Rule
	}
	return ""
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

// asError returns the first *Error in err's chain.
func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
