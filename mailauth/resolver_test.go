package mailauth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
)

// wrapping hides every error of its resolver behind fmt.Errorf, as a
// caching or logging resolver might.
type wrapping struct{ Resolver }

func (w wrapping) LookupTXT(ctx context.Context, name string) ([]string, error) {
	txt, err := w.Resolver.LookupTXT(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	return txt, nil
}

func TestCheck_WrappedTemporaryErrorStaysTemporary(t *testing.T) {
	w := baseWorld(t).servfail("_dmarc." + fromDomain)
	res := checkWith(t, &Checker{Resolver: wrapping{w.resolver()}}, mailCase{})
	wantVerdict(t, res, Unverified, true)
}

func TestCheck_WrappedNotFoundStaysNotFound(t *testing.T) {
	// No _dmarc.news.example.com: the lookup must fall back to the
	// organizational domain's sp=, which needs "not found" recognised.
	w := baseWorld(t).txt("_dmarc.example.com", "v=DMARC1; p=none; sp=reject")
	res := (&Checker{Resolver: wrapping{w.resolver()}}).Check(context.Background(), Input{
		RemoteIP: net.ParseIP(outsideIP), MailFrom: "a@news.example.com", FromDomain: "news.example.com",
	})
	wantVerdict(t, res, Fail, false)
}

// failing answers every lookup with an error of no DNS kind.
type failing struct{ Resolver }

func (failing) LookupTXT(context.Context, string) ([]string, error) {
	return nil, errors.New("resolver exploded")
}

func TestCheck_UnknownResolverErrorIsTemporaryNotFail(t *testing.T) {
	res := checkWith(t, &Checker{Resolver: failing{world{}.resolver()}}, mailCase{msg: signed(t, fromDomain, "rsa")})
	wantVerdict(t, res, Unverified, true)
}

func TestCheck_CancelledContextIsTemporary(t *testing.T) {
	w := baseWorld(t).txt("_dmarc."+fromDomain, "v=DMARC1; p=reject")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := (&Checker{Resolver: ctxResolver{w.resolver()}}).Check(ctx, Input{
		RemoteIP: net.ParseIP(outsideIP), MailFrom: "a@example.com", FromDomain: fromDomain,
	})
	wantVerdict(t, res, Unverified, true)
}

// ctxResolver honours cancellation, as net.Resolver does (mockdns does not).
type ctxResolver struct{ Resolver }

func (r ctxResolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r.Resolver.LookupTXT(ctx, name)
}

func TestChecker_NilResolverIsTheSystemResolver(t *testing.T) {
	if r := (&Checker{}).resolver(); r != net.DefaultResolver {
		t.Fatalf("nil Resolver gives %T, want net.DefaultResolver", r)
	}
}
