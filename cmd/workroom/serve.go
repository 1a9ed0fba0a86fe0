package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	charmlog "charm.land/log/v2"
	"github.com/workroom/workroom"
	"github.com/workroom/workroom/clamd"
	"github.com/workroom/workroom/command"
	"github.com/workroom/workroom/mail"
	"github.com/workroom/workroom/mailauth"
	"github.com/workroom/workroom/s3blobs"
	"github.com/workroom/workroom/sftp"
	"github.com/workroom/workroom/sshd"
	"github.com/workroom/workroom/store"
	"github.com/workroom/workroom/tui"
)

// DefaultShutdownGrace is how long running sessions get to finish on
// SIGTERM (--shutdown-grace).
const DefaultShutdownGrace = 10 * time.Second

// Files and folders inside the data folder.
const (
	storeFile = "workroom.db"
	outboxDir = "outbox"
	blobsDir  = "blobs" // content-addressed file bytes: blobs/ab/cdef…
	tmpDir    = "tmp"   // uploads in progress, cleared at start
	spoolDir  = "spool" // mail being received, cleared at start
)

// serve runs the server until ctx is cancelled (SIGTERM, SIGINT), then
// stops it in order: SSH sessions told and given cfg.ShutdownGrace to end,
// the mail sender stopped, the read marks kept in memory written, the
// store closed.
func serve(ctx context.Context, cfg serveConfig, logOut io.Writer) error {
	log := newLogger(cfg.LogFormat, logOut)
	startDebugPprof(log)
	data, err := filepath.Abs(cfg.Data)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, data)
	if err != nil {
		return err
	}
	defer closeStore(db, log)

	// The outbox goes to the service, which wakes it, and to the mail
	// sender alone: it checks no actor, so no transport gets it.
	outbox := workroom.NewOutbox(db, nil, log)
	outbox.SetRetry(cfg.Delivery.retry())
	relayTLS, err := cfg.Delivery.relayTLS(cfg.SMTPRelay)
	if err != nil {
		return err
	}
	blobs, err := openBlobs(ctx, cfg.Blobs, data, log)
	if err != nil {
		return err
	}
	hub, wireHub, leaveHub, err := openHub(ctx, db, cfg.Live, log)
	if err != nil {
		return err
	}
	defer leaveHub() // after the service closes, before the store does
	wcfg := workroom.Config{MailDomain: cfg.MailDomain, ConnectHint: mailConnectHint(cfg.SSHAddr, cfg.MailDomain), Admins: cfg.Admins, Limits: cfg.Limits,
		Outbox: outbox, MailWait: workroom.DefaultMailWait, ReadMarkInterval: cfg.ReadMarkInterval,
		Blobs: blobs, Scanner: scanner(ctx, cfg, log)}
	stopSharing := shareAcrossFrontEnds(db, &wcfg, log)
	defer stopSharing() // after the sessions end, before the store closes
	// Meeting mode's live state goes to the database too, so a meeting's
	// attendees may be on any front end.
	meetingSweep := func(*workroom.Service) {}
	if isPostgres(cfg.Store) {
		sweep, closeBook, err := shareMeetings(ctx, cfg.Store, workroom.MeetingSweepInterval, &wcfg, log)
		if err != nil {
			return err
		}
		defer closeBook() // after the service is closed
		meetingSweep = sweep
	}
	svc := workroom.NewService(db, hub, wcfg, log)
	defer closeService(svc, log) // before the store closes: it writes the read marks it keeps
	wireHub(svc)
	go meetingSweep(svc)
	// The retention sweep, at start and then every interval: a blob
	// nothing uses goes BlobGrace after a sweep first finds it so,
	// whether a crash, a refusal or a deletion left it.
	sweep(ctx, svc, log)
	go sweepEvery(ctx, svc, cfg.SweepInterval, log)
	term := tui.New(svc, log)
	// The notice shows for half the grace: read, then the UI quits by
	// itself before it would be ended.
	term.StoppingNotice = cfg.TerminalGrace / 2
	ssh, err := sshd.New(sshd.Config{Addr: cfg.SSHAddr, HostKeyPath: filepath.Join(data, sshd.HostKeyFile),
		MaxCommandLine: cfg.MaxCommandLine, HandshakeTimeout: cfg.HandshakeTimeout, TerminalGrace: cfg.TerminalGrace, Limits: cfg.SSHLimits,
		KeepaliveInterval: cfg.KeepaliveInterval, KeepaliveMax: cfg.KeepaliveMax,
		Subsystems: map[string]sshd.Subsystem{"sftp": sftp.New(svc, log)}},
		svc, term, command.New(svc, log), log)
	if err != nil {
		return err
	}
	// Listening here, not in a goroutine, makes a taken port an error
	// of the command rather than a log line.
	l, err := net.Listen("tcp", cfg.SSHAddr)
	if err != nil {
		return fmt.Errorf("ssh: %w", err)
	}
	sender := mail.NewSender(mail.SenderConfig{
		OutboxDir: filepath.Join(data, outboxDir),
		Relay:     cfg.SMTPRelay, RelayUser: cfg.SMTPRelayUser, RelayPassword: cfg.SMTPRelayPassword,
		Hostname: cfg.MailDomain, TLSConfig: relayTLS, Interval: cfg.Delivery.senderInterval(),
	}, outbox, log)

	smtpIn, smtpL, err := listenSMTP(cfg, data, svc, log)
	if err != nil {
		_ = l.Close()
		return err
	}

	sshDone := make(chan error, 1)
	go func() { sshDone <- ssh.Serve(l) }()
	smtpDone := make(chan error, 1)
	go func() { smtpDone <- smtpIn.Serve(smtpL) }()
	log.Info("smtp listening", "addr", smtpL.Addr().String())
	mailCtx, stopMail := context.WithCancel(context.Background())
	defer stopMail()
	mailDone := make(chan error, 1)
	go func() { mailDone <- sender.Run(mailCtx) }()

	log.Info("workroom serving", "data", data, "store", storeShown(cfg, data), "ssh", l.Addr().String(), "smtp", smtpL.Addr().String(), "mail", sender.Target(), "mail_give_up", cfg.Delivery.GiveUp,
		"connect", connectHint(l.Addr()))

	var failure error
	select {
	case <-ctx.Done():
		log.Info("stopping", "grace", cfg.ShutdownGrace)
	case err := <-sshDone:
		failure = fmt.Errorf("ssh: %w", err)
	case err := <-smtpDone:
		failure = fmt.Errorf("smtp: %w", err)
	case err := <-mailDone:
		failure = fmt.Errorf("mail: %w", err)
		mailDone <- nil // it has stopped; the wait below must not block
	}
	return errors.Join(failure, stop(ssh, smtpIn, cfg.ShutdownGrace, stopMail, mailDone, log))
}

