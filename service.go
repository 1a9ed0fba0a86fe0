// Package workroom is the domain of the workroom server: a client and a
// freelancer, and the people the client invites, share one place per job —
// messages, presence, files, email. This package holds the types, the
// permission matrix, the rules and Service, which every way in (the TUI,
// SFTP, email, SSH commands) calls. It imports none of the server's other
// packages; they adapt their dependency to the interfaces declared here.
package workroom

import (
	"log/slog"
	"time"
)

// Config is what the service needs to know of the server's configuration.
type Config struct {
	// MailDomain is the domain of room addresses and of the server's own
	// mail (room-42@MailDomain, noreply@MailDomain).
	MailDomain string
	// ConnectHint is the command that reaches this server's terminal,
	// "ssh -p 2222 workroom.localhost", which mail tells people to run;
	// "" means "ssh " + MailDomain.
	ConnectHint string
	// Admins are key fingerprints or verified emails of administrators.
	Admins []string
	// Now is the clock; nil means time.Now. Rate limits count by it too.
	Now func() time.Time
	// Limits are the rate limits; a zero Rate in it is the default.
	Limits Limits
	// Limiter counts events for the limits; nil means a MemoryLimiter for
	// this process, so a service is never built unlimited by accident.
	Limiter Limiter
	// AccountConns counts the connections each account holds open
	// (accountconns.go); nil means a MemoryAccountConns for this process.
	// Several front ends over one database share one.
	AccountConns AccountConns
	// SweepLock lets one retention sweep run at a time (sweeplock.go);
	// nil means a LocalSweepLock for this process. Several front ends
	// over one database share one.
	SweepLock SweepLock
	// BlobHolds keeps the blobs uploads are storing from the blob
	// collection (blobhold.go); nil means a MemoryBlobHolds for this
	// process. Several front ends over one database and one bucket
	// share one.
	BlobHolds BlobHolds
	// Outbox is woken when the service enqueues mail; the same one goes
	// to the mail sender. nil: an outbox of the service's own, which no
	// sender reads (tests that look into the store).
	Outbox *Outbox
	// MailWait is how long an action that mails a code waits for the
	// outbox sender to hand the mail over before answering (mailwait.go);
	// 0 does not wait, for a process with no sender.
	MailWait time.Duration
	// ReadMarkInterval is how often read marks kept in memory are written
	// (readmark.go); zero means DefaultReadMarkInterval.
	ReadMarkInterval time.Duration
	// Blobs keeps the bytes of files; nil: the server stores no files
	// (uploads are refused).
	Blobs Blobs
	// Scanner checks every upload for viruses; nil only when the
	// operator chose to run without one (versions are marked not
	// scanned).
	Scanner Scanner
	// Meetings keeps meeting mode's requests and running meetings; nil
	// means NewMemoryMeetings, this process's own. Front ends that share
	// a database share one (the postgres package), and run
	// SweepMeetings.
	Meetings MeetingBook
}

// Service enforces every rule of the product. Methods take the acting user
// from the context (NewContextWithUser) and check what that user may do.
// Close it before closing the store: it writes the read marks it keeps.
type Service struct {
	store   Store
	hub     Hub
	cfg     Config
	limiter Limiter
	conns   AccountConns
	sweeps  SweepLock
	log     *slog.Logger
	outbox  *Outbox
	access  accessRegistry // who is watching which key (access.go)
	reads   *readMarks     // read marks not yet written (readmark.go)
	seen    *lastSeens     // last-seen times not yet written (lastseen.go)
	blobs   Blobs
	scanner Scanner
	reserve reservations // quota held by uploads in flight (quota.go)
	holds   BlobHolds    // blobs stored whose version is not yet recorded (blobhold.go)
	stop    stopping     // closed by Shutdown (shutdown.go)
	// meetings are the requests and running meetings (meeting.go),
	// typists who is typing in the sessions of this process.
	meetings MeetingBook
	typists  typists
	absent   absentees // attendees no front end showed at the last sweep (meetingsweep.go)
}

// NewService returns a service over a store and a hub.
func NewService(store Store, hub Hub, cfg Config, log *slog.Logger) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MailDomain == "" {
		cfg.MailDomain = "workroom.localhost"
	}
	cfg.Limits = cfg.Limits.withDefaults()
	limiter := cfg.Limiter
	if limiter == nil {
		limiter = NewMemoryLimiter(MemoryLimiterKeys)
	}
	conns := cfg.AccountConns
	if conns == nil {
		conns = NewMemoryAccountConns()
	}
	sweeps := cfg.SweepLock
	if sweeps == nil {
		sweeps = &LocalSweepLock{}
	}
	outbox := cfg.Outbox
	if outbox == nil {
		outbox = NewOutbox(store, cfg.Now, log)
	}
	holds := cfg.BlobHolds
	if holds == nil {
		holds = NewMemoryBlobHolds(store)
	}
	meetings := cfg.Meetings
	if meetings == nil {
		meetings = NewMemoryMeetings()
	}
	return &Service{store: store, hub: hub, cfg: cfg, limiter: limiter, conns: conns, sweeps: sweeps, holds: holds, log: log, outbox: outbox, meetings: meetings,
		reads: newReadMarks(store, log, cfg.ReadMarkInterval), seen: newLastSeens(store, log, cfg.ReadMarkInterval), blobs: cfg.Blobs, scanner: cfg.Scanner,
		stop: stopping{ch: make(chan struct{})}}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }
