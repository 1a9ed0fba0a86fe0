package workroom_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// limitedWorld is a service with the server's default rate limits and the
// default limiter (none configured), so the defaults are what is tested.
func limitedWorld(t *testing.T) *workroomtest.World {
	return workroomtest.New(t, workroomtest.WithLimits(workroom.Limits{}))
}

// from acts as id connecting from addr.
func from(id *workroom.Identity, addr string) context.Context {
	return workroom.NewContextWithIdentity(context.Background(), &workroom.Identity{Key: id.Key, User: id.User, Addr: addr})
}

var retryIn = regexp.MustCompile(`^too many ([a-z -]+): wait (\d+)(s| min) and try again$`)

// wantRefused asserts err is the rate limit's refusal naming what, and
// returns the wait it asks for.
func wantRefused(t *testing.T, err error, what string) time.Duration {
	t.Helper()
	wantCode(t, err, workroom.ELIMIT)
	m := retryIn.FindStringSubmatch(err.Error())
	if m == nil || m[1] != what {
		t.Fatalf("refusal %q: want \"too many %s: wait N and try again\"", err, what)
	}
	var n int
	fmt.Sscan(m[2], &n)
	if m[3] == " min" {
		return time.Duration(n) * time.Minute
	}
	return time.Duration(n) * time.Second
}