// stop shuts SSH and SMTP in down within grace, then the mail sender.
func stop(ssh *sshd.Server, smtpIn *mail.Server, grace time.Duration, stopMail context.CancelFunc, mailDone <-chan error, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	smtpErr := make(chan error, 1)
	go func() { smtpErr <- smtpIn.Shutdown(ctx) }()
	err := ssh.Shutdown(ctx)
	if err != nil {
		log.Error("ssh shutdown", "err", err)
	}
	if serr := <-smtpErr; serr != nil {
		log.Error("smtp shutdown", "err", serr)
	}
	stopMail()
	<-mailDone
	return err
}

// listenSMTP makes SMTP in and listens on --smtp-addr. Mail is spooled
// under DATA/spool while it is read; what a crash left there goes now.
func listenSMTP(cfg serveConfig, data string, svc *workroom.Service, log *slog.Logger) (*mail.Server, net.Listener, error) {
	c := cfg.SMTP
	spool := filepath.Join(data, spoolDir)
	if err := os.RemoveAll(spool); err != nil {
		return nil, nil, fmt.Errorf("smtp spool: %w", err)
	}
	if err := os.MkdirAll(spool, 0o700); err != nil {
		return nil, nil, fmt.Errorf("smtp spool: %w", err)
	}
	sc := mail.ServerConfig{Domain: cfg.MailDomain, MaxSize: c.maxSize(), DataTimeout: c.DataTimeout, ReadTimeout: c.Timeout,
		MaxRecipients: c.MaxRecipients, MaxLineLength: c.MaxLineLength, Strict: c.Strict, SpoolDir: spool,
		Auth: &mailauth.Checker{TrustedAuthServ: c.TrustedAuthServ}}
	if c.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
		if err != nil {
			return nil, nil, fmt.Errorf("smtp: --smtp-tls-cert/--smtp-tls-key: %w", err)
		}
		sc.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	l, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, nil, fmt.Errorf("smtp: %w", err)
	}
	return mail.NewServer(sc, svc, log), l, nil
}

