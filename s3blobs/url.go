package s3blobs

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
)

// Config says which bucket holds the blobs and how to reach it. ParseURL
// reads it from --blobs; credentials are not part of it (they come from
// the AWS environment variables, or Credentials in tests).
type Config struct {
	// Bucket holds the blobs; it must exist (it is not made).
	Bucket string
	// Prefix starts every blob's key ("workroom/"); empty: keys are bare
	// SHA-256 sums.
	Prefix string
	// Endpoint is the server's HOST or HOST:PORT; DefaultEndpoint
	// (Amazon S3) when empty.
	Endpoint string
	// Insecure speaks plain HTTP to the endpoint (a server on loopback
	// or a private network); otherwise HTTPS.
	Insecure bool
	// Region signs requests; empty: asked of the server.
	Region string
	// Addressing is how the bucket is named in requests.
	Addressing Addressing
	// Credentials, when set, are used instead of the environment's.
	Credentials *Credentials
}

// Credentials are an access key pair and, for temporary credentials, a
// session token.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

// Addressing is where a request names the bucket.
type Addressing string

const (
	// AddressingAuto names it in the host name for Amazon S3 (and the
	// few others known to want it) and in the path elsewhere.
	AddressingAuto Addressing = "auto"
	// AddressingPath names it in the path: https://HOST/BUCKET/KEY.
	AddressingPath Addressing = "path"
	// AddressingVirtual names it in the host name: https://BUCKET.HOST/KEY.
	AddressingVirtual Addressing = "virtual"
)

// DefaultEndpoint is Amazon S3; the client picks the region's own host.
const DefaultEndpoint = "s3.amazonaws.com"

// Scheme starts a --blobs value that selects an object store.
const Scheme = "s3"

// URLForm is how a --blobs value is written, for refusals and help.
const URLForm = "s3://BUCKET[/PREFIX]?endpoint=[http://]HOST[:PORT]&region=REGION[&addressing=path|virtual]"

// urlParams are the query parameters a --blobs URL may carry.
var urlParams = []string{"endpoint", "region", "addressing"}

// ParseURL reads a --blobs value of the form URLForm. The endpoint is
// reached by HTTPS unless it is written http://HOST:PORT. A refusal says
// what is wrong and how the value is written.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("%q is not a URL; write %s", raw, URLForm)
	}
	if u.Scheme != Scheme {
		return Config{}, fmt.Errorf("%q: the blob store is named by an s3:// URL (%s), or left empty for the local blob folder", raw, URLForm)
	}
	if u.User != nil {
		return Config{}, fmt.Errorf("%q: credentials do not go in the URL (it shows in ps and in logs); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", u.Redacted())
	}
	if u.Host == "" || u.Opaque != "" {
		return Config{}, fmt.Errorf("%q names no bucket; write %s", raw, URLForm)
	}
	c := Config{Bucket: u.Host, Addressing: AddressingAuto}
	if err := checkBucket(c.Bucket); err != nil {
		return Config{}, fmt.Errorf("%q: %w", raw, err)
	}
	if p := strings.Trim(u.Path, "/"); p != "" {
		c.Prefix = p + "/"
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, fmt.Errorf("%q: the part after ? is not a valid query (%v); write %s", raw, err, URLForm)
	}
	for k := range q {
		if !slices.Contains(urlParams, k) {
			return Config{}, fmt.Errorf("%q: unknown parameter %q; the parameters are %s (for plain HTTP write endpoint=http://HOST:PORT)", raw, k, strings.Join(urlParams, ", "))
		}
		if len(q[k]) > 1 {
			return Config{}, fmt.Errorf("%q: %s is given %d times; give it once", raw, k, len(q[k]))
		}
	}
	if c.Endpoint, c.Insecure, err = parseEndpoint(q.Get("endpoint")); err != nil {
		return Config{}, fmt.Errorf("%q: %w", raw, err)
	}
	c.Region = q.Get("region")
	switch a := Addressing(q.Get("addressing")); a {
	case "":
	case AddressingAuto, AddressingPath, AddressingVirtual:
		c.Addressing = a
	default:
		return Config{}, fmt.Errorf("%q: addressing is path, virtual or auto, not %q", raw, a)
	}
	return c, nil
}

// parseEndpoint reads endpoint=: HOST[:PORT], https://HOST[:PORT] or
// http://HOST[:PORT] (plain HTTP); empty is DefaultEndpoint.
func parseEndpoint(e string) (host string, insecure bool, err error) {
	if e == "" {
		return DefaultEndpoint, false, nil
	}
	host = e
	if scheme, rest, ok := strings.Cut(e, "://"); ok {
		switch scheme {
		case "http":
			insecure = true
		case "https":
		default:
			return "", false, fmt.Errorf("endpoint %q: the scheme is http:// or https://, or none for HTTPS", e)
		}
		host = strings.TrimSuffix(rest, "/")
	}
	p, err := url.Parse("//" + host)
	if err != nil || p.Host != host || p.Hostname() == "" || p.User != nil {
		return "", false, fmt.Errorf("endpoint %q is not HOST or HOST:PORT", e)
	}
	if port := p.Port(); port != "" && !isPort(port) {
		return "", false, fmt.Errorf("endpoint %q: %q is not a port", e, port)
	}
	return host, insecure, nil
}

func isPort(p string) bool {
	n := 0
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
		if n > 65535 {
			return false
		}
	}
	return n > 0
}

// checkBucket refuses a name S3 would: 3 to 63 lowercase letters,
// digits, dots and hyphens, starting and ending with a letter or digit.
func checkBucket(b string) error {
	ok := len(b) >= 3 && len(b) <= 63
	for i, c := range b {
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (c != '.' && c != '-' || i == 0 || i == len(b)-1) {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("%q is not a bucket name (3 to 63 lowercase letters, digits, dots and hyphens)", b)
	}
	return nil
}

// String is the URL c was read from, for the log: no credentials.
func (c Config) String() string {
	scheme := "https://"
	if c.Insecure {
		scheme = "http://"
	}
	return fmt.Sprintf("%s://%s at %s%s", Scheme, path.Join(c.Bucket, c.Prefix), scheme, c.Endpoint)
}
