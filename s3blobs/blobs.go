// Package s3blobs keeps file contents in an S3-compatible object store
// (Amazon S3, MinIO, versitygw, Ceph, R2, …): a workroom.Blobs whose
// blobs are objects named by their SHA-256, so several servers behind
// one address share them. Uploads are still written, hashed and scanned
// in a local temp folder; only whole, checked files go to the bucket.
package s3blobs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/workroom/workroom"
)

// Timeouts of the requests to the object store, so a store that stops
// answering refuses uploads and downloads instead of hanging them.
const (
	// StartTimeout bounds the check at start that the bucket is there.
	StartTimeout = 15 * time.Second
	// RequestTimeout bounds a request that moves no file: a look-up,
	// a copy onto itself, a delete.
	RequestTimeout = time.Minute
	// PutTimeout bounds the upload of one blob (up to MaxFileSize).
	PutTimeout = 15 * time.Minute
	// ResponseTimeout bounds the wait for a response's headers once a
	// request is sent.
	ResponseTimeout = time.Minute
)

// touchedMeta is the metadata a blob stored again is copied onto itself
// with: a copy onto itself must change something, and the copy is what
// moves its time (see Put).
const touchedMeta = "Workroom-Stored"

// Blobs is a bucket of blobs, with a local folder for upload temp files.
type Blobs struct {
	c      *minio.Client
	core   minio.Core
	bucket string
	prefix string
	tmp    string
}

var _ workroom.Blobs = (*Blobs)(nil)

// Open connects to the bucket cfg names and checks, within StartTimeout,
// that it is there and the credentials are taken; tmp is the local folder
// for upload temp files, made when missing. Without cfg.Credentials it
// reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
func Open(ctx context.Context, cfg Config, tmp string) (*Blobs, error) {
	creds, err := credentialsFor(cfg)
	if err != nil {
		return nil, err
	}
	tr, err := minio.DefaultTransport(!cfg.Insecure)
	if err != nil {
		return nil, err
	}
	tr.ResponseHeaderTimeout = ResponseTimeout
	c, err := minio.New(cfg.Endpoint, &minio.Options{Creds: creds, Secure: !cfg.Insecure, Region: cfg.Region,
		BucketLookup: lookup(cfg.Addressing), Transport: tr})
	if err != nil {
		return nil, fmt.Errorf("blob store %s: %w", cfg, err)
	}
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, fmt.Errorf("upload temp folder: %w", err)
	}
	b := &Blobs{c: c, core: minio.Core{Client: c}, bucket: cfg.Bucket, prefix: cfg.Prefix, tmp: tmp}
	if err := b.check(ctx, cfg); err != nil {
		return nil, err
	}
	return b, nil
}

// credentialsFor is cfg's credentials, or the environment's; a missing
// key pair is refused here rather than at the first upload.
func credentialsFor(cfg Config) (*credentials.Credentials, error) {
	if k := cfg.Credentials; k != nil {
		return credentials.NewStaticV4(k.AccessKeyID, k.SecretAccessKey, k.SessionToken), nil
	}
	creds := credentials.NewEnvAWS()
	v, err := creds.GetWithContext(nil)
	if err != nil || v.AccessKeyID == "" || v.SecretAccessKey == "" {
		return nil, fmt.Errorf("blob store %s: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones)", cfg)
	}
	return creds, nil
}

func lookup(a Addressing) minio.BucketLookupType {
	switch a {
	case AddressingPath:
		return minio.BucketLookupPath
	case AddressingVirtual:
		return minio.BucketLookupDNS
	}
	return minio.BucketLookupAuto
}

// check makes sure the bucket is there and answers: a wrong endpoint,
// key or bucket name stops the server at start, saying which.
func (b *Blobs) check(ctx context.Context, cfg Config) error {
	ctx, cancel := context.WithTimeout(ctx, StartTimeout)
	defer cancel()
	ok, err := b.c.BucketExists(ctx, b.bucket)
	if err != nil {
		return fmt.Errorf("blob store %s: cannot use the bucket (check the endpoint, the region and the credentials): %w", cfg, err)
	}
	if !ok {
		return fmt.Errorf("blob store %s: there is no bucket %q; create it first", cfg, b.bucket)
	}
	return nil
}

// key is the object that holds blob sum; "" for a name that is not a
// SHA-256.
func (b *Blobs) key(sum string) string {
	if !isSum(sum) {
		return ""
	}
	return b.prefix + sum
}