// openBlobs opens where file contents are kept — the blob folder, or
// the bucket --blobs names — and clears the temp files of uploads a
// crash cut off. Temp files are in DATA/tmp either way: an upload is
// written, hashed and scanned there before it is stored.
func openBlobs(ctx context.Context, blobsURL, data string, log *slog.Logger) (workroom.Blobs, error) {
	var blobs workroom.Blobs
	if blobsURL == "" {
		b, err := store.OpenBlobs(filepath.Join(data, blobsDir), filepath.Join(data, tmpDir))
		if err != nil {
			return nil, fmt.Errorf("blobs: %w", err)
		}
		blobs = b
	} else {
		cfg, err := s3blobs.ParseURL(blobsURL) // validate took it already
		if err != nil {
			return nil, fmt.Errorf("--blobs: %w", err)
		}
		b, err := s3blobs.Open(ctx, cfg, filepath.Join(data, tmpDir))
		if err != nil {
			return nil, fmt.Errorf("--blobs: %w", err)
		}
		log.Info("file contents in an object store", "blobs", cfg.String())
		blobs = b
	}
	if err := blobs.ClearTemp(); err != nil {
		log.Error("clearing the temp files of unfinished uploads", "err", err)
	}
	return blobs, nil
}

// scanner is the virus scanner uploads go through: clamd, unless the
// operator said --no-scan. An unreachable clamd does not stop the
// server: uploads are refused, saying so, until it answers.
func scanner(ctx context.Context, cfg serveConfig, log *slog.Logger) workroom.Scanner {
	if cfg.NoScan {
		log.Warn("VIRUS SCANNING IS OFF (--no-scan): uploads are stored without a scan and marked not scanned")
		return nil
	}
	c := clamd.New(cfg.Clamd)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := c.Ping(pctx); err != nil {
		log.Warn("virus scanner not reachable; uploads are refused until it answers (give --clamd ADDR, or --no-scan to run without one)", "clamd", cfg.Clamd, "err", err)
	} else {
		log.Info("virus scanner", "clamd", cfg.Clamd)
	}
	return c
}

// sweep runs the retention sweep once; what it removed is logged. A
// sweep running elsewhere (another front end) is no error: it does the
// same work.
func sweep(ctx context.Context, svc *workroom.Service, log *slog.Logger) {
	_, err := svc.Sweep(ctx)
	switch {
	case workroom.ErrorCode(err) == workroom.ECONFLICT:
		log.Info("retention sweep skipped: one is running elsewhere")
	case err != nil:
		log.Error("retention sweep", "err", err)
	}
}

// sweepEvery runs the retention sweep every interval until ctx ends.
func sweepEvery(ctx context.Context, svc *workroom.Service, interval time.Duration, log *slog.Logger) {
	every(ctx, interval, func() { sweep(ctx, svc, log) })
}

// every calls fn every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, fn func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn()
		}
	}
}

// closeService writes the read marks the service keeps in memory, once
// no session can make more.
func closeService(svc *workroom.Service, log *slog.Logger) {
	if err := svc.Close(context.Background()); err != nil {
		log.Error("writing read marks", "err", err)
	}
}

func closeStore(db closingStore, log *slog.Logger) {
	if err := db.Close(); err != nil {
		log.Error("closing the store", "err", err)
		return
	}
	log.Info("store closed")
}

// newLogger logs to w as text or JSON. The few lines the SSH libraries
// log themselves (through charm's default logger) go to w in the same
// shape, so a log reader sees one format.
func newLogger(format string, w io.Writer) *slog.Logger {
	charmlog.SetOutput(w)
	charmlog.SetTimeFormat(time.RFC3339)
	if format == "json" {
		charmlog.SetFormatter(charmlog.JSONFormatter)
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	charmlog.SetFormatter(charmlog.LogfmtFormatter)
	return slog.New(slog.NewTextHandler(w, nil))
}

// connectHint is the command a person on this machine runs to connect.
func connectHint(a net.Addr) string {
	host, port := "localhost", "2222"
	if t, ok := a.(*net.TCPAddr); ok {
		port = strconv.Itoa(t.Port)
		if !t.IP.IsUnspecified() && !t.IP.IsLoopback() {
			host = t.IP.String()
		}
	}
	return "ssh -p " + port + " " + host
}
