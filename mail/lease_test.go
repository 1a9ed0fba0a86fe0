package mail

import (
	"context"
	"log/slog"
	"testing"

	"github.com/workroom/workroom"
)

// slowDeliverer delivers by calling each in turn.
type slowDeliverer struct {
	each      func(m workroom.Mail)
	delivered []uint64
}

func (d *slowDeliverer) prepare() error { return nil }
func (d *slowDeliverer) close()         {}
func (d *slowDeliverer) deliver(_ context.Context, m workroom.Mail) error {
	d.each(m)
	d.delivered = append(d.delivered, m.ID)
	return nil
}

// TestSender_GivesBackWhatItsLeaseNoLongerCovers: a batch whose lease runs
// short mid-way is not sent on past it — another front end may take the
// rest once the lease ends — but given back, due at once; the next look
// claims and sends it.
func TestSender_GivesBackWhatItsLeaseNoLongerCovers(t *testing.T) {
	w := newWorld(t)
	w.SignUp(t, "ada")
	w.SignUp(t, "bob")
	s := NewSender(SenderConfig{OutboxDir: t.TempDir()}, w.Outbox, slog.New(slog.DiscardHandler))
	out := &slowDeliverer{each: func(workroom.Mail) { w.Advance(workroom.MailLease - workroom.MailSendBound + 1) }}
	s.out = out
	s.drain(context.Background())
	if len(out.delivered) != 1 {
		t.Fatalf("delivered %v in the first look; want one, the lease too short for the next", out.delivered)
	}
	if due := pending(t, w); len(due) != 1 || due[0].ID == out.delivered[0] {
		t.Fatalf("due after the first look: %+v; want the other mail, given back", due)
	}
	s.drain(context.Background())
	if len(out.delivered) != 2 || len(pending(t, w)) != 0 {
		t.Fatalf("delivered %v; want both, the outbox empty", out.delivered)
	}
}
