package workroom_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// slowSender delivers the outbox like mail.Sender, but takes its time, as
// a busy disk or relay would; it records whom it delivered to.
type slowSender struct {
	mu        sync.Mutex
	delivered []string
}

func (s *slowSender) run(t *testing.T, outbox *workroom.Outbox, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-outbox.Queued():
		}
		time.Sleep(100 * time.Millisecond) // the slow part of delivering, not a wait for a condition
		ms, err := outbox.Pending(ctx, 10)
		if err != nil {
			t.Error(err)
			return
		}
		for _, m := range ms {
			s.mu.Lock()
			s.delivered = append(s.delivered, m.To)
			s.mu.Unlock()
			if err := outbox.Delivered(ctx, m.ID); err != nil {
				t.Error(err)
			}
		}
	}
}

func (s *slowSender) sentTo(address string) bool { return s.count(address) > 0 }

func (s *slowSender) count(address string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Count(strings.Join(s.delivered, " "), address)
}

func TestSignUp_AnswersOnceTheCodeMailLeftTheOutbox(t *testing.T) {
	w := workroomtest.New(t, workroomtest.WithMailWait(5*time.Second))
	sender := &slowSender{}
	stop := make(chan struct{})
	defer close(stop)
	go sender.run(t, w.Outbox, stop)

	if _, err := w.Svc.SignUp(ctx, workroomtest.Key("ada"), "Ada", "ada@example.com"); err != nil {
		t.Fatal(err)
	}
	if !sender.sentTo("ada@example.com") {
		t.Fatal("SignUp answered before its verification mail was delivered")
	}
	ada := w.AsKey(t, workroomtest.Key("ada"))
	w.Advance(workroom.VerificationResendGap)
	if err := w.Svc.ResendVerification(ada); err != nil {
		t.Fatal(err)
	}
	if n := sender.count("ada@example.com"); n != 2 {
		t.Fatalf("after the resend answered, %d mails had reached ada, want 2", n)
	}
}

func TestSignUp_WaitsForTheOutboxOnlySoLong(t *testing.T) {
	w := workroomtest.New(t, workroomtest.WithMailWait(200*time.Millisecond)) // no sender at all
	start := time.Now()
	if _, err := w.Svc.SignUp(ctx, workroomtest.Key("ada"), "Ada", "ada@example.com"); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("SignUp took %v with no sender; the wait must be bounded", took)
	}
	if ms, err := w.Outbox.Pending(ctx, 10); err != nil || len(ms) != 1 {
		t.Fatalf("pending mail = %v, %v; want the code mail kept for the sender", ms, err)
	}
}
