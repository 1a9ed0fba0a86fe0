package workroom_test

import (
	"errors"
	"log/slog"
	"strings"
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

// TestOutbox_TemporaryFailuresRetryWithGrowingDelays: a 4xx and a network
// error both come back after the backoff, doubled each time up to
// MaxMailRetryDelay, and are not dropped however many attempts it takes.
func TestOutbox_TemporaryFailuresRetryWithGrowingDelays(t *testing.T) {
	for _, cause := range []error{errors.New("451 4.3.0 try later"), errors.New("dial tcp: connection refused")} {
		t.Run(cause.Error(), func(t *testing.T) {
			w := newWorld(t)
			w.SignUp(t, "ada")
			want := workroom.DefaultMailRetryBackoff
			for attempt := 1; attempt <= 20; attempt++ {
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
		})
	}
}

// TestOutbox_GivesUpAfterThePeriodSinceQueued: a temporary failure a day
// before the give-up period ends is retried; one at the end or after it
// drops the mail and tells the operator.
func TestOutbox_GivesUpAfterThePeriodSinceQueued(t *testing.T) {
	for _, c := range []struct {
		name string
		at   time.Duration // since the mail was queued
		kept bool
	}{
		{"a day before", workroom.DefaultMailGiveUp - 24*time.Hour, true},
		{"at the limit", workroom.DefaultMailGiveUp, false},
		{"after the limit", workroom.DefaultMailGiveUp + time.Minute, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			logs := &workroomtest.Buffer{}
			w := workroomtest.New(t, workroomtest.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
			w.SignUp(t, "ada")
			m := duePending(t, w)
			w.Advance(c.at)
			if err := w.Outbox.Failed(ctx, m, errors.New("451 try later"), false); err != nil {
				t.Fatal(err)
			}
			w.Advance(workroom.MaxMailRetryDelay)
			ms, _ := w.Outbox.Pending(ctx, 10)
			if kept := len(ms) == 1; kept != c.kept {
				t.Fatalf("%v after queueing: kept = %v, want %v", c.at, kept, c.kept)
			}
			if given := strings.Contains(logs.String(), "mail given up"); given == c.kept {
				t.Errorf("operator log says given up = %v, want %v:\n%s", given, !c.kept, logs)
			}
		})
	}
}

// TestOutbox_LastTryIsAtTheDeadline: a retry that would come after the
// give-up moment comes at it instead, and failing then drops the mail.
func TestOutbox_LastTryIsAtTheDeadline(t *testing.T) {
	w := newWorld(t)
	w.Outbox.SetRetry(workroom.MailRetry{Backoff: time.Minute, GiveUp: 90 * time.Second})
	w.SignUp(t, "ada")
	cause := errors.New("451 try later")
	if err := w.Outbox.Failed(ctx, duePending(t, w), cause, false); err != nil {
		t.Fatal(err)
	}
	w.Advance(time.Minute)
	if err := w.Outbox.Failed(ctx, duePending(t, w), cause, false); err != nil {
		t.Fatal(err)
	}
	w.Advance(30 * time.Second) // the deadline, not a minute later
	if err := w.Outbox.Failed(ctx, duePending(t, w), cause, false); err != nil {
		t.Fatal(err)
	}
	w.Advance(time.Hour)
	if ms, _ := w.Outbox.Pending(ctx, 10); len(ms) != 0 {
		t.Fatalf("failing at the deadline left %+v queued", ms)
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

// TestOutbox_ClaimedMailIsDueAgainWhenTheLeaseEnds: a sender that claimed
// a mail and died before recording anything leaves it to whichever sender
// looks once MailLease has passed — and not before.
func TestOutbox_ClaimedMailIsDueAgainWhenTheLeaseEnds(t *testing.T) {
	w := newWorld(t)
	w.SignUp(t, "ada")
	ms, until, err := w.Outbox.Claim(ctx, 10)
	if err != nil || len(ms) != 1 {
		t.Fatalf("Claim = %+v, %v; want the code mail", ms, err)
	}
	if !until.Equal(w.Now().UTC().Add(workroom.MailLease)) || !w.Outbox.Holds(until) {
		t.Fatalf("lease ends %v; want now + MailLease, held", until)
	}
	if again, _, _ := w.Outbox.Claim(ctx, 10); len(again) != 0 {
		t.Fatalf("claimed twice: %+v", again)
	}
	w.Advance(workroom.MailLease - workroom.MailSendBound + time.Second)
	if w.Outbox.Holds(until) {
		t.Fatal("the lease still holds with less than MailSendBound of it left")
	}
	w.Advance(workroom.MailSendBound - time.Second)
	if again, _, _ := w.Outbox.Claim(ctx, 10); len(again) != 1 || again[0].ID != ms[0].ID {
		t.Fatalf("after the lease Claim = %+v; want the mail again", again)
	}
}

// TestOutbox_ReleasedMailIsDueAtOnce: a mail a stopping sender gives back
// is due at once, its attempts and last error kept.
func TestOutbox_ReleasedMailIsDueAtOnce(t *testing.T) {
	w := newWorld(t)
	w.SignUp(t, "ada")
	if err := w.Outbox.Failed(ctx, duePending(t, w), errors.New("451 later"), false); err != nil {
		t.Fatal(err)
	}
	w.Advance(workroom.DefaultMailRetryBackoff)
	ms, _, err := w.Outbox.Claim(ctx, 10)
	if err != nil || len(ms) != 1 {
		t.Fatalf("Claim = %+v, %v", ms, err)
	}
	if err := w.Outbox.Release(ctx, ms[0]); err != nil {
		t.Fatal(err)
	}
	if m := duePending(t, w); m.Attempts != 1 || m.LastError != "451 later" {
		t.Fatalf("released mail = %+v; want due, attempts and error kept", m)
	}
}
