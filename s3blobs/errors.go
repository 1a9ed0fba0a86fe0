package s3blobs

import (
	"fmt"

	"github.com/workroom/workroom"
)

// errCannotStore is the refusal when the object store takes no upload:
// nothing the person did, and nothing they can fix but to try later. The
// domain words it (workroom.RuleCannotStore).
var errCannotStore = workroom.Refusal(workroom.EUNAVAILABLE, workroom.RuleCannotStore)

// errCannotRead is the refusal when the object store does not give a
// blob back for a reason other than its absence.
var errCannotRead = workroom.Errorf(workroom.EUNAVAILABLE, "the file store cannot be reached right now; try again later")

// storeError is a request the object store refused or did not answer.
// Its code and words are the refusal's, for the person; its text is the
// cause, for the log.
type storeError struct {
	refusal *workroom.Error
	cause   error
}

func (e *storeError) Error() string   { return e.cause.Error() }
func (e *storeError) Unwrap() []error { return []error{e.refusal, e.cause} }

// cannotStore maps a failed write to the object store.
func cannotStore(what string, err error) error {
	return &storeError{refusal: errCannotStore, cause: fmt.Errorf("object store: %s: %w", what, err)}
}

// cannotRead maps a failed read from the object store.
func cannotRead(what string, err error) error {
	return &storeError{refusal: errCannotRead, cause: fmt.Errorf("object store: %s: %w", what, err)}
}

// notFound is Open's answer for a blob that is not there.
func notFound(sum string) error {
	return fmt.Errorf("object store: no blob %s: %w", sum, workroom.Refusal(workroom.ENOTFOUND, ""))
}
