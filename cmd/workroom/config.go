package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/clamd"
	"github.com/workroom/workroom/mail"
	"github.com/workroom/workroom/s3blobs"
	"github.com/workroom/workroom/sshd"
)

// serveConfig is everything `workroom serve` is told by flags and the
// environment.
type serveConfig struct {
	Data string
	// Store is where the data lives: "" for the embedded bbolt file in
	// Data, or a postgres:// URL (storeconfig.go).
	Store             string
	SSHAddr           string
	MailDomain        string
	SMTPRelay         string
	SMTPRelayUser     string
	SMTPRelayPassword string
	Admins            []string
	LogFormat         string
	MaxCommandLine    int
	Limits            workroom.Limits
	// SSHLimits bound what one SSH client may hold (sshd.Limits).
	SSHLimits        sshd.Limits
	HandshakeTimeout time.Duration
	// ShutdownGrace is how long running sessions have to finish on
	// SIGTERM; TerminalGrace how long terminal UIs and subsystem
	// sessions have before they are ended (sshd.Config.TerminalGrace).
	ShutdownGrace, TerminalGrace time.Duration
	// ReadMarkInterval is how often read marks are written behind.
	ReadMarkInterval time.Duration
	// SweepInterval is how often the retention sweep runs.
	SweepInterval time.Duration
	// KeepaliveInterval and KeepaliveMax bound how long a client that
	// vanished stays connected, and present (sshd.Config).
	KeepaliveInterval time.Duration
	KeepaliveMax      int
	// Blobs names the object store that keeps file contents
	// (s3blobs.URLForm); empty: the blob folder DATA/blobs.
	Blobs string
	// Clamd is the virus scanner's address; NoScan runs without one.
	Clamd  string
	NoScan bool

	// Delivery is how outgoing mail is retried (delivery.go).
	Delivery deliveryConfig
	// SMTP is SMTP in (mail/server.go).
	SMTP smtpConfig
	// Live is the hub across front ends, with a PostgreSQL store
	// (livehub.go).
	Live liveConfig
}

// smtpConfig is what the SMTP flags say.
type smtpConfig struct {
	Addr                 string
	TLSCert, TLSKey      string
	MaxSize              string // a size as people write it: 150M
	DataTimeout, Timeout time.Duration
	MaxRecipients        int
	MaxLineLength        int
	Strict               bool
	TrustedAuthServ      string
}

// envPrefix starts the environment variable of every flag:
// --ssh-addr is WORKROOM_SSH_ADDR.
const envPrefix = "WORKROOM_"

