package main

import (
	"io"
	"net"

	"github.com/emersion/go-smtp"
)

// startSink runs an SMTP server on loopback that reads every mail whole
// and accepts it, for -sink: the tool's own ceiling, with no real server's
// work in the way. It returns the server's address.
func startSink() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	s := smtp.NewServer(sinkBackend{})
	s.Domain = "sink.localhost"
	s.MaxMessageBytes = 64 << 20
	go func() { _ = s.Serve(l) }()
	return l.Addr().String(), nil
}

type sinkBackend struct{}

func (sinkBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return sinkSession{}, nil }

type sinkSession struct{}

func (sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (sinkSession) Reset()                               {}
func (sinkSession) Logout() error                        { return nil }

// Data reads the mail to its end: a server must, before it answers.
func (sinkSession) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}
