package postgres

import (
	"context"
	"errors"
	"net"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/workroom/workroom"
)

// What a person's request meets when the database cannot answer it —
// PostgreSQL is down, restarting, out of connections or read-only — or
// when the person went away mid-request, is EUNAVAILABLE, as a full disk
// is for the embedded store: nothing they did, nothing to do but try
// again. The cause stays in the error's text, for the log.

// unavailableError is a refusal whose text is its cause.
type unavailableError struct {
	refusal *workroom.Error
	cause   error
}

func (e *unavailableError) Error() string   { return "postgres: " + e.cause.Error() }
func (e *unavailableError) Unwrap() []error { return []error{e.refusal, e.cause} }

var (
	// errCannotStore is the database out of reach (workroom.RuleCannotStore).
	errCannotStore = workroom.Refusal(workroom.EUNAVAILABLE, workroom.RuleCannotStore)
	// errCallerGone is the caller's context ended before the answer came.
	errCallerGone = workroom.Refusal(workroom.EUNAVAILABLE, "")
)

// unavailable maps err to EUNAVAILABLE when it says the database could
// not be reached or the caller stopped waiting, and returns anything else
// as it is.
func unavailable(err error) error {
	var ue *unavailableError
	switch {
	case err == nil || errors.As(err, &ue) || workroom.ErrorCode(err) != workroom.EINTERNAL:
		return err // none, mapped already, or a rule the store enforces
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return &unavailableError{refusal: errCallerGone, cause: err}
	case unreachable(err):
		return &unavailableError{refusal: errCannotStore, cause: err}
	}
	return err
}

// unreachable reports an error of the connection rather than of the
// statement: no connection could be made, it broke, or the server said
// it cannot serve now.
func unreachable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || pgconn.SafeToRetry(err) {
		return true
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "57P01", "57P02", "57P03", // shut down by the administrator, crashed, not accepting connections yet
		"53100", "53200", "53300", // disk full, out of memory, too many connections
		"25006": // read-only (a standby)
		return true
	}
	return len(pe.Code) == 5 && pe.Code[:2] == "08" // connection exception
}