// envName is the environment variable that sets a flag.
func envName(flag string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// bindServeFlags declares serve's flags on fs, each naming its variable.
func bindServeFlags(fs *pflag.FlagSet, c *serveConfig) {
	str := func(p *string, name, def, usage string) {
		fs.StringVar(p, name, def, fmt.Sprintf("%s (env %s)", usage, envName(name)))
	}
	str(&c.Data, "data", "./data", "data folder: the store, the SSH host key, and outgoing mail in outbox/ when no relay is set; made when missing")
	str(&c.Store, "store", "", "where accounts, rooms and messages live: empty for the embedded file DATA/"+storeFile+"; a postgres:// or postgresql:// URL for PostgreSQL, which several servers may share (its schema is made and migrated at start; a password is better given as PGPASSWORD than in the URL)")
	str(&c.SSHAddr, "ssh-addr", ":2222", "address for SSH (terminal UI and commands); port 0 picks a free port, logged as \"ssh listening\"")
	str(&c.MailDomain, "mail-domain", "workroom.localhost", "domain of the server's mail addresses (noreply@DOMAIN)")
	str(&c.SMTPRelay, "smtp-relay", "", "SMTP relay HOST:PORT for outgoing mail; empty writes each mail as a .eml file under DATA/outbox/")
	str(&c.SMTPRelayUser, "smtp-relay-user", "", "user name for the relay (AUTH PLAIN, sent only over TLS or to loopback)")
	str(&c.SMTPRelayPassword, "smtp-relay-password", "", "password for the relay; prefer the environment variable, as a flag shows in ps")
	fs.StringArrayVar(&c.Admins, "admin", nil, fmt.Sprintf("an administrator, by key fingerprint (SHA256:…) or verified email; repeat for more (env %s, comma-separated)", envName("admin")))
	str(&c.LogFormat, "log-format", "text", "log format on stderr: text or json")
	fs.IntVar(&c.MaxCommandLine, "max-command-line", sshd.DefaultMaxCommandLine, fmt.Sprintf(
		"longest SSH command line in bytes; a longer one is refused before it is read (long text goes on stdin) (env %s)", envName("max-command-line")))
	fs.DurationVar(&c.ReadMarkInterval, "read-mark-interval", workroom.DefaultReadMarkInterval, fmt.Sprintf(
		"how often read marks kept in memory are written to the store; a crash loses at most this long of reading (env %s)", envName("read-mark-interval")))
	fs.DurationVar(&c.SweepInterval, "sweep-interval", workroom.DefaultSweepInterval, fmt.Sprintf(
		"how often the retention sweep runs (unhired proposals' files, idle completed workrooms' files, unused blobs); also at start (env %s)", envName("sweep-interval")))
	str(&c.Blobs, "blobs", "", "where file contents are kept: empty for the blob folder DATA/blobs, or an S3-compatible bucket as "+s3blobs.URLForm+
		" (HTTPS unless the endpoint is written http://; credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; uploads are still written and scanned in DATA/tmp first)")
	str(&c.Clamd, "clamd", clamd.DefaultAddr, "virus scanner: clamd's host:port or unix socket path; uploads are refused while it cannot be reached")
	fs.BoolVar(&c.NoScan, "no-scan", false, fmt.Sprintf("store uploads without a virus scan (the only way to run without clamd; logged loudly at start) (env %s)", envName("no-scan")))
	bindDeliveryFlags(fs, &c.Delivery)
	bindRateFlags(fs, &c.Limits)
	bindLimitFlags(fs, c)
	bindSMTPFlags(fs, &c.SMTP)
	bindLiveFlags(fs, &c.Live)
}

// bindSMTPFlags declares the flags of SMTP in.
func bindSMTPFlags(fs *pflag.FlagSet, c *smtpConfig) {
	str := func(p *string, name, def, usage string) {
		fs.StringVar(p, name, def, fmt.Sprintf("%s (env %s)", usage, envName(name)))
	}
	dur := func(p *time.Duration, name string, def time.Duration, usage string) {
		fs.DurationVar(p, name, def, fmt.Sprintf("%s (env %s)", usage, envName(name)))
	}
	num := func(p *int, name string, def int, usage string) {
		fs.IntVar(p, name, def, fmt.Sprintf("%s (env %s)", usage, envName(name)))
	}
	str(&c.Addr, "smtp-addr", ":2525", "address for SMTP in (mail to room-N@ and reply addresses); port 0 picks a free port, logged as \"smtp listening\"")
	str(&c.TLSCert, "smtp-tls-cert", "", "PEM certificate file for STARTTLS on SMTP in (with --smtp-tls-key); empty: no STARTTLS")
	str(&c.TLSKey, "smtp-tls-key", "", "PEM private key file for STARTTLS on SMTP in")
	str(&c.MaxSize, "smtp-max-size", workroom.FormatSize(mail.DefaultMaxSize), "largest mail SMTP in takes, advertised as SIZE; the default lets a 100 MB file through base64")
	dur(&c.DataTimeout, "smtp-data-timeout", mail.DefaultDataTimeout, "time a client has to send a whole mail after DATA")
	dur(&c.Timeout, "smtp-timeout", mail.DefaultReadTimeout, "time a client has to send each SMTP command")
	num(&c.MaxRecipients, "smtp-max-recipients", mail.DefaultMaxRecipients, "most RCPT TO per mail (one workroom address is taken per mail; the rest are deferred with 452)")
	num(&c.MaxLineLength, "smtp-max-line-length", mail.DefaultMaxLineLength, "longest line SMTP in reads, in bytes; a longer one is refused with 500")
	fs.BoolVar(&c.Strict, "smtp-strict", false, fmt.Sprintf("refuse mail whose sender cannot be authenticated (no DMARC policy and no aligned DKIM or SPF pass) instead of posting it marked unverified (env %s)", envName("smtp-strict")))
	str(&c.TrustedAuthServ, "smtp-trusted-authserv", "", "behind a trusted MTA: judge senders by its Authentication-Results with this authserv-id (others are ignored) instead of checking DKIM, SPF and DMARC here")
}

// bindLimitFlags declares the flags of the SSH limits.
func bindLimitFlags(fs *pflag.FlagSet, c *serveConfig) {
	num := func(p *int, name string, def int, usage string) {
		fs.IntVar(p, name, def, fmt.Sprintf("%s (env %s)", usage, envName(name)))
	}
	dur := func(p *time.Duration, name string, def time.Duration, usage string) {
		fs.DurationVar(p, name, def, fmt.Sprintf("%s (env %s)", usage, envName(name)))
	}
	l := &c.SSHLimits
	num(&l.MaxTermWidth, "max-term-width", sshd.DefaultMaxTermWidth, "widest terminal the TUI draws for, in columns; a wider one is clamped, not refused")
	num(&l.MaxTermHeight, "max-term-height", sshd.DefaultMaxTermHeight, "tallest terminal the TUI draws for, in rows; a taller one is clamped, not refused")
	num(&l.MaxSessions, "max-sessions", sshd.DefaultMaxSessions, "sessions open at once on one SSH connection (like OpenSSH's MaxSessions)")
	num(&l.MaxConnsPerAddr, "max-conns-per-addr", sshd.DefaultMaxConnsPerAddr, "SSH connections open at once from one source address")
	num(&l.MaxConnsPerAccount, "max-conns-per-account", sshd.DefaultMaxConnsPerAccount, "SSH connections with sessions open at once for one account")
	num(&l.MaxStartups, "max-startups", sshd.DefaultMaxStartups, "SSH connections still in their handshake at once, from everywhere")
	dur(&c.HandshakeTimeout, "handshake-timeout", sshd.DefaultHandshakeTimeout, "time a connection has to finish the SSH handshake and log in")
	dur(&l.IdleTimeout, "idle-timeout", sshd.DefaultIdleTimeout, "closes a connection with no session for this long, and ends a session of a key with no account (the sign-up screen) after this long without input")
	dur(&c.ShutdownGrace, "shutdown-grace", DefaultShutdownGrace, "on SIGTERM, time running uploads (sftp, put) and SSH commands have to finish; then they are ended, unfinished uploads discarded, and every connection closed")
	dur(&c.KeepaliveInterval, "ssh-keepalive-interval", sshd.DefaultKeepaliveInterval, "how often the server asks each SSH client whether it is still there")
	num(&c.KeepaliveMax, "ssh-keepalive-max", sshd.DefaultKeepaliveMax, "keepalives a client may leave unanswered before its connection is closed; a client that vanished (network gone, laptop shut) leaves presence within interval × (max+1)")
	dur(&c.TerminalGrace, "terminal-grace", sshd.DefaultTerminalGrace, "on SIGTERM, time terminal UIs (which show \"the server is stopping\" for half of it) have before they are ended; new sessions meanwhile are told the server is stopping")
}

// applyEnv sets every flag the command line did not set from its
// environment variable, so a flag always wins over the environment and
// the environment over the default. A list flag takes a comma-separated
// value.
func applyEnv(fs *pflag.FlagSet, getenv func(string) (string, bool)) error {
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		v, ok := getenv(envName(f.Name))
		if !ok || f.Changed || err != nil {
			return
		}
		values := []string{v}
		if f.Value.Type() == "stringArray" {
			values = splitList(v)
		}
		for _, v := range values {
			if serr := fs.Set(f.Name, v); serr != nil {
				err = fmt.Errorf("%s: %w", envName(f.Name), serr)
				return
			}
		}
	})
	return err
}

