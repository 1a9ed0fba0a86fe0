package workroom

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Rate is how often one actor may do one thing: N events per Per, of which
// up to Burst may come at once (a token bucket holding Burst tokens,
// refilled at N per Per). Strangers on the internet sign up, mail and post
// as fast as a program can; a rate is what keeps one of them from filling
// the store or someone's mailbox.
type Rate struct {
	N     int
	Per   time.Duration
	Burst int  // 0: N
	Off   bool // no limit at all (benchmarks, a private test server)
}

// String is the rate as the flags take it: "60/m", "5/h", "off".
func (r Rate) String() string {
	if r.Off {
		return "off"
	}
	unit := r.Per.String() // 10m0s, 1h30m0s, 2h0m0s
	if strings.HasSuffix(unit, "m0s") {
		unit = strings.TrimSuffix(strings.TrimSuffix(unit, "0s"), "h0m")
		if !strings.HasSuffix(unit, "m") {
			unit += "h"
		}
	}
	switch r.Per {
	case time.Second:
		unit = "s"
	case time.Minute:
		unit = "m"
	case time.Hour:
		unit = "h"
	case 24 * time.Hour:
		unit = "d"
	}
	return fmt.Sprintf("%d/%s", r.N, unit)
}

// ParseRate reads a rate as an operator writes it: N/UNIT where UNIT is
// s, m, h or d (or second, minute, hour, day) or a duration such as 10m;
// "off" for no limit.
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return Rate{Off: true}, nil
	}
	n, unit, ok := strings.Cut(s, "/")
	count, err := strconv.Atoi(n)
	if !ok || err != nil || count < 1 || n != strconv.Itoa(count) {
		return Rate{}, fmt.Errorf("%q is not a rate; write N/UNIT such as 60/m, 5/h or 100/d, or off", s)
	}
	units := map[string]time.Duration{
		"s": time.Second, "sec": time.Second, "second": time.Second,
		"m": time.Minute, "min": time.Minute, "minute": time.Minute,
		"h": time.Hour, "hour": time.Hour,
		"d": 24 * time.Hour, "day": 24 * time.Hour,
	}
	per, ok := units[unit]
	if !ok {
		if per, err = time.ParseDuration(unit); err != nil || per < time.Second {
			return Rate{}, fmt.Errorf("%q: the unit must be s, m, h, d or a duration of a second or more, such as 10m", s)
		}
	}
	return Rate{N: count, Per: per}, nil
}

// interval is the time one event's token takes to come back.
func (r Rate) interval() time.Duration { return r.Per / time.Duration(r.N) }

// burst is how many events may come at once.
func (r Rate) burst() int {
	if r.Burst > 0 {
		return r.Burst
	}
	return r.N
}

// Limiter counts events per key and says when one more is too many. Keys
// are strings such as "signup:addr:192.0.2.7" or "message:user:42", so a
// shared implementation (a table in a database behind several servers) can
// back it as well as the in-memory one. The caller passes the time, so the
// service's clock is the only clock.
type Limiter interface {
	// Allow counts one event for key at now if the rate allows it and
	// returns 0; otherwise it counts nothing and returns how long until
	// the event would be allowed. An error means the limiter could not
	// decide (its backend is down); the service refuses the action then.
	Allow(ctx context.Context, key string, r Rate, now time.Time) (retryAfter time.Duration, err error)
}

// Limits are the rates of what strangers can do in bulk. Each counts per
// account (or per key before there is one) and per source address; an
// address gets addressShare times the per-account rate (sign-ups excepted),
// since an office or a household shares one address. A zero Rate is the
// default.
type Limits struct {
	SignUps     Rate // per key and per address, not shared (default 5/h)
	VerifyMails Rate // verification codes mailed again, per account and address (default 3/h: under the daily cap of MaxCodeMailsPerAddress with the sign-up mail)
	Jobs        Rate // job posts (default 20/h)
	Proposals   Rate // proposals (default 30/h)
	Messages    Rate // messages posted, from any way in (default 60/m)
	// Sessions are sessions opened (a terminal, a command, later a file
	// transfer), per account or key and per address (default 30/s): far
	// above what a person or a script of theirs does, far below a flood
	// that would take the server's time from everyone else.
	Sessions Rate
	// Invitations are people invited into workrooms, per account and
	// address (default 20/h): each may mail an address of the inviter's
	// choosing.
	Invitations Rate
}

// DefaultLimits are the limits of a server whose operator set none.
var DefaultLimits = Limits{
	SignUps:     Rate{N: 5, Per: time.Hour},
	VerifyMails: Rate{N: 3, Per: time.Hour},
	Jobs:        Rate{N: 20, Per: time.Hour},
	Proposals:   Rate{N: 30, Per: time.Hour},
	Messages:    Rate{N: 60, Per: time.Minute},
	Sessions:    Rate{N: 30, Per: time.Second},
	Invitations: Rate{N: 20, Per: time.Hour},
}

