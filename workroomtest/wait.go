package workroomtest

import (
	"testing"
	"time"
)

// WaitLimit is how long WaitUntil waits before the test fails.
const WaitLimit = 10 * time.Second

// WaitUntil polls cond until it holds, and fails the test when WaitLimit
// passes first; what says what was awaited. It is for a state the test
// cannot be told about on a channel (a log line, the store, a screen).
func WaitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(WaitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