// splitList splits a comma-separated value, dropping blanks.
func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// validate checks what flags alone cannot.
func (c *serveConfig) validate() error {
	switch {
	case c.Data == "":
		return fmt.Errorf("--data must name a folder")
	case !validStore(c.Store):
		return fmt.Errorf("--store must be empty (the embedded store in --data) or a postgres:// or postgresql:// URL, not %q", redactStore(c.Store))
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	case c.MaxCommandLine < 1:
		return fmt.Errorf("--max-command-line must be 1 or more bytes, not %d", c.MaxCommandLine)
	}
	if c.Blobs != "" {
		if _, err := s3blobs.ParseURL(c.Blobs); err != nil {
			return fmt.Errorf("--blobs: %w", err)
		}
	}
	if err := c.Delivery.validate(); err != nil {
		return err
	}
	if err := c.SMTP.validate(); err != nil {
		return err
	}
	if err := c.Live.validate(); err != nil {
		return err
	}
	return c.validateLimits()
}

// validate checks the SMTP flags.
func (c *smtpConfig) validate() error {
	n, err := workroom.ParseSize(c.MaxSize)
	switch {
	case err != nil || n < 1:
		return fmt.Errorf("--smtp-max-size must be a size such as 150M, not %q", c.MaxSize)
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return fmt.Errorf("--smtp-tls-cert and --smtp-tls-key go together: give both, or neither")
	case c.DataTimeout <= 0 || c.Timeout <= 0:
		return fmt.Errorf("--smtp-data-timeout and --smtp-timeout must be positive durations such as 10m")
	case c.MaxRecipients < 1 || c.MaxLineLength < 1000:
		return fmt.Errorf("--smtp-max-recipients must be at least 1 and --smtp-max-line-length at least 1000 (RFC 5321)")
	}
	return nil
}