// NoLimits turns every rate limit off, for benchmarks and tests that do
// many things quickly on purpose.
var NoLimits = Limits{
	SignUps: Rate{Off: true}, VerifyMails: Rate{Off: true}, Jobs: Rate{Off: true},
	Proposals: Rate{Off: true}, Messages: Rate{Off: true}, Sessions: Rate{Off: true},
	Invitations: Rate{Off: true},
}

// addressShare is how many accounts' worth of a rate one source address
// gets: people behind one NAT must not lock each other out, yet one
// address cannot multiply its rate by opening accounts.
const addressShare = 4

// withDefaults fills each zero rate from DefaultLimits.
func (l Limits) withDefaults() Limits {
	fill := func(r *Rate, def Rate) {
		if *r == (Rate{}) {
			*r = def
		}
	}
	fill(&l.SignUps, DefaultLimits.SignUps)
	fill(&l.VerifyMails, DefaultLimits.VerifyMails)
	fill(&l.Jobs, DefaultLimits.Jobs)
	fill(&l.Proposals, DefaultLimits.Proposals)
	fill(&l.Messages, DefaultLimits.Messages)
	fill(&l.Sessions, DefaultLimits.Sessions)
	fill(&l.Invitations, DefaultLimits.Invitations)
	return l
}

// times is r for n accounts together.
func (r Rate) times(n int) Rate {
	r.Burst = r.burst() * n
	r.N *= n
	return r
}

// action names what is limited, in keys and in the refusal.
type action struct {
	key   string // "message"
	what  string // "messages", as in "too many messages"
	share int    // accounts' worth of the rate a source address gets
}

var (
	// One address, one sign-up rate: a person signs up once, so an office
	// needs no share, and every sign-up mails an address of the caller's
	// choosing.
	actSignUp      = action{"signup", "sign-ups", 1}
	actVerifyMail  = action{"verifymail", "verification mails", addressShare}
	actPostJob     = action{"job", "job posts", addressShare}
	actPropose     = action{"proposal", "proposals", addressShare}
	actPostMessage = action{"message", "messages", addressShare}
	actSession     = action{"session", "sessions", addressShare}
	actInvite      = action{"invite", "invitations", addressShare}
)

// OpenSession counts a session the identity in ctx opens (its key, and
// the address it connects from), for every way in: ELIMIT with the wait
// when they open sessions faster than Limits.Sessions allows.
func (s *Service) OpenSession(ctx context.Context) error {
	return s.limit(ctx, actSession, s.cfg.Limits.Sessions)
}

// limit counts one event of a by the actor (the account when signed in,
// else the key) and by their source address. ELIMIT says how long to wait.
func (s *Service) limit(ctx context.Context, a action, r Rate) error {
	if r.Off {
		return nil
	}
	id := IdentityFromContext(ctx)
	type count struct {
		key  string
		rate Rate
	}
	var counts []count
	switch {
	case id.User != nil:
		counts = append(counts, count{fmt.Sprintf("%s:user:%d", a.key, id.User.ID), r})
	case id.Key.Fingerprint != "":
		counts = append(counts, count{a.key + ":key:" + id.Key.Fingerprint, r})
	}
	if addr := addressKey(id.Addr); addr != "" {
		counts = append(counts, count{a.key + ":addr:" + addr, r.times(a.share)})
	}
	now := s.now()
	for _, c := range counts {
		wait, err := s.limiter.Allow(ctx, c.key, c.rate, now)
		if err != nil {
			return err
		}
		if wait > 0 {
			return Errorf(ELIMIT, "too many %s: wait %s and try again", a.what, waitText(wait))
		}
	}
	return nil
}

// limitKey is limit for an action by a key that has no account yet, such
// as signing it up.
func (s *Service) limitKey(ctx context.Context, a action, r Rate, key Key) error {
	id := *IdentityFromContext(ctx)
	id.Key, id.User = key, nil
	return s.limit(NewContextWithIdentity(ctx, &id), a, r)
}

// addressKey is what an address is counted as: an IPv4 address itself, an
// IPv6 address by its /64, since one host is routinely given a whole /64
// and could otherwise take a new address per request.
func addressKey(addr string) string {
	ip := net.ParseIP(addr)
	switch {
	case addr == "":
		return ""
	case ip == nil:
		return addr
	case ip.To4() != nil:
		return ip.To4().String()
	default:
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
}

// waitText says how long to wait, rounded up, as a person would.
func waitText(d time.Duration) string {
	switch {
	case d <= time.Minute:
		return fmt.Sprintf("%ds", int((d+time.Second-1)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int((d+time.Minute-1)/time.Minute))
	default:
		d = (d + time.Minute - 1).Truncate(time.Minute)
		return fmt.Sprintf("%d h %d min", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
}
