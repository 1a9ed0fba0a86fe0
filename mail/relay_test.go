package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/workroom/workroom/mail/relaytest"
	"github.com/workroom/workroom/workroomtest"
)

// received is one message the test relay accepted.
type received struct {
	from, to string
	data     []byte
	tls      bool
	user     string
}

// testRelay is an in-process SMTP server that records what it accepts
// and refuses recipients with rcptErr when set.
type testRelay struct {
	addr string

	mu       sync.Mutex
	msgs     []received
	rcptErr  *smtp.SMTPError
	password string // when set, AUTH PLAIN is offered and required
}

func startRelay(t *testing.T, tlsConfig *tls.Config) *testRelay {
	t.Helper()
	r := &testRelay{}
	s := smtp.NewServer(r)
	s.Domain = "relay.test"
	s.TLSConfig = tlsConfig
	s.AllowInsecureAuth = false
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = l.Addr().String()
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return r
}

func (r *testRelay) messages() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.msgs...)
}

func (r *testRelay) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &relaySession{relay: r, cur: received{tls: isTLS}}, nil
}

type relaySession struct {
	relay *testRelay
	cur   received
}

func (s *relaySession) AuthMechanisms() []string {
	if s.relay.password == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *relaySession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if pass != s.relay.password {
			return smtp.ErrAuthFailed // 535: a permanent reply
		}
		s.cur.user = user
		return nil
	}), nil
}

func (s *relaySession) Mail(from string, _ *smtp.MailOptions) error {
	if s.relay.password != "" && s.cur.user == "" {
		return smtp.ErrAuthRequired
	}
	s.cur.from = from
	return nil
}

func (s *relaySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.relay.mu.Lock()
	defer s.relay.mu.Unlock()
	if s.relay.rcptErr != nil {
		return s.relay.rcptErr
	}
	s.cur.to = to
	return nil
}

func (s *relaySession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.relay.mu.Lock()
	defer s.relay.mu.Unlock()
	m := s.cur
	m.data = b
	s.relay.msgs = append(s.relay.msgs, m)
	return nil
}

func (s *relaySession) Reset()        { s.cur = received{tls: s.cur.tls, user: s.cur.user} }
func (s *relaySession) Logout() error { return nil }

func TestSender_DeliversToRelay(t *testing.T) {
	w := newWorld(t)
	relay := startRelay(t, nil)
	w.SignUp(t, "user1")
	w.SignUp(t, "user2")
	s := NewSender(SenderConfig{Relay: relay.addr, Hostname: "test.localhost"}, w.Outbox, slog.New(slog.DiscardHandler))
	s.drain(context.Background())

	msgs := relay.messages()
	if len(msgs) != 2 {
		t.Fatalf("relay got %d messages, want 2", len(msgs))
	}
	for i, m := range msgs {
		if m.from != "noreply@test.localhost" || m.to != []string{"user1@example.com", "user2@example.com"}[i] {
			t.Errorf("envelope %q → %q", m.from, m.to)
		}
		if !codeLine.Match(m.data) {
			t.Errorf("message has no code line:\n%s", m.data)
		}
		if h, _ := parse(t, m.data); h.Get("Auto-Submitted") != "auto-generated" {
			t.Errorf("Auto-Submitted = %q", h.Get("Auto-Submitted"))
		}
	}
	if left := pending(t, w); len(left) != 0 {
		t.Errorf("outbox still holds %d mails after delivery", len(left))
	}
}

func TestSender_RelayRefusals(t *testing.T) {
	for _, c := range []struct {
		name     string
		err      *smtp.SMTPError
		deferred bool
	}{
		{"5xx drops the mail", &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}, false},
		{"4xx defers the mail", &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			relay := startRelay(t, nil)
			relay.rcptErr = c.err
			w.SignUp(t, "user1")
			w.SignUp(t, "user2")
			NewSender(SenderConfig{Relay: relay.addr}, w.Outbox, slog.New(slog.DiscardHandler)).drain(context.Background())

			left := pending(t, w)
			if !c.deferred {
				if len(left) != 0 {
					t.Fatalf("outbox holds %d mails, want them dropped", len(left))
				}
				return
			}
			if len(left) != 2 {
				t.Fatalf("outbox holds %d mails, want both deferred", len(left))
			}
			for _, m := range left {
				if m.Attempts != 1 || !m.NextTry.After(w.Now()) || m.LastError == "" {
					t.Errorf("mail %d: attempts %d, next try %v, last error %q; want one recorded attempt and a later try", m.ID, m.Attempts, m.NextTry, m.LastError)
				}
			}
		})
	}
}

func TestSender_UnreachableRelayDefersEveryMail(t *testing.T) {
	w := newWorld(t)
	w.SignUp(t, "user1")
	w.SignUp(t, "user2")
	dials := 0
	dial := func(context.Context, string, string) (net.Conn, error) {
		dials++
		return nil, errors.New("connection refused")
	}
	NewSender(SenderConfig{Relay: "relay.invalid:25", Dial: dial}, w.Outbox, slog.New(slog.DiscardHandler)).drain(context.Background())
	if dials != 1 {
		t.Errorf("dialled %d times in one batch, want 1", dials)
	}
	left := pending(t, w)
	if len(left) != 2 {
		t.Fatalf("outbox holds %d mails, want both kept for a retry", len(left))
	}
	for _, m := range left {
		if m.Attempts != 1 {
			t.Errorf("mail %d: %d attempts recorded, want 1", m.ID, m.Attempts)
		}
	}
}

func TestSender_UsesStartTLSAndLogsIn(t *testing.T) {
	_, relay := sendOverStartTLS(t, "s3cret")

	msgs := relay.messages()
	if len(msgs) != 1 {
		t.Fatalf("relay got %d messages, want 1", len(msgs))
	}
	if !msgs[0].tls || msgs[0].user != "workroom" {
		t.Errorf("delivered with tls=%v user=%q, want TLS and user workroom", msgs[0].tls, msgs[0].user)
	}
}

// sendOverStartTLS queues one mail and drains it to a relay that offers
// STARTTLS and wants the password "s3cret", logging in as "workroom" with
// the given password.
func sendOverStartTLS(t *testing.T, password string) (*workroomtest.World, *testRelay) {
	t.Helper()
	cert := relaytest.SelfSigned(t)
	w := newWorld(t)
	relay := startRelay(t, &tls.Config{Certificates: []tls.Certificate{cert.Certificate()}})
	relay.password = "s3cret"
	w.SignUp(t, "user1")
	NewSender(SenderConfig{
		Relay: relay.addr, RelayUser: "workroom", RelayPassword: password,
		TLSConfig: &tls.Config{RootCAs: cert.Pool, ServerName: "localhost"},
	}, w.Outbox, slog.New(slog.DiscardHandler)).drain(context.Background())
	return w, relay
}

func TestSender_RefusedLoginDefersInsteadOfDropping(t *testing.T) {
	w, _ := sendOverStartTLS(t, "wrong")

	// A 535 at login is the operator's to fix; the mail must wait for it.
	if left := pending(t, w); len(left) != 1 || left[0].Attempts != 1 {
		t.Fatalf("outbox holds %v, want the mail kept with one attempt", left)
	}
}
