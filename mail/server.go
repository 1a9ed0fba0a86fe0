package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/mailauth"
	"github.com/workroom/workroom/mailtext"
)

// Server is SMTP in: it takes mail for the rooms' addresses, the reply
// addresses of notifications and bounces@, and hands what each says to
// the service, which decides. Every refusal is a reply in the SMTP
// conversation (reply.go); the server never sends a mail in answer to
// one, so no loop can start here.
type Server struct {
	cfg ServerConfig
	svc *workroom.Service
	log *slog.Logger
	srv *smtp.Server
}

// ServerConfig is how SMTP in listens and what it takes.
type ServerConfig struct {
	// Domain is the mail domain: the only domain mail is taken for, and
	// the name the server greets with.
	Domain string
	// TLS, when set, offers STARTTLS.
	TLS *tls.Config
	// MaxSize is the largest message, in bytes, advertised as SIZE.
	MaxSize int64
	// DataTimeout bounds the whole DATA transfer; ReadTimeout every
	// command.
	DataTimeout, ReadTimeout time.Duration
	// MaxRecipients is the most RCPT commands one mail may give.
	MaxRecipients int
	// MaxLineLength is the longest line; a longer one ends the connection.
	MaxLineLength int
	// Strict refuses mail whose sender cannot be authenticated, instead of
	// posting it marked unverified.
	Strict bool
	// Auth authenticates the sender (DKIM, SPF, DMARC); nil treats every
	// mail as unverified.
	Auth Authenticator
	// SpoolDir holds each mail while it is read (it is read twice: for
	// DKIM and for its parts); the server's temp folder.
	SpoolDir string
}

// Authenticator judges a mail's sender; *mailauth.Checker is one.
type Authenticator interface {
	Check(ctx context.Context, in mailauth.Input) mailauth.Result
}

// Defaults of the SMTP flags.
const (
	// DefaultMaxSize lets a 100 MB file through base64 (4/3 of it, with
	// line breaks) with room for the text around it.
	DefaultMaxSize       = 150 << 20
	DefaultDataTimeout   = 10 * time.Minute
	DefaultReadTimeout   = 5 * time.Minute
	DefaultMaxRecipients = 50
	// DefaultMaxLineLength is RFC 5321's 1000 octets, doubled for clients
	// that stretch it.
	DefaultMaxLineLength = 2000
	// writeTimeout bounds each reply; a client that stops reading is gone.
	writeTimeout = time.Minute
)

// NewServer returns SMTP in over the service.
func NewServer(cfg ServerConfig, svc *workroom.Service, log *slog.Logger) *Server {
	if cfg.MaxSize <= 0 {
		cfg.MaxSize = DefaultMaxSize
	}
	if cfg.DataTimeout <= 0 {
		cfg.DataTimeout = DefaultDataTimeout
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = DefaultReadTimeout
	}
	if cfg.MaxRecipients <= 0 {
		cfg.MaxRecipients = DefaultMaxRecipients
	}
	if cfg.MaxLineLength <= 0 {
		cfg.MaxLineLength = DefaultMaxLineLength
	}
	s := &Server{cfg: cfg, svc: svc, log: log}
	srv := smtp.NewServer(s)
	srv.Domain = cfg.Domain
	srv.TLSConfig = cfg.TLS
	srv.MaxMessageBytes = cfg.MaxSize
	srv.ReadTimeout = cfg.ReadTimeout
	srv.WriteTimeout = writeTimeout
	srv.MaxRecipients = cfg.MaxRecipients
	srv.MaxLineLength = cfg.MaxLineLength
	srv.EnableSMTPUTF8 = true
	srv.ErrorLog = slogErrors{log}
	s.srv = srv
	return s
}

// Serve takes connections on l until Shutdown.
func (s *Server) Serve(l net.Listener) error {
	err := s.srv.Serve(l)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops taking connections and waits, until ctx ends, for the
// open ones to finish; then closes them.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		_ = s.srv.Close()
	}
	return err
}

// NewSession implements smtp.Backend.
func (s *Server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: s, conn: c}, nil
}

// session is one SMTP connection; one mail at a time.
type session struct {
	s      *Server
	conn   *smtp.Conn
	from   string
	hasMsg bool // MAIL FROM was given
	target *workroom.MailTarget
	// discard accepts a mail with a null sender to one of our addresses:
	// machine mail, never posted, whatever the address.
	discard bool
}

func (ss *session) Reset() {
	ss.from, ss.hasMsg, ss.target, ss.discard = "", false, nil, false
}