func TestRateLimits_EachActionRefusesWithRetryTimeAndRecovers(t *testing.T) {
	const addr = "192.0.2.10"
	tests := []struct {
		what string
		n    int // the default rate's burst
		// setup returns the action; i numbers each attempt.
		setup func(t *testing.T, w *workroomtest.World) func(i int) error
	}{
		{"sign-ups", 5, func(t *testing.T, w *workroomtest.World) func(int) error {
			return func(i int) error {
				name := fmt.Sprintf("user%d", i)
				ctx := workroom.NewContextWithIdentity(context.Background(), &workroom.Identity{Addr: addr})
				_, err := w.Svc.SignUp(ctx, workroomtest.Key(name), name, workroomtest.Email(name))
				return err
			}
		}},
		{"verification mails", workroom.DefaultLimits.VerifyMails.N, func(t *testing.T, w *workroomtest.World) func(int) error {
			ada := w.SignUp(t, "ada")
			return func(int) error {
				w.Advance(workroom.VerificationResendGap)
				return w.Svc.ResendVerification(from(ada, addr))
			}
		}},
		{"job posts", 20, func(t *testing.T, w *workroomtest.World) func(int) error {
			ada := w.SignUp(t, "ada")
			return func(i int) error {
				_, err := w.Svc.PostJob(from(ada, addr), fmt.Sprintf("Job %d", i), "")
				return err
			}
		}},
		{"proposals", 30, func(t *testing.T, w *workroomtest.World) func(int) error {
			ada, bob := w.SignUp(t, "ada"), w.SignUp(t, "bob")
			var jobs []workroom.JobID
			for i := range 35 {
				j, err := w.Svc.PostJob(workroomtest.As(ada), fmt.Sprintf("Job %d", i), "")
				if err != nil {
					t.Fatal(err)
				}
				jobs = append(jobs, j.ID)
				if i%15 == 14 {
					w.Advance(time.Hour) // past ada's own job-post limit
				}
			}
			return func(i int) error {
				_, err := w.Svc.Propose(from(bob, addr), jobs[i], "I can do it")
				return err
			}
		}},
		{"messages", 60, func(t *testing.T, w *workroomtest.World) func(int) error {
			ada, bob := w.SignUp(t, "ada"), w.SignUp(t, "bob")
			r := w.Room(t, ada, bob, "Logo")
			return func(i int) error {
				_, err := w.Svc.Post(from(bob, addr), r.ID, fmt.Sprintf("message %d", i), workroom.SourceCommand)
				return err
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			w := limitedWorld(t)
			do := tt.setup(t, w)
			i := 0
			for ; i < tt.n; i++ {
				if err := do(i); err != nil {
					t.Fatalf("attempt %d of a burst of %d: %v", i+1, tt.n, err)
				}
			}
			wait := wantRefused(t, do(i), tt.what)
			if wait <= 0 {
				t.Fatalf("refusal asks to wait %v", wait)
			}
			w.Advance(wait - time.Second)
			if tt.what != "verification mails" { // each of its attempts moves the clock itself
				wantRefused(t, do(i), tt.what)
			}
			w.Advance(time.Second)
			if err := do(i); err != nil {
				t.Fatalf("after waiting %v as told: %v", wait, err)
			}
		})
	}
}

func TestRateLimits_CountPerAccountNotHurtingOthers(t *testing.T) {
	w := limitedWorld(t)
	ada, bob := w.SignUp(t, "ada"), w.SignUp(t, "bob")
	r := w.Room(t, ada, bob, "Logo")
	post := func(id *workroom.Identity, addr string) error {
		_, err := w.Svc.Post(from(id, addr), r.ID, "hello", workroom.SourceCommand)
		return err
	}
	for range workroom.DefaultLimits.Messages.N {
		if err := post(bob, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
	}
	// bob's account is spent whatever address he comes from next.
	wantRefused(t, post(bob, "198.51.100.7"), "messages")
	// ada, from the same address as bob, is not hurt: an address holds
	// several accounts' worth.
	if err := post(ada, "192.0.2.1"); err != nil {
		t.Fatalf("another account on the same address: %v", err)
	}
}

func TestRateLimits_CountPerAddressAcrossAccounts(t *testing.T) {
	w := limitedWorld(t)
	const busy, other = "192.0.2.1", "203.0.113.9"
	ids := make([]*workroom.Identity, 0, 6)
	for i := range 6 {
		ids = append(ids, w.SignUp(t, fmt.Sprintf("poster%d", i)))
	}
	perAccount := workroom.DefaultLimits.Jobs.N
	posted := 0
	var err error
	// Fresh accounts, one address: the address runs out before the accounts do.
	for _, id := range ids {
		for range perAccount {
			if _, err = w.Svc.PostJob(from(id, busy), "Job", ""); err != nil {
				break
			}
			posted++
		}
		if err != nil {
			break
		}
	}
	wantRefused(t, err, "job posts")
	if posted >= len(ids)*perAccount || posted < perAccount*2 {
		t.Fatalf("one address posted %d jobs before its limit; want several accounts' worth, not all %d", posted, len(ids)*perAccount)
	}
	// Another address is not hurt by the busy one.
	if _, err := w.Svc.PostJob(from(ids[5], other), "Job", ""); err != nil {
		t.Fatalf("an account from another address: %v", err)
	}
}

func TestRateLimits_SignUpsPerAddressAndPerKey(t *testing.T) {
	w := limitedWorld(t)
	signUp := func(key, addr string, n int) error {
		ctx := workroom.NewContextWithIdentity(context.Background(), &workroom.Identity{Addr: addr})
		name := fmt.Sprintf("%s%d", key, n)
		_, err := w.Svc.SignUp(ctx, workroomtest.Key(key), name, workroomtest.Email(name))
		return err
	}
	for i := range workroom.DefaultLimits.SignUps.N {
		if err := signUp(fmt.Sprintf("k%d", i), "192.0.2.1", i); err != nil {
			t.Fatal(err)
		}
	}
	wantRefused(t, signUp("k-next", "192.0.2.1", 0), "sign-ups")
	if err := signUp("k-next", "192.0.2.2", 0); err != nil {
		t.Fatalf("a sign-up from another address: %v", err)
	}
	// One key retrying (here: its email taken) from many addresses is
	// counted by the key.
	var err error
	for i := range workroom.DefaultLimits.SignUps.N + 1 {
		err = signUp("taken", fmt.Sprintf("198.51.100.%d", i), 0)
		if i == 0 && err != nil {
			t.Fatal(err)
		}
	}
	wantRefused(t, err, "sign-ups")
}

func TestRateLimits_IPv6CountsBySlash64(t *testing.T) {
	w := limitedWorld(t)
	for i := range workroom.DefaultLimits.SignUps.N + 1 {
		ctx := workroom.NewContextWithIdentity(context.Background(), &workroom.Identity{Addr: fmt.Sprintf("2001:db8:1:2::%x", i+1)})
		name := fmt.Sprintf("v6user%d", i)
		_, err := w.Svc.SignUp(ctx, workroomtest.Key(name), name, workroomtest.Email(name))
		if i < workroom.DefaultLimits.SignUps.N && err != nil {
			t.Fatal(err)
		}
		if i == workroom.DefaultLimits.SignUps.N {
			wantRefused(t, err, "sign-ups")
		}
	}
}

func TestRateLimits_LongWaitSaidInMinutes(t *testing.T) {
	w := limitedWorld(t)
	ada := w.SignUp(t, "ada")
	var err error
	for range workroom.DefaultLimits.Jobs.N + 1 {
		_, err = w.Svc.PostJob(workroomtest.As(ada), "Job", "")
	}
	// 20 an hour: the next in 3 minutes.
	if !strings.HasSuffix(err.Error(), "wait 3 min and try again") {
		t.Fatalf("refusal %q: want a wait of 3 min", err)
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want workroom.Rate
		bad  bool
	}{
		{in: "60/m", want: workroom.Rate{N: 60, Per: time.Minute}},
		{in: "5/hour", want: workroom.Rate{N: 5, Per: time.Hour}},
		{in: "100/d", want: workroom.Rate{N: 100, Per: 24 * time.Hour}},
		{in: "3/10m", want: workroom.Rate{N: 3, Per: 10 * time.Minute}},
		{in: "off", want: workroom.Rate{Off: true}},
		{in: "0/m", bad: true},
		{in: "60", bad: true},
		{in: "010/m", bad: true},
		{in: "5/fortnight", bad: true},
		{in: "5/1ms", bad: true},
	}
	for _, tt := range tests {
		got, err := workroom.ParseRate(tt.in)
		if (err != nil) != tt.bad || !tt.bad && got != tt.want {
			t.Errorf("ParseRate(%q) = %+v, %v", tt.in, got, err)
		}
		if !tt.bad && got.String() != tt.in && tt.in != "5/hour" {
			t.Errorf("ParseRate(%q).String() = %q", tt.in, got.String())
		}
	}
}
