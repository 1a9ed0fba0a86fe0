package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"time"

	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/workroom/workroom"
)

// relay delivers mail to an SMTP relay. One connection carries a whole
// batch; STARTTLS is used whenever the relay offers it. The package-level
// smtp.SendMail is not used because it refuses relays without STARTTLS,
// such as a local MTA on loopback.
type relay struct {
	addr     string
	user     string
	password string
	hostname string
	dial     func(ctx context.Context, network, addr string) (net.Conn, error)
	tls      *tls.Config

	c        *smtp.Client
	eightBit bool  // the relay takes 8BITMIME bodies
	down     error // why the relay could not be reached in this batch
	stop     func() bool
}

func (r *relay) prepare() error { return nil }

// deliver sends m over the batch's connection, opening it on first use.
// When the relay cannot be reached, every further mail of the batch fails
// at once with the same cause instead of dialling again.
func (r *relay) deliver(ctx context.Context, m workroom.Mail) error {
	if r.down != nil {
		return r.down
	}
	if r.c == nil {
		if err := r.open(ctx); err != nil {
			// %v, not %w: a 5xx while opening (a refused login, say) is
			// the relay's setup, not this mail's fault, so it must stay a
			// temporary failure rather than drop the mail.
			r.down = fmt.Errorf("relay %s: %v", r.addr, err)
			return r.down
		}
	}
	raw, err := render(m, r.eightBit)
	if err != nil {
		return permanent(err)
	}
	err = r.send(m, raw)
	var se *smtp.SMTPError
	switch {
	case err == nil:
	case errors.As(err, &se):
		// The relay refused this mail but the conversation is intact.
		if r.c.Reset() != nil {
			r.drop()
		}
	default:
		r.drop()
	}
	return err
}

// send runs one mail transaction.
func (r *relay) send(m workroom.Mail, raw []byte) error {
	from, err := envelopeSender(m)
	if err != nil {
		return permanent(err)
	}
	if err := r.c.Mail(from, nil); err != nil {
		return err
	}
	if err := r.c.Rcpt(m.To, nil); err != nil {
		return err
	}
	w, err := r.c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}

// open connects, says EHLO, upgrades to TLS when offered and logs in when
// credentials are configured.
func (r *relay) open(ctx context.Context) error {
	c, err := r.connect(ctx)
	if err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		// go-smtp can only upgrade a fresh client, so start over with one.
		_ = c.Quit()
		if c, err = r.connectTLS(ctx); err != nil {
			return err
		}
	}
	if r.user != "" {
		if err := r.login(c); err != nil {
			_ = c.Close()
			return err
		}
	}
	r.c = c
	r.eightBit, _ = c.Extension("8BITMIME")
	return nil
}

func (r *relay) connect(ctx context.Context) (*smtp.Client, error) {
	conn, err := r.dialConn(ctx)
	if err != nil {
		return nil, err
	}
	c := newClient(conn)
	if err := c.Hello(r.hostname); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

func (r *relay) connectTLS(ctx context.Context) (*smtp.Client, error) {
	conn, err := r.dialConn(ctx)
	if err != nil {
		return nil, err
	}
	c, err := smtp.NewClientStartTLS(conn, r.tlsConfig())
	if err != nil {
		return nil, fmt.Errorf("starttls: %w", err)
	}
	setTimeouts(c)
	if err := c.Hello(r.hostname); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

// dialConn opens a connection that is closed when ctx ends, so a relay that
// hangs cannot hold up a shutdown.
func (r *relay) dialConn(ctx context.Context) (net.Conn, error) {
	conn, err := r.dial(ctx, "tcp", r.addr)
	if err != nil {
		return nil, err
	}
	if r.stop != nil {
		r.stop() // the connection it watched is done with
	}
	r.stop = context.AfterFunc(ctx, func() { _ = conn.Close() })
	return conn, nil
}

// newClient starts an SMTP conversation on conn.
func newClient(conn net.Conn) *smtp.Client {
	c := smtp.NewClient(conn)
	setTimeouts(c)
	return c
}

// setTimeouts bounds how long a relay may keep us waiting; the library's
// defaults (5 and 12 minutes) would stall the whole outbox behind one relay.
func setTimeouts(c *smtp.Client) {
	c.CommandTimeout = time.Minute
	c.SubmissionTimeout = 3 * time.Minute
}

func (r *relay) tlsConfig() *tls.Config {
	if r.tls != nil {
		return r.tls
	}
	return RelayTLSConfig(r.addr, nil)
}

// RelayTLSConfig is the STARTTLS configuration for the relay at addr
// (host:port): its certificate must name host and chain to roots (nil:
// the system's).
func RelayTLSConfig(addr string, roots *x509.CertPool) *tls.Config {
	host, _, _ := net.SplitHostPort(addr)
	return &tls.Config{ServerName: host, RootCAs: roots, MinVersion: tls.VersionTLS12}
}

// login authenticates with PLAIN, which sends the password as it is: only
// over TLS, or to a relay on this machine.
func (r *relay) login(c *smtp.Client) error {
	_, isTLS := c.TLSConnectionState()
	host, _, _ := net.SplitHostPort(r.addr)
	ip := net.ParseIP(host)
	if !isTLS && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return errors.New("refusing to send the relay password without TLS: the relay does not offer STARTTLS")
	}
	return c.Auth(sasl.NewPlainClient("", r.user, r.password))
}

// close ends the batch's connection politely.
func (r *relay) close() {
	if r.c != nil {
		_ = r.c.Quit()
	}
	r.drop()
}

// drop closes the connection without a word, for one that failed: QUIT
// could wait minutes on a relay that stopped answering.
func (r *relay) drop() {
	if r.c != nil {
		_ = r.c.Close()
		r.c = nil
	}
	if r.stop != nil {
		r.stop()
		r.stop = nil
	}
	r.down = nil
}

// envelopeSender is where a mail's bounces go: its Sender (notifications
// say bounces@, which marks an address undeliverable), else From.
func envelopeSender(m workroom.Mail) (string, error) {
	if m.Sender != "" {
		return m.Sender, nil
	}
	return envelopeAddress(m.From)
}

// envelopeAddress returns the bare address of a From header value such as
// "workroom <noreply@example.com>".
func envelopeAddress(from string) (string, error) {
	a, err := gomail.ParseAddress(from)
	if err != nil {
		return "", fmt.Errorf("from address %q: %w", from, err)
	}
	return a.Address, nil
}
