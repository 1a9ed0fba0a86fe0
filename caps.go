package workroom

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Daily caps bound what guessing and mail flooding can achieve, whatever
// the person does meanwhile: a resend, a new code or a new sign-up does not
// reset them. Each cap is a named count kept by the store; its window opens
// with the first event counted and lasts CapWindow.
const CapWindow = 24 * time.Hour

// verifyAttemptsCap names the count of codes an account tried.
func verifyAttemptsCap(id UserID) string { return fmt.Sprintf("verify-attempts:%d", id) }

// codeMailCap names the count of code mails sent to an address.
func codeMailCap(address string) string { return "code-mails:" + strings.ToLower(address) }

// take counts one event against the cap name allowing max per window and
// returns how many remain. Once max were counted it counts nothing and
// returns ELIMIT with refusal, formatted with arg and the time the window
// ends.
func (s *Service) take(ctx context.Context, name string, max int, refusal string, arg int) (left int, err error) {
	n, resets, err := s.store.Tally(ctx, name, s.now(), CapWindow, max)
	if err != nil {
		return 0, err
	}
	if n > max {
		return 0, Errorf(ELIMIT, refusal, arg, clockTime(resets))
	}
	return max - n, nil
}

// clockTime is how a refusal names the time to try again.
func clockTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