func isSum(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// CreateTemp implements workroom.Blobs: the temp file is local.
func (b *Blobs) CreateTemp() (*os.File, error) { return workroom.TempFolder(b.tmp).CreateTemp() }

// ClearTemp implements workroom.Blobs.
func (b *Blobs) ClearTemp() error { return workroom.TempFolder(b.tmp).ClearTemp() }

// Put implements workroom.Blobs: it uploads the temp file as the blob's
// object in one PUT (a blob is at most workroom.MaxFileSize, well under
// S3's 5 GiB for one PUT, so no multipart upload is ever left behind),
// then removes the temp file. The object is visible only once whole.
//
// A blob that is there already is not sent again if the store can help
// it: it is copied onto itself inside the store (with new metadata,
// which S3 requires of such a copy), which on Amazon S3 and MinIO gives
// it a new last-modified time, the time Walk reports — as the local
// folder's Put refreshes the file's time. A store that keeps the time on
// such a copy (versitygw does), or a blob that vanished between the look
// and the copy (a collection took it), gets the bytes again.
func (b *Blobs) Put(tempPath, sum string) error {
	key := b.key(sum)
	if key == "" {
		return fmt.Errorf("blob name %q is not a SHA-256", sum)
	}
	ctx, cancel := context.WithTimeout(context.Background(), PutTimeout)
	defer cancel()
	err := b.touch(ctx, key)
	if err == nil {
		_ = os.Remove(tempPath)
		return nil
	}
	if !isNotFound(err) && !errors.Is(err, errTimeKept) {
		return cannotStore("refreshing blob "+sum, err)
	}
	if err := b.upload(ctx, tempPath, key); err != nil {
		return cannotStore("uploading blob "+sum, err)
	}
	_ = os.Remove(tempPath)
	return nil
}

// errTimeKept is touch's answer when the copy left the time as it was.
var errTimeKept = errors.New("the copy onto itself kept the object's time")

// touch copies the object at key onto itself to move its last-modified
// time to now: NoSuchKey when there is none, errTimeKept when the time
// did not move.
func (b *Blobs) touch(ctx context.Context, key string) error {
	before, err := b.c.StatObject(ctx, b.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return err
	}
	_, err = b.c.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: b.bucket, Object: key, ReplaceMetadata: true,
			UserMetadata: map[string]string{touchedMeta: time.Now().UTC().Format(time.RFC3339Nano)}},
		minio.CopySrcOptions{Bucket: b.bucket, Object: key})
	if err != nil {
		return err
	}
	after, err := b.c.StatObject(ctx, b.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return err
	}
	if !after.LastModified.After(before.LastModified) {
		return errTimeKept
	}
	return nil
}

// upload sends the file at path as the object at key. Content-MD5 lets
// the store check the bytes it got even over HTTPS, where the payload is
// not signed.
func (b *Blobs) upload(ctx context.Context, path, key string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	_, err = b.c.PutObject(ctx, b.bucket, key, f, info.Size(), minio.PutObjectOptions{
		ContentType: "application/octet-stream", DisableMultipart: true, SendContentMd5: true})
	return err
}

// Open implements workroom.Blobs: it looks the object up (one HEAD
// request) and reads it later by ranged GETs, as the reader asks.
func (b *Blobs) Open(sum string) (workroom.Blob, error) {
	key := b.key(sum)
	if key == "" {
		return nil, notFound(sum)
	}
	ctx, cancel := context.WithTimeout(context.Background(), RequestTimeout)
	defer cancel()
	info, err := b.c.StatObject(ctx, b.bucket, key, minio.StatObjectOptions{})
	if isNotFound(err) {
		return nil, notFound(sum)
	}
	if err != nil {
		return nil, cannotRead("blob "+sum, err)
	}
	return newObject(b, key, info.Size), nil
}

// Remove implements workroom.Blobs.
func (b *Blobs) Remove(sum string) error {
	key := b.key(sum)
	if key == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), RequestTimeout)
	defer cancel()
	if err := b.c.RemoveObject(ctx, b.bucket, key, minio.RemoveObjectOptions{}); err != nil && !isNotFound(err) {
		return fmt.Errorf("removing blob %s: %w", sum, err)
	}
	return nil
}

// Walk implements workroom.Blobs: it lists the objects under the prefix,
// page by page, with their last-modified times. Objects whose names are
// not SHA-256 sums are not blobs and are left alone.
func (b *Blobs) Walk(fn func(sum string, stored time.Time) error) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // stops the listing when fn ends the walk early
	for obj := range b.c.ListObjects(ctx, b.bucket, minio.ListObjectsOptions{Prefix: b.prefix, Recursive: true}) {
		if obj.Err != nil {
			return fmt.Errorf("listing blobs: %w", obj.Err)
		}
		sum, ok := strings.CutPrefix(obj.Key, b.prefix)
		if !ok || !isSum(sum) {
			continue
		}
		if err := fn(sum, obj.LastModified); err != nil {
			return err
		}
	}
	return nil
}

// isNotFound reports whether the store said there is no such object.
func isNotFound(err error) bool {
	if err == nil {
		return false
	}
	r := minio.ToErrorResponse(err)
	return r.Code == minio.NoSuchKey || r.StatusCode == http.StatusNotFound && r.Code != minio.NoSuchBucket
}
