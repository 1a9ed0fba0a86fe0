package sftp

import (
	"github.com/pkg/sftp"

	"github.com/workroom/workroom"
)

// statusError is an SFTP status with the service's words: pkg/sftp sends
// the code it wraps and Error() as the message, which clients such as
// lftp show. It never wraps io.EOF, which would be sent as end of file.
type statusError struct {
	msg  string
	code error // one of pkg/sftp's ErrSSHFx… values
}

func (e *statusError) Error() string { return e.msg }
func (e *statusError) Unwrap() error { return e.code }

// errNotFound is the one answer for anything that is not there — a
// missing file, and a workroom the user is not in, whether or not it
// exists — so that no path tells an outsider a room exists.
var errNotFound = &statusError{msg: "no such file or folder", code: sftp.ErrSSHFxNoSuchFile}

// status maps the service's error codes to SFTP once: ENOTFOUND to no
// such file, EFORBIDDEN to permission denied, every other refusal to
// failure with its text. An internal cause is logged, never shown.
func (h *handlers) status(err error) error {
	switch workroom.ErrorCode(err) {
	case "":
		return nil
	case workroom.ENOTFOUND:
		return errNotFound
	case workroom.EFORBIDDEN:
		return &statusError{msg: workroom.ErrorMessage(err), code: sftp.ErrSSHFxPermissionDenied}
	case workroom.EINTERNAL:
		h.log.Error("sftp: internal error", "user", h.id.User.ID, "err", err)
	}
	return &statusError{msg: workroom.ErrorMessage(err), code: sftp.ErrSSHFxFailure}
}

// refuse is a refusal of this package's own: the request makes no sense
// at that place (a file written at the top, a link).
func refuse(msg string) error {
	return &statusError{msg: msg, code: sftp.ErrSSHFxPermissionDenied}
}

// fail is a failure of this package's own, with its text.
func fail(msg string) error {
	return &statusError{msg: msg, code: sftp.ErrSSHFxFailure}
}
