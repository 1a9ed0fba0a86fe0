// Package mail is the server's email: for now, the sender that delivers
// the outbox. The service enqueues mail in the store in the same
// transaction as the change it reports; the Sender takes what is due from
// the workroom.Outbox, renders each as an RFC 5322 message and hands it
// to an SMTP relay, or, with no relay configured, writes it as a .eml
// file under the data folder. Failures go back to the outbox, which
// retries or drops them, so retries survive a restart.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/workroom/workroom"
)

// SenderConfig says where outbound mail goes.
type SenderConfig struct {
	// OutboxDir receives one <time>-<id>.eml file per mail when Relay is
	// empty.
	OutboxDir string
	// Relay is the SMTP relay as host:port; empty writes files instead.
	Relay string
	// RelayUser and RelayPassword log in to the relay (AUTH PLAIN, only
	// over TLS or to a relay on loopback). Empty: no login.
	RelayUser     string
	RelayPassword string
	// Hostname is the name given in EHLO, normally the mail domain.
	Hostname string
	// Dial opens connections to the relay; nil uses a net.Dialer with a
	// 30-second timeout. Tests inject their own.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// TLSConfig is used for STARTTLS; nil checks the relay's certificate
	// against the system roots for the relay's host name.
	TLSConfig *tls.Config
	// Interval is how often the outbox is checked when nothing wakes the
	// sender; 0 means DefaultInterval.
	Interval time.Duration
}

// DefaultInterval is how often the sender looks for due mail (retries)
// when no new mail wakes it.
const DefaultInterval = 2 * time.Second

// batchSize is how many mails one look at the outbox takes.
const batchSize = 50

// Sender delivers the outbox.
type Sender struct {
	cfg    SenderConfig
	outbox *workroom.Outbox
	log    *slog.Logger
	out    deliverer
}

// deliverer is where mail goes: the relay or the outbox folder. A batch
// of deliver calls is followed by close.
type deliverer interface {
	prepare() error
	deliver(ctx context.Context, m workroom.Mail) error
	close()
}

// NewSender returns a sender for outbox, the one the service enqueues to.
func NewSender(cfg SenderConfig, outbox *workroom.Outbox, log *slog.Logger) *Sender {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Dial == nil {
		cfg.Dial = (&net.Dialer{Timeout: 30 * time.Second}).DialContext
	}
	if cfg.Hostname == "" {
		cfg.Hostname = "localhost"
	}
	s := &Sender{cfg: cfg, outbox: outbox, log: log}
	if cfg.Relay == "" {
		s.out = &fileOutbox{dir: cfg.OutboxDir}
	} else {
		s.out = &relay{addr: cfg.Relay, user: cfg.RelayUser, password: cfg.RelayPassword,
			hostname: cfg.Hostname, dial: cfg.Dial, tls: cfg.TLSConfig}
	}
	return s
}

// Run delivers due mail until ctx is done, waking when the service queues
// mail and every Interval for retries. It returns nil when ctx ends, and
// an error only when it cannot start (the outbox folder cannot be made).
func (s *Sender) Run(ctx context.Context) error {
	if s.cfg.Relay == "" && s.cfg.OutboxDir == "" {
		return errors.New("mail: no relay and no outbox folder configured")
	}
	if err := s.out.prepare(); err != nil {
		return err
	}
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	for {
		s.drain(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-s.outbox.Queued():
		case <-t.C:
		}
	}
}

// drain delivers batches until nothing is due. Each batch is claimed
// (workroom.Outbox.Claim), so a sender on another front end over the same
// store sends other mails; what this one does not try — it is stopping,
// or its lease runs short — it gives back. It stops early when the store
// fails, so a store that cannot record a delivery does not make the
// sender spin on the same mail.
func (s *Sender) drain(ctx context.Context) {
	defer s.out.close()
	for ctx.Err() == nil {
		ms, until, err := s.outbox.Claim(ctx, batchSize)
		if err != nil {
			s.log.Error("mail: reading the outbox", "err", err)
			return
		}
		for i, m := range ms {
			if ctx.Err() != nil || !s.outbox.Holds(until) {
				s.release(ctx, ms[i:])
				return
			}
			if !s.send(ctx, m) {
				s.release(ctx, ms[i+1:])
				return
			}
		}
		if len(ms) < batchSize {
			return
		}
	}
}

// releaseWait bounds giving claimed mail back when the sender stops.
const releaseWait = 5 * time.Second

// release gives back claimed mails that were not tried, so they are due
// again at once rather than when their lease ends.
func (s *Sender) release(ctx context.Context, ms []workroom.Mail) {
	if len(ms) == 0 {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseWait)
	defer cancel()
	for _, m := range ms {
		if err := s.outbox.Release(rctx, m); err != nil {
			s.log.Warn("mail: giving back a claimed mail; it is due again when its lease ends", "mail", m.ID, "err", err)
			return
		}
	}
}

// send delivers one mail and records the outcome; false when the outcome
// could not be recorded, or shutdown cut the delivery short (the mail is
// then given back, still due).
func (s *Sender) send(ctx context.Context, m workroom.Mail) bool {
	err := s.out.deliver(ctx, m)
	switch {
	case err == nil:
		s.log.Info("mail delivered", "mail", m.ID, "to", m.To, "via", s.Target())
		// Recorded even when ctx just ended: the mail did go out.
		err = s.outbox.Delivered(context.WithoutCancel(ctx), m.ID)
	case ctx.Err() != nil:
		s.release(ctx, []workroom.Mail{m}) // not the mail's fault: it stays due
		return false
	default:
		err = s.outbox.Failed(ctx, m, err, isPermanent(err))
	}
	if err != nil {
		s.log.Error("mail: recording delivery", "mail", m.ID, "err", err)
		return false
	}
	return true
}

// Target says where mail goes — the relay, or the outbox folder — for logs.
func (s *Sender) Target() string {
	if s.cfg.Relay != "" {
		return "relay " + s.cfg.Relay
	}
	return s.cfg.OutboxDir
}

// permanentError marks a failure that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

func permanent(err error) error { return &permanentError{err} }

// isPermanent reports whether a delivery failure should drop the mail: a
// 5xx reply from the relay, or a mail that cannot be rendered. Anything
// else (4xx, network) is retried.
func isPermanent(err error) bool {
	var p *permanentError
	if errors.As(err, &p) {
		return true
	}
	var se *smtp.SMTPError
	return errors.As(err, &se) && se.Code >= 500 && se.Code < 600
}
