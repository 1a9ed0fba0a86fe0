// Package workroomtest is the service fixture for the tests of every way in
// (commands, the TUI, sshd, mail) and of the root package: a real
// workroom.Service over a bbolt file in t.TempDir() and a live hub, with a
// clock the test moves, and the few steps every suite takes to set a scene
// — sign people up, make a room, post, read the mailed code.
//
// It is for tests only: no non-test code imports it. What belongs to one
// suite (the command runner, the terminal emulator, the SSH client, real
// SSH keys) stays in that suite.
package workroomtest

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
	"github.com/workroom/workroom/store"
)

// MailDomain is the mail domain of a World's service: rooms are
// room-N@MailDomain.
const MailDomain = "test.localhost"

// Start is where a World's clock starts unless WithStart says otherwise.
var Start = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// World is a real service over a bbolt file in t.TempDir() and a live hub,
// with a clock the test moves. The store is closed when the test ends,
// after any cleanup registered later (a server using the service) has run.
type World struct {
	Svc *workroom.Service
	// Outbox is the service's outbox, on the World's clock: what a mail
	// sender under test delivers, and where a test reads mailed codes.
	Outbox *workroom.Outbox
	DB     *store.DB // the real store, also when WithStore wrapped it for Svc
	Hub    *live.Hub
	// Blobs keeps the service's files: a blob folder in t.TempDir(), or
	// what WithBlobs gave.
	Blobs workroom.Blobs

	realClock bool
	mu        sync.Mutex
	now       time.Time
}

// Option changes how New builds a World.
type Option func(*options)

type options struct {
	admins    []string
	log       *slog.Logger
	wrap      func(*store.DB) workroom.Store
	noSync    bool
	start     time.Time
	realClock bool
	limits    workroom.Limits
	limiter   workroom.Limiter
	mailWait  time.Duration
	connect   string
	readMarks time.Duration
	scanner   workroom.Scanner
	sweepLock workroom.SweepLock
	blobs     workroom.Blobs
}

// WithBlobs gives the service b for its files (an object store) instead
// of a blob folder in t.TempDir().
func WithBlobs(b workroom.Blobs) Option { return func(o *options) { o.blobs = b } }

// WithScanner gives the service a virus scanner; by default a World has
// none (files are marked not scanned, as with serve --no-scan).
func WithScanner(sc workroom.Scanner) Option { return func(o *options) { o.scanner = sc } }

// WithAdmins names the administrators (key fingerprints or emails) in the
// service's configuration.
func WithAdmins(admins ...string) Option { return func(o *options) { o.admins = admins } }

// WithLogger gives the service a logger; by default it logs nothing.
func WithLogger(log *slog.Logger) Option { return func(o *options) { o.log = log } }

// WithStore hands the service wrap(db) instead of the bbolt store itself,
// for a test that changes what the store does. A nil wrap changes nothing.
func WithStore(wrap func(*store.DB) workroom.Store) Option {
	return func(o *options) { o.wrap = wrap }
}

// NoSync opens the store without an fsync per commit (store.NoSync), for
// suites that commit a lot and never crash on purpose.
func NoSync() Option { return func(o *options) { o.noSync = true } }

// WithLimits gives the service rate limits; by default a World has none
// (workroom.NoLimits), since most suites set a scene faster than any
// person could. workroom.Limits{} is the server's defaults.
func WithLimits(l workroom.Limits) Option { return func(o *options) { o.limits = l } }

// WithLimiter gives the service its rate limiter (the service's in-memory
// one by default), for a test that watches what is counted.
func WithLimiter(l workroom.Limiter) Option { return func(o *options) { o.limiter = l } }

// WithSweepLock gives the service its sweep lock (Config.SweepLock), for
// a test that plays another front end holding it.
func WithSweepLock(l workroom.SweepLock) Option { return func(o *options) { o.sweepLock = l } }

// WithConnectHint sets the command notification mails name to reach the
// server (Config.ConnectHint).
func WithConnectHint(hint string) Option { return func(o *options) { o.connect = hint } }

// WithMailWait sets Config.MailWait: how long an action that mails a code
// waits for the mail to leave the outbox (none by default).
func WithMailWait(d time.Duration) Option { return func(o *options) { o.mailWait = d } }

// WithReadMarkInterval sets how often the service writes the read marks
// it keeps in memory (workroom.Config.ReadMarkInterval).
func WithReadMarkInterval(d time.Duration) Option { return func(o *options) { o.readMarks = d } }

// WithStart starts the clock at t instead of Start.
func WithStart(t time.Time) Option { return func(o *options) { o.start = t } }

// WithRealClock makes the service read the wall clock, for suites whose
// server runs on real time (ordering by last activity, sessions that wait);
// Advance is then a mistake.
func WithRealClock() Option { return func(o *options) { o.realClock = true } }

