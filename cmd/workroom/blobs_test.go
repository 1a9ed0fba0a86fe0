package main

import (
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/workroom/workroom/s3blobs"
	"github.com/workroom/workroom/s3blobs/s3test"
	"github.com/workroom/workroom/store"
)

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// setEnv sets the environment a server started by the test sees.
func setEnv(t *testing.T, env []string) {
	t.Helper()
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

func TestOpenBlobs_EmptyIsTheLocalFolder(t *testing.T) {
	data := t.TempDir()
	b, err := openBlobs(ctx, "", data, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.(*store.Blobs); !ok {
		t.Fatalf("openBlobs with no --blobs: %T, want the blob folder", b)
	}
	if _, err := os.Stat(filepath.Join(data, blobsDir)); err != nil {
		t.Errorf("no blob folder in the data folder: %v", err)
	}
}

// With --blobs the bucket keeps the files: no blob folder is made, and
// the temp files of uploads stay in the data folder, cleared at start.
func TestOpenBlobs_BucketKeepsFilesAndTempStaysLocal(t *testing.T) {
	srv := s3test.StartFake(t)
	url, env := srv.Bucket(t)
	setEnv(t, env)
	data := t.TempDir()
	left := filepath.Join(data, tmpDir, "upload-123")
	if err := os.MkdirAll(filepath.Dir(left), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(left, []byte("cut off"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := openBlobs(ctx, url, data, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.(*s3blobs.Blobs); !ok {
		t.Fatalf("openBlobs(%s): %T, want the object store", url, b)
	}
	if _, err := os.Stat(filepath.Join(data, blobsDir)); !os.IsNotExist(err) {
		t.Errorf("a blob folder was made with --blobs: %v", err)
	}
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("the temp file a crash left is still there: %v", err)
	}
	f, err := b.CreateTemp()
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if filepath.Dir(f.Name()) != filepath.Join(data, tmpDir) {
		t.Errorf("upload temp file at %s, want it in %s", f.Name(), filepath.Join(data, tmpDir))
	}
}

// A server pointed at a bucket it cannot use stops at start, saying why.
func TestOpenBlobs_RefusesAMissingBucketOrCredentials(t *testing.T) {
	srv := s3test.StartFake(t)
	url, env := srv.Bucket(t)
	for _, c := range []struct {
		name, url string
		env       []string
		want      string
	}{
		{"no such bucket", strings.Replace(url, "s3://", "s3://missing-", 1), env, "create it first"},
		{"nothing at the endpoint", strings.Replace(url, srv.Endpoint, closedAddr(t), 1), env, "cannot use the bucket (check the endpoint, the region and the credentials)"},
		{"no credentials", url, []string{"AWS_ACCESS_KEY_ID=", "AWS_ACCESS_KEY=", "AWS_SECRET_ACCESS_KEY=", "AWS_SECRET_KEY="}, "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"},
	} {
		t.Run(c.name, func(t *testing.T) {
			setEnv(t, c.env)
			_, err := openBlobs(ctx, c.url, t.TempDir(), slog.New(slog.DiscardHandler))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "--blobs: ") {
				t.Errorf("openBlobs(%s): %v; want a refusal saying %q", c.url, err, c.want)
			}
		})
	}
}
