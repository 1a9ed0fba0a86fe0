// Package relaytest is an SMTP relay stand-in for tests and benchmarks of
// outgoing mail: a go-smtp server on 127.0.0.1:0 that records what it
// accepts by Message-ID, can answer 451 to every mail until told to
// accept, and can require STARTTLS and a password as a real relay does.
package relaytest

import (
	"errors"
	"io"
	"log"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options say what the stand-in asks of a client.
type Options struct {
	// TLS, when set, offers STARTTLS with this configuration.
	TLS *CertFiles
	// User and Password, when set, are required (AUTH PLAIN, which is
	// offered only over TLS when TLS is set).
	User, Password string
}

// Message is one mail the stand-in accepted.
type Message struct {
	From, To  string
	MessageID string
	Subject   string
	Data      []byte
	TLS       bool   // it came over STARTTLS
	User      string // the login it came under
}

// Relay is a running stand-in.
type Relay struct {
	Addr string

	opts     Options
	mu       sync.Mutex
	refusing bool
	accepted []Message
	refused  map[string]int // Message-ID → 451s answered
	changed  chan struct{}  // closed and replaced on every mail
}

// Refused is the reply to every mail while the stand-in refuses.
var Refused = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later (relay stand-in)"}

// Start runs a stand-in until the test ends.
func Start(t testing.TB, opts Options) *Relay {
	t.Helper()
	r := &Relay{opts: opts, refused: make(map[string]int), changed: make(chan struct{})}
	s := smtp.NewServer(r)
	s.Domain = "relay.test"
	// A client hanging up mid-conversation (a server stopped under test)
	// is expected here, not news.
	s.ErrorLog = log.New(io.Discard, "", 0)
	s.MaxMessageBytes = 32 << 20
	if opts.TLS != nil {
		s.TLSConfig = opts.TLS.ServerConfig()
	} else {
		s.AllowInsecureAuth = true
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.Addr = l.Addr().String()
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return r
}

// Refuse makes the stand-in answer 451 at the end of every mail's DATA
// (on) or accept mail (off).
func (r *Relay) Refuse(on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refusing = on
}

// Accepted returns the mails accepted so far.
func (r *Relay) Accepted() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.accepted...)
}

// AcceptedByID counts the accepted mails per Message-ID: a mail delivered
// twice shows as 2.
func (r *Relay) AcceptedByID() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := make(map[string]int)
	for _, m := range r.accepted {
		n[m.MessageID]++
	}
	return n
}

// RefusedByID counts the 451s answered per Message-ID.
func (r *Relay) RefusedByID() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := make(map[string]int, len(r.refused))
	for id, c := range r.refused {
		n[id] = c
	}
	return n
}

// Changed returns a channel closed at the next mail the stand-in answers,
// for a waiter that would rather not poll.
func (r *Relay) Changed() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.changed
}

// NewSession implements smtp.Backend.
func (r *Relay) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{relay: r, tls: isTLS}, nil
}

// record keeps m's outcome and wakes waiters.
func (r *Relay) record(m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	defer func() {
		close(r.changed)
		r.changed = make(chan struct{})
	}()
	if r.refusing {
		r.refused[m.MessageID]++
		return Refused
	}
	r.accepted = append(r.accepted, m)
	return nil
}

type session struct {
	relay    *Relay
	tls      bool
	user     string
	from, to string
}

func (s *session) AuthMechanisms() []string {
	if s.relay.opts.Password == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.relay.opts.User || pass != s.relay.opts.Password {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.relay.opts.Password != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.to != "" {
		return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 5, 3}, Message: "one recipient per mail here"}
	}
	s.to = to
	return nil
}

// Data reads the whole mail (every read error is returned, as a real
// server must) and answers by the stand-in's mode.
func (s *session) Data(rd io.Reader) error {
	data, err := io.ReadAll(rd)
	if err != nil {
		return err
	}
	m := Message{From: s.from, To: s.to, Data: data, TLS: s.tls, User: s.user}
	if msg, err := mail.ReadMessage(strings.NewReader(string(data))); err == nil {
		m.MessageID, m.Subject = msg.Header.Get("Message-Id"), msg.Header.Get("Subject")
	}
	if m.MessageID == "" {
		return errors.New("no Message-ID")
	}
	return s.relay.record(m)
}

func (s *session) Reset()        { s.from, s.to = "", "" }
func (s *session) Logout() error { return nil }
