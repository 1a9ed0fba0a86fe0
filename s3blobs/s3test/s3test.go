// Package s3test gives tests an S3-compatible object store: Start runs
// versitygw (a real S3 server, as its own process) over a temp folder on
// a free loopback port and stops it by its process id; StartFake serves
// gofakes3 from memory inside the test process, for unit tests. Either
// hands out fresh buckets as the --blobs URL and the environment a
// workroom server needs to use them.
package s3test

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/workroom/workroom/s3blobs"
)

// Version is the versitygw that scripts and the Makefile install
// (make test-deps: go install github.com/versity/versitygw/cmd/versitygw@Version).
const Version = "v1.8.0"

// Region is the region the servers sign with.
const Region = "us-east-1"

// startWait bounds versitygw's start (well under a second here).
const startWait = 30 * time.Second

// Server is an S3-compatible server for a test, spoken to by plain HTTP.
type Server struct {
	// Endpoint is its HOST:PORT on loopback.
	Endpoint string
	// AccessKeyID and SecretAccessKey are its root user's.
	AccessKeyID, SecretAccessKey string
	cmd                          *exec.Cmd
	done                         chan struct{}
}

// binary finds versitygw on PATH or in $GOPATH/bin (where make test-deps
// installs it), or "" when it is not installed.
func binary() string {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	gopath, err := exec.Command("go", "env", "GOPATH").Output()
	if err != nil {
		return ""
	}
	p := filepath.Join(string(trimNewline(gopath)), "bin", "versitygw")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// Start runs versitygw's POSIX backend over a temp folder, on a free
// loopback port, for the test, and stops it by its process id when the
// test ends. It skips the test, saying why, when versitygw is absent.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := binary()
	if bin == "" {
		t.Skipf("versitygw is not installed (make test-deps, or go install github.com/versity/versitygw/cmd/versitygw@%s)", Version)
	}
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	if err := os.Mkdir(root, 0o700); err != nil {
		t.Fatal(err)
	}
	s := &Server{Endpoint: net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(t))),
		AccessKeyID: "workroomtest", SecretAccessKey: "workroomtest-secret", done: make(chan struct{})}
	s.cmd = exec.Command(bin, "--port", s.Endpoint, "--region", Region, "--quiet", "posix", root)
	// The root user's keys go by environment, out of ps.
	s.cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY_ID="+s.AccessKeyID, "ROOT_SECRET_ACCESS_KEY="+s.SecretAccessKey)
	log, err := os.Create(filepath.Join(dir, "versitygw.log"))
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(s.Stop)
	if err := s.waitReady(); err != nil {
		out, _ := os.ReadFile(log.Name())
		t.Fatalf("versitygw did not start: %v\n%s", err, out)
	}
	return s
}

// StartFake serves gofakes3, in memory, from the test process on a free
// loopback port, until the test ends. It takes any credentials.
func StartFake(t testing.TB) *Server {
	t.Helper()
	fake := gofakes3.New(s3mem.New(), gofakes3.WithLogger(gofakes3.DiscardLog()))
	hs := httptest.NewServer(fake.Server())
	t.Cleanup(hs.Close)
	u, err := url.Parse(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	close(done)
	return &Server{Endpoint: u.Host, AccessKeyID: "workroomtest", SecretAccessKey: "workroomtest-secret", done: done}
}

// waitReady waits until the server lists its buckets, or exits.
func (s *Server) waitReady() error {
	c, err := s.client()
	if err != nil {
		return err
	}
	deadline := time.Now().Add(startWait)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := c.ListBuckets(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("versitygw exited: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return err
		}
	}
}

// Stop stops versitygw by its process id and waits for it; stopping
// twice, or a fake, is harmless.
func (s *Server) Stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// Client is a client of the server as its root user.
func (s *Server) Client(t testing.TB) *minio.Client {
	t.Helper()
	c, err := s.client()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (s *Server) client() (*minio.Client, error) {
	return minio.New(s.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(s.AccessKeyID, s.SecretAccessKey, ""),
		Region: Region, BucketLookup: minio.BucketLookupPath})
}

var buckets atomic.Int64

// Bucket makes a fresh bucket and returns the --blobs URL naming it and
// the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) a workroom
// server needs to use it: append env to the server process's.
func (s *Server) Bucket(t testing.TB) (blobsURL string, env []string) {
	t.Helper()
	name := fmt.Sprintf("workroom-test-%d-%d", os.Getpid(), buckets.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Client(t).MakeBucket(ctx, name, minio.MakeBucketOptions{Region: Region}); err != nil {
		t.Fatalf("making bucket %s: %v", name, err)
	}
	blobsURL = fmt.Sprintf("s3://%s?endpoint=http://%s&region=%s", name, s.Endpoint, Region)
	return blobsURL, []string{"AWS_ACCESS_KEY_ID=" + s.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + s.SecretAccessKey}
}

// Config is the s3blobs configuration of a URL from Bucket, with the
// server's credentials, for opening s3blobs.Blobs in the test process.
func (s *Server) Config(t testing.TB, blobsURL string) s3blobs.Config {
	t.Helper()
	c, err := s3blobs.ParseURL(blobsURL)
	if err != nil {
		t.Fatal(err)
	}
	c.Credentials = &s3blobs.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey}
	return c
}

// Keys lists the keys in the bucket a URL from Bucket names, sorted.
func (s *Server) Keys(t testing.TB, blobsURL string) []string {
	t.Helper()
	c := s.Config(t, blobsURL)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var keys []string
	for obj := range s.Client(t).ListObjects(ctx, c.Bucket, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			t.Fatalf("listing %s: %v", c.Bucket, obj.Err)
		}
		keys = append(keys, obj.Key)
	}
	slices.Sort(keys)
	return keys
}

// freePort returns a TCP port free on loopback right now.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