// maxSize is --smtp-max-size in bytes; validate checked it.
func (c *smtpConfig) maxSize() int64 {
	n, _ := workroom.ParseSize(c.MaxSize)
	return n
}

// validateLimits refuses a limit of zero or less: every limit is on.
func (c *serveConfig) validateLimits() error {
	l := c.SSHLimits
	for _, n := range []struct {
		flag string
		v    int
	}{
		{"max-term-width", l.MaxTermWidth}, {"max-term-height", l.MaxTermHeight}, {"max-sessions", l.MaxSessions},
		{"max-conns-per-addr", l.MaxConnsPerAddr}, {"max-conns-per-account", l.MaxConnsPerAccount}, {"max-startups", l.MaxStartups}, {"ssh-keepalive-max", c.KeepaliveMax},
	} {
		if n.v <= 0 {
			return fmt.Errorf("--%s must be at least 1, not %d", n.flag, n.v)
		}
	}
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"handshake-timeout", c.HandshakeTimeout}, {"idle-timeout", l.IdleTimeout}, {"shutdown-grace", c.ShutdownGrace}, {"terminal-grace", c.TerminalGrace}, {"read-mark-interval", c.ReadMarkInterval}, {"sweep-interval", c.SweepInterval}, {"ssh-keepalive-interval", c.KeepaliveInterval}} {
		if d.v <= 0 {
			return fmt.Errorf("--%s must be a positive duration such as 30s or 10m, not %s", d.flag, d.v)
		}
	}
	if c.TerminalGrace > c.ShutdownGrace {
		return fmt.Errorf("--terminal-grace (%s) must not be longer than --shutdown-grace (%s), which bounds the whole shutdown", c.TerminalGrace, c.ShutdownGrace)
	}
	return nil
}
