package workroom

import (
	"context"
	"fmt"
	"io"
)

// Scanner checks bytes for viruses before they are stored. Every upload
// goes through it; infected bytes are refused and never stored, and bytes
// the scanner could not finish checking are refused too — never reported
// clean. A server runs without a scanner only when its operator says so
// (workroom serve --no-scan): versions are then marked ScanNotScanned.
type Scanner interface {
	// Scan reads r to its end and returns nil when the scanner found it
	// clean, ErrInfected naming the signature when it found a virus, and
	// any other error (ErrScannerUnavailable wrapping the cause) when it
	// could not say.
	Scan(ctx context.Context, r io.Reader) error
}

// ErrInfected is a scanner's verdict that bytes carry a virus, naming the
// signature it matched. The upload pipeline words it for the file.
func ErrInfected(signature string) *Error {
	return Errorf(EINFECTED, "a virus was found (%s)", signature).Because(RuleInfected, signature)
}

// ErrScannerUnavailable is what an upload gets when the scanner could not
// give a verdict: down, unreachable, too slow, or the stream broke. The
// cause is for the log.
func ErrScannerUnavailable(cause error) error {
	return fmt.Errorf("virus scanner: %w: %w", cause,
		Errorf(EUNAVAILABLE, "the virus scanner cannot be reached; try again later").Because(RuleScannerDown))
}

// Rules of scanning.
const (
	RuleInfected    Rule = "infected"     // the scanner found a virus; Subject is its signature
	RuleScannerDown Rule = "scanner_down" // no verdict: the upload is refused, for now
)

// Scanning reports whether uploads go through a virus scanner: false only
// on a server its operator ran with --no-scan, where versions are marked
// not scanned and the TUI's Files view says so.
func (s *Service) Scanning() bool { return s.scanner != nil }