func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.Reset()
	ss.from, ss.hasMsg = from, true
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch {
	case !ss.hasMsg:
		return errNoSender
	case ss.target != nil || ss.discard:
		return errOneRoomPerMail
	}
	ctx, cancel := context.WithTimeout(context.Background(), ss.s.cfg.ReadTimeout)
	defer cancel()
	if ss.from == "" && ss.ours(to) && !strings.EqualFold(to, workroom.BouncesLocal+"@"+ss.s.cfg.Domain) {
		ss.discard = true
		return nil
	}
	t, err := ss.s.svc.MailRecipient(ctx, ss.from, to)
	if err != nil {
		ss.refused("rcpt", to, err)
		return reply(err)
	}
	ss.target = t
	return nil
}

// ours reports whether an address is at the mail domain.
func (ss *session) ours(to string) bool {
	_, domain, ok := strings.Cut(to, "@")
	return ok && strings.EqualFold(domain, ss.s.cfg.Domain)
}

func (ss *session) Data(r io.Reader) error {
	// The command's deadline covered the DATA line; the message has its
	// own.
	_ = ss.conn.Conn().SetReadDeadline(time.Now().Add(ss.s.cfg.DataTimeout))
	spool, err := ss.spool(r)
	if spool != nil {
		defer spool.remove()
	}
	if errors.Is(err, smtp.ErrTooLongLine) {
		return errLineTooLong(ss.s.cfg.MaxLineLength)
	}
	if err != nil {
		// Every read error is returned: swallowing one would answer 250
		// for a truncated mail.
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), ss.s.cfg.DataTimeout)
	defer cancel()
	switch {
	case ss.discard:
		ss.s.log.Info("mail in: null sender, discarded", "remote", ss.remote())
		return nil
	case ss.target == nil:
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 5, 1}, Message: "no valid recipients"}
	case ss.target.Kind == workroom.MailToBounces:
		return ss.bounce(ctx, spool)
	}
	in := &ingest{ss: ss, t: ss.target, spool: spool}
	err = in.run(ctx)
	if err != nil {
		ss.refused("data", ss.target.Address, err)
		return reply(err)
	}
	return nil
}

// spool reads the whole message (spool.go); a nil error means it is
// whole. A spool file that cannot be written is the server's trouble: a
// temporary refusal, after the rest of the message is read.
func (ss *session) spool(r io.Reader) (*spooled, error) {
	sp, err := spoolMail(ss.s.cfg.SpoolDir, r)
	var pe *os.PathError
	if errors.As(err, &pe) {
		ss.s.log.Error("mail in: spool file", "err", err)
		_, _ = io.Copy(io.Discard, r) // the reader must be drained
		return sp, &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "the server cannot store mail right now; try again later"}
	}
	return sp, err
}

// bounce reads a delivery status notification to bounces@ and marks the
// failed recipients undeliverable. It is always accepted: a bounce is
// never answered, and one we cannot read is logged and dropped.
func (ss *session) bounce(ctx context.Context, sp *spooled) error {
	r, err := sp.reader()
	if err != nil {
		return err
	}
	failed, err := mailtext.ParseDSN(r)
	if err != nil {
		ss.s.log.Info("mail in: unreadable bounce dropped", "remote", ss.remote(), "err", err)
		return nil
	}
	n, err := ss.s.svc.MailBounced(ctx, failed)
	if err != nil {
		ss.s.log.Error("mail in: marking bounced addresses", "err", err)
		return reply(err)
	}
	ss.s.log.Info("mail in: bounce", "failed", len(failed), "marked", n)
	return nil
}

// refused logs a refusal: the person's mistakes as info, the server's
// trouble as an error with its cause.
func (ss *session) refused(stage, to string, err error) {
	args := []any{"stage", stage, "from", ss.from, "to", to, "remote", ss.remote(), "code", workroom.ErrorCode(err), "rule", workroom.ErrorRule(err), "err", err}
	if workroom.ServerFault(err) {
		ss.s.log.Error("mail in: refused", args...)
		return
	}
	ss.s.log.Info("mail in: refused", args...)
}

func (ss *session) remote() string {
	if a, ok := ss.conn.Conn().RemoteAddr().(*net.TCPAddr); ok {
		return a.IP.String()
	}
	return ss.conn.Conn().RemoteAddr().String()
}

// slogErrors is go-smtp's error log, into ours.
type slogErrors struct{ log *slog.Logger }

func (l slogErrors) Printf(format string, v ...any) {
	l.log.Warn("smtp: " + fmt.Sprintf(format, v...))
}

func (l slogErrors) Println(v ...any) {
	l.log.Warn("smtp: " + strings.TrimSpace(fmt.Sprintln(v...)))
}
