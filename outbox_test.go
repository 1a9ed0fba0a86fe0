package workroom_test

import (
	"errors"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// TestOutbox_WokenWhenTheServiceEnqueuesMail: the service wakes the
// outbox it was given after the commit that enqueued the mail, so the
// sender does not wait for its next look.
func TestOutbox_WokenWhenTheServiceEnqueuesMail(t *testing.T) {
	w := newWorld(t)
	select {
	case <-w.Outbox.Queued():
		t.Fatal("woken before any mail")
	default:
	}
	w.SignUp(t, "ada")
	select {
	case <-w.Outbox.Queued():
	default:
		t.Fatal("sign-up enqueued a code mail and did not wake the outbox")
	}
	if ms, err := w.Outbox.Pending(ctx, 10); err != nil || len(ms) != 1 || ms[0].To != "ada@example.com" {
		t.Fatalf("Pending = %+v, %v; want the code mail", ms, err)
	}
}

// TestOutbox_RetriesWithGrowingDelayThenDrops: a temporary failure comes
// back after MailRetryBackoff, doubled each time up to MaxMailRetryDelay;
// the MaxMailAttempts-th failure drops the mail.
func TestOutbox_RetriesWithGrowingDelayThenDrops(t *testing.T) {
	w := newWorld(t)
	w.SignUp(t, "ada")
	cause := errors.New("451 try later")
	want := workroom.MailRetryBackoff
	for attempt := 1; attempt < workroom.MaxMailAttempts; attempt++ {
		m := duePending(t, w)
		if m.Attempts != attempt-1 {
			t.Fatalf("attempt %d: the mail has %d attempts", attempt, m.Attempts)
		}
		if err := w.Outbox.Failed(ctx, m, cause, false); err != nil {
			t.Fatal(err)
		}
		w.Advance(want - time.Second)
		if ms, _ := w.Outbox.Pending(ctx, 10); len(ms) != 0 {
			t.Fatalf("attempt %d: due again before %v", attempt, want)
		}
		w.Advance(time.Second)
		want = min(2*want, workroom.MaxMailRetryDelay)
	}
	if err := w.Outbox.Failed(ctx, duePending(t, w), cause, false); err != nil {
		t.Fatal(err)
	}
	w.Advance(24 * time.Hour)
	if ms, _ := w.Outbox.Pending(ctx, 10); len(ms) != 0 {
		t.Fatalf("after %d attempts the mail is still queued: %+v", workroom.MaxMailAttempts, ms)
	}
}

// TestOutbox_PermanentFailureDropsAtOnce: a failure retrying cannot fix
// (a 5xx from the relay) drops the mail on the first attempt.
func TestOutbox_PermanentFailureDropsAtOnce(t *testing.T) {
	w := newWorld(t)
	w.SignUp(t, "ada")
	if err := w.Outbox.Failed(ctx, duePending(t, w), errors.New("550 no such user"), true); err != nil {
		t.Fatal(err)
	}
	w.Advance(24 * time.Hour)
	if ms, _ := w.Outbox.Pending(ctx, 10); len(ms) != 0 {
		t.Fatalf("a permanent failure left %+v queued", ms)
	}
}

// duePending returns the one mail due now.
func duePending(t *testing.T, w *workroomtest.World) workroom.Mail {
	t.Helper()
	ms, err := w.Outbox.Pending(ctx, 10)
	if err != nil || len(ms) != 1 {
		t.Fatalf("Pending = %+v, %v; want one mail due", ms, err)
	}
	return ms[0]
}
