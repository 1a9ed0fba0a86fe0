package e2e_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/workroom/workroom/s3blobs/s3test"
)

// A server started with --blobs s3://… keeps file contents in the bucket
// (a real S3 server, versitygw): a file uploaded by sftp is an object
// named by its SHA-256, comes back byte-exact, and nothing of it stays
// in the data folder.
func TestE2E_FilesKeptInAnS3BucketComeBackByteExact(t *testing.T) {
	need(t, "sftp")
	s3 := s3test.Start(t)
	url, env := s3.Bucket(t)
	data := t.TempDir()
	srv := startServerEnv(t, data, env, "--no-scan", "--blobs", url)
	r := newFileRoom(t, srv)
	local := t.TempDir()
	want := randomFile(t, local, "drawing.bin", 3<<20+12345) // several chunks of ranged reads
	mustTool(t, "sftp put", r.fred.sftpBatch(t, fmt.Sprintf("put %s %s/drawing.bin\n", filepath.Join(local, "drawing.bin"), r.dir)))
	back := filepath.Join(local, "back.bin")
	mustTool(t, "sftp get", r.carla.sftpBatch(t, fmt.Sprintf("get %s/drawing.bin %s\n", r.dir, back)))
	sameFile(t, "downloaded from the bucket", back, want)

	sum := sha256.Sum256(want)
	if keys := s3.Keys(t, url); !slices.Contains(keys, hex.EncodeToString(sum[:])) {
		t.Errorf("bucket keys %v do not hold the file's SHA-256 %x", keys, sum)
	}
	if _, err := os.Stat(filepath.Join(data, "blobs")); !os.IsNotExist(err) {
		t.Errorf("a local blob folder exists with --blobs: %v", err)
	}
	if tmp, _ := os.ReadDir(filepath.Join(data, "tmp")); len(tmp) != 0 {
		t.Errorf("upload temp files left in the data folder: %v", tmp)
	}
	if !strings.Contains(srv.logs.String(), "file contents in an object store") {
		t.Errorf("the server did not log where file contents are kept:\n%s", srv.logs)
	}
}
