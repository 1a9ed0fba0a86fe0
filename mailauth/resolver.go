package mailauth

import (
	"context"
	"errors"
	"net"
)

// Resolver is every DNS lookup sender authentication makes, so tests run offline.
// *net.Resolver implements it.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupAddr(ctx context.Context, addr string) ([]string, error)
}

// adapter binds a Resolver to one Check's context and hands the libraries
// errors of the one type they inspect: go-msgauth and the SPF library decide
// "temporary" and "not found" by asserting *net.DNSError directly, so a
// wrapped error or a bare context error would otherwise read as permanent.
type adapter struct {
	ctx context.Context
	r   Resolver
}

// lookupTXT has the shape go-msgauth's options want (no context parameter).
func (a adapter) lookupTXT(name string) ([]string, error) {
	return a.LookupTXT(a.ctx, name)
}

func (a adapter) LookupTXT(ctx context.Context, name string) ([]string, error) {
	txt, err := a.r.LookupTXT(ctx, name)
	return txt, dnsError(err, name)
}

func (a adapter) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	ips, err := a.r.LookupIPAddr(ctx, host)
	return ips, dnsError(err, host)
}

func (a adapter) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	mx, err := a.r.LookupMX(ctx, name)
	return mx, dnsError(err, name)
}

func (a adapter) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	names, err := a.r.LookupAddr(ctx, addr)
	return names, dnsError(err, addr)
}

// dnsError returns err as a bare *net.DNSError. A context that ran out is a
// timeout; an error of unknown kind counts as temporary, so a broken
// resolver can delay mail but never make it fail.
func dnsError(err error, name string) error {
	if err == nil {
		return nil
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return de
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &net.DNSError{Err: err.Error(), Name: name, IsTimeout: true}
	}
	return &net.DNSError{Err: err.Error(), Name: name, IsTemporary: true}
}
