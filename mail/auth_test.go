package mail

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/workroom/workroom/mailauth"
	"github.com/workroom/workroom/workroomtest"
)

// zoneResolver answers TXT lookups from a map and nothing else, so the
// real checker runs offline.
type zoneResolver map[string][]string

func (z zoneResolver) LookupTXT(_ context.Context, name string) ([]string, error) {
	if txt, ok := z[strings.TrimSuffix(strings.ToLower(name), ".")]; ok {
		return txt, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (zoneResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func (zoneResolver) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (zoneResolver) LookupAddr(_ context.Context, addr string) ([]string, error) {
	return nil, &net.DNSError{Err: "no such host", Name: addr, IsNotFound: true}
}

// TestSMTP_RealCheckerRefusesDMARCRejectAndMarksNoPolicy wires the real
// mailauth.Checker: example.com's members publish p=reject, so their
// unsigned mail from an unlisted host is refused; with no DMARC record
// the same mail is posted, marked unverified.
func TestSMTP_RealCheckerRefusesDMARCRejectAndMarksNoPolicy(t *testing.T) {
	for _, c := range []struct {
		name       string
		zone       zoneResolver
		code       int
		unverified bool
	}{
		{"p=reject and nothing passes", zoneResolver{"_dmarc.example.com": {"v=DMARC1; p=reject"}, "example.com": {"v=spf1 -all"}}, 550, false},
		{"no DMARC policy", zoneResolver{}, 250, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			mw := newMailWorld(t, ServerConfig{Auth: &mailauth.Checker{Resolver: c.zone}})
			got := send(t, mw.addr, workroomtest.Email("Bob"), []string{mw.replyAddr()}, msg([]string{from("Bob"), subject, mid("d1")}, "Hello.\n"))
			if c.code == 250 {
				checkReply(t, got, "data", 250, "", "")
				if ms := mw.byMail(t, mw.room.ID); len(ms) != 1 || ms[0].Unverified != c.unverified {
					t.Fatalf("posted %+v; want one message, unverified %v", ms, c.unverified)
				}
				return
			}
			checkReply(t, got, "data", c.code, "5.7.1", "example.com")
			if n := len(mw.byMail(t, mw.room.ID)); n != 0 {
				t.Fatalf("%d messages posted after a DMARC reject", n)
			}
		})
	}
}