// New returns a World for the test; its store is closed when the test ends.
func New(t testing.TB, opts ...Option) *World {
	t.Helper()
	o := options{log: slog.New(slog.DiscardHandler), start: Start, limits: workroom.NoLimits}
	for _, opt := range opts {
		opt(&o)
	}
	var storeOpts []store.Option
	if o.noSync {
		storeOpts = append(storeOpts, store.NoSync())
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "workroom.db"), storeOpts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	var st workroom.Store = db
	if o.wrap != nil {
		st = o.wrap(db)
	}
	blobs := o.blobs
	if blobs == nil {
		dir := t.TempDir()
		if blobs, err = store.OpenBlobs(filepath.Join(dir, "blobs"), filepath.Join(dir, "tmp")); err != nil {
			t.Fatal(err)
		}
	}
	w := &World{DB: db, Blobs: blobs, realClock: o.realClock, now: o.start}
	w.Hub = live.NewWithClock(w.Now) // last seen, and how long a session has been stuck, follow the World's clock
	w.Outbox = workroom.NewOutbox(st, w.Now, o.log)
	w.Svc = workroom.NewService(st, w.Hub, workroom.Config{
		MailDomain:  MailDomain,
		Admins:      o.admins,
		Now:         w.Now,
		Limits:      o.limits,
		Limiter:     o.limiter,
		Outbox:      w.Outbox,
		MailWait:    o.mailWait,
		ConnectHint: o.connect,

		ReadMarkInterval: o.readMarks,
		Blobs:            blobs,
		Scanner:          o.scanner,
		SweepLock:        o.sweepLock,
	}, o.log)
	// Before the store closes (cleanups run last first): the service
	// writes the read marks it keeps.
	t.Cleanup(func() { _ = w.Svc.Close(context.Background()) })
	return w
}

// Now is the World's clock, the service's Config.Now; pass it to whatever
// else under test reads the time.
func (w *World) Now() time.Time {
	if w.realClock {
		return time.Now()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

// Advance moves the clock by d (back, when d is negative).
func (w *World) Advance(d time.Duration) {
	if w.realClock {
		panic("workroomtest: Advance on a World with the real clock")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

// Key is a made-up key for name with a readable fingerprint
// ("SHA256:"+name). Its authorized form is a real ed25519 public key made
// from name, so workroom.CheckKey accepts it; the fingerprint is not that
// key's, which the service never checks (transports compute both with
// workroom.KeyOf).
func Key(name string) workroom.Key {
	seed := sha256.Sum256([]byte(name))
	pk, err := ssh.NewPublicKey(ed25519.NewKeyFromSeed(seed[:]).Public())
	if err != nil {
		panic(err)
	}
	return workroom.Key{Fingerprint: "SHA256:" + name, Authorized: workroom.KeyOf(pk).Authorized}
}

// AsKey returns a context acting as whoever holds key, as sshd builds it:
// the key and, when the key belongs to an account, the account.
func (w *World) AsKey(t testing.TB, key workroom.Key) context.Context {
	t.Helper()
	id, err := w.Svc.Authenticate(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return workroom.NewContextWithIdentity(context.Background(), id)
}

// AddKey adds key to id's account the way people do: a link code from
// the account, presented by a connection with key.
func (w *World) AddKey(t testing.TB, id *workroom.Identity, key workroom.Key) {
	t.Helper()
	code, _, err := w.Svc.NewLinkCode(As(id))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Svc.LinkKey(w.AsKey(t, key), code); err != nil {
		t.Fatal(err)
	}
}

// Email is the address people named name sign up with: the name in lower
// case without spaces, at example.com ("Ada" → ada@example.com).
func Email(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, " ", "")) + "@example.com"
}

// SignUp creates an account for Key(name) with Email(name), through the
// service, and returns who that key is.
func (w *World) SignUp(t testing.TB, name string) *workroom.Identity {
	t.Helper()
	k := Key(name)
	u, err := w.Svc.SignUp(context.Background(), k, name, Email(name))
	if err != nil {
		t.Fatal(err)
	}
	return &workroom.Identity{Key: k, User: u}
}

// As returns a context acting as id's account.
func As(id *workroom.Identity) context.Context {
	return workroom.NewContextWithUser(context.Background(), id.User)
}

// Room makes a room the way people do: client posts a job with title,
// freelancer proposes, client awards.
func (w *World) Room(t testing.TB, client, freelancer *workroom.Identity, title string) *workroom.Room {
	t.Helper()
	j, err := w.Svc.PostJob(As(client), title, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.Svc.Propose(As(freelancer), j.ID, "I can do it")
	if err != nil {
		t.Fatal(err)
	}
	r, err := w.Svc.Award(As(client), j.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Post posts body to room as id, as the post command does.
func (w *World) Post(t testing.TB, id *workroom.Identity, room workroom.RoomID, body string) *workroom.Message {
	t.Helper()
	m, err := w.Svc.Post(As(id), room, body, workroom.SourceCommand)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var codeLine = regexp.MustCompile(`(?m)^(?:Verification|Link) code: (\S+)$`)

// Code returns the code in the newest verification or recovery mail to
// email that the outbox holds and is due now; the test fails when there is
// none.
func (w *World) Code(t testing.TB, email string) string {
	t.Helper()
	mails, err := w.Outbox.Pending(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	code := ""
	for _, m := range mails {
		if m.To == email {
			if c := codeLine.FindStringSubmatch(m.Body); c != nil {
				code = c[1]
			}
		}
	}
	if code == "" {
		t.Fatalf("no code mailed to %s among %d mails", email, len(mails))
	}
	return code
}

// Upload stores data as path in room for id, through the one upload
// pipeline, and returns what was stored.
func (w *World) Upload(t testing.TB, id *workroom.Identity, room workroom.RoomID, path string, data []byte) *workroom.Committed {
	t.Helper()
	c, err := UploadBytes(As(id), w.Svc, room, path, data, workroom.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// UploadBytes runs one upload of data, in one write, and commits it.
func UploadBytes(ctx context.Context, svc *workroom.Service, room workroom.RoomID, path string, data []byte, opts workroom.UploadOptions) (*workroom.Committed, error) {
	up, err := svc.StartUpload(ctx, room, path, opts)
	if err != nil {
		return nil, err
	}
	if _, err := up.WriteAt(data, 0); err != nil {
		up.Abort()
		return nil, err
	}
	return up.Commit(ctx)
}
