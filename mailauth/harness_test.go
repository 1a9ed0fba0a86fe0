package mailauth

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/foxcpp/go-mockdns"
)

// The test world: example.com sends from 192.0.2.0/24 and signs with
// selector "s1"; other.org is an unrelated domain that signs correctly too.
const (
	fromDomain = "example.com"
	insideIP   = "192.0.2.10"
	outsideIP  = "198.51.100.7"
)

var (
	keysOnce sync.Once
	rsaKey   *rsa.PrivateKey
	edKey    ed25519.PrivateKey
)

func keys(t *testing.T) (*rsa.PrivateKey, ed25519.PrivateKey) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if _, edKey, err = ed25519.GenerateKey(rand.Reader); err != nil {
			panic(err)
		}
	})
	return rsaKey, edKey
}

// dkimRecord is the TXT record publishing key's public half.
func dkimRecord(t *testing.T, key crypto.Signer) string {
	t.Helper()
	switch pub := key.Public().(type) {
	case *rsa.PublicKey:
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
	case ed25519.PublicKey:
		return "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)
	}
	t.Fatalf("unknown key type %T", key)
	return ""
}

// world is a DNS zone set under construction.
type world map[string]mockdns.Zone

// txt adds TXT records at name.
func (w world) txt(name string, records ...string) world {
	z := w[fqdn(name)]
	z.TXT = append(z.TXT, records...)
	w[fqdn(name)] = z
	return w
}

// servfail makes every lookup of name fail temporarily, as a SERVFAIL does.
func (w world) servfail(name string) world {
	w[fqdn(name)] = mockdns.Zone{Err: &net.DNSError{Err: "server misbehaving", Name: name, IsTemporary: true}}
	return w
}

// keysFor publishes both test keys for domain (selectors rsa and ed).
func (w world) keysFor(t *testing.T, domain string) world {
	r, e := keys(t)
	return w.txt("rsa._domainkey."+domain, dkimRecord(t, r)).txt("ed._domainkey."+domain, dkimRecord(t, e))
}

func (w world) resolver() Resolver { return &mockdns.Resolver{Zones: w} }

func fqdn(name string) string { return strings.ToLower(strings.TrimSuffix(name, ".")) + "." }

// baseWorld publishes keys and SPF for example.com and other.org.
func baseWorld(t *testing.T) world {
	return world{}.keysFor(t, fromDomain).keysFor(t, "mail.example.com").keysFor(t, "other.org").
		txt(fromDomain, "v=spf1 ip4:192.0.2.0/24 -all").
		txt("other.org", "v=spf1 ip4:192.0.2.0/24 -all")
}

const plainMail = "From: Alice <alice@example.com>\r\n" +
	"To: room-1@work.example\r\n" +
	"Subject: the draft\r\n" +
	"Date: Mon, 30 Nov 2026 03:00:00 +0000\r\n" +
	"Message-ID: <1@example.com>\r\n" +
	"\r\n" +
	"Here is the draft.\r\n"

// signed signs plainMail for domain with the RSA ("rsa") or ed25519 ("ed") key.
func signed(t *testing.T, domain, selector string, opts ...func(*dkim.SignOptions)) string {
	t.Helper()
	r, e := keys(t)
	o := &dkim.SignOptions{Domain: domain, Selector: selector, Signer: r}
	if selector == "ed" {
		o.Signer = e
	}
	for _, f := range opts {
		f(o)
	}
	var b bytes.Buffer
	if err := dkim.Sign(&b, strings.NewReader(plainMail), o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// mailCase is one mail as the SMTP server hands it over.
type mailCase struct {
	ip       string
	mailFrom string
	msg      string
}

func check(t *testing.T, w world, m mailCase) Result {
	t.Helper()
	c := &Checker{Resolver: w.resolver()}
	return checkWith(t, c, m)
}

func checkWith(t *testing.T, c *Checker, m mailCase) Result {
	t.Helper()
	if m.msg == "" {
		m.msg = plainMail
	}
	if m.ip == "" {
		m.ip = outsideIP
	}
	switch m.mailFrom {
	case "":
		m.mailFrom = "alice@example.com"
	case "<>":
		m.mailFrom = "" // the null sender of bounces
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res := c.Check(ctx, Input{
		RemoteIP:   net.ParseIP(m.ip),
		Helo:       "mx.sender.example",
		MailFrom:   m.mailFrom,
		FromDomain: fromDomain,
		Message:    strings.NewReader(m.msg),
	})
	t.Logf("verdict=%s temporary=%v reason=%q spf=%q dkim=%q dmarc=%q", res.Verdict, res.Temporary, res.Reason, res.SPF, res.DKIM, res.DMARC)
	return res
}

// wantVerdict fails unless res has the verdict and the Temporary flag.
func wantVerdict(t *testing.T, res Result, v Verdict, temporary bool) {
	t.Helper()
	if res.Verdict != v || res.Temporary != temporary {
		t.Fatalf("verdict %s temporary %v, want %s temporary %v (reason %q)", res.Verdict, res.Temporary, v, temporary, res.Reason)
	}
}
