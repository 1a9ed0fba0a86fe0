package s3blobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/minio/minio-go/v7"
)

// A blob is read from the store in chunks, each one ranged GET, kept in
// memory while they are the most recently used: an SFTP client reads a
// file in parallel requests of 32 to 255 KiB at nearby offsets, out of
// order, so one GET per request would cost a round trip each, and one
// stream could not follow. The next chunk is fetched while the current
// one is read, so a sequential reader waits on the store only when it
// reads faster than the store sends.
const (
	// ChunkSize is what one GET fetches.
	ChunkSize = 1 << 20
	// ChunksKept bounds the chunks one open blob holds in memory, and so
	// its memory (ChunksKept × ChunkSize).
	ChunksKept = 4
)

// object is an open blob: a workroom.Blob over ranged GETs.
type object struct {
	b    *Blobs
	key  string
	size int64
	ctx  context.Context
	stop context.CancelFunc

	mu     sync.Mutex
	chunks map[int64]*chunk
	recent []int64 // chunk indexes, least recently used first

	posMu sync.Mutex
	pos   int64 // for Read and Seek
}

// chunk is one GET's bytes, there once ready is closed.
type chunk struct {
	ready chan struct{}
	data  []byte
	err   error
}

// failed reports whether c's fetch ended in an error.
func (c *chunk) failed() bool {
	select {
	case <-c.ready:
		return c.err != nil
	default:
		return false
	}
}

func newObject(b *Blobs, key string, size int64) *object {
	ctx, stop := context.WithCancel(context.Background())
	return &object{b: b, key: key, size: size, ctx: ctx, stop: stop, chunks: map[int64]*chunk{}}
}

// Size implements workroom.Blob.
func (o *object) Size() int64 { return o.size }

// Close stops the GETs in flight and lets the chunks go.
func (o *object) Close() error {
	o.stop()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.chunks, o.recent = map[int64]*chunk{}, nil
	return nil
}

// ReadAt implements io.ReaderAt; it is safe for concurrent use.
func (o *object) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("s3blobs: negative offset")
	}
	n := 0
	for n < len(p) {
		at := off + int64(n)
		if at >= o.size {
			return n, io.EOF
		}
		c, err := o.chunk(at / ChunkSize)
		if err != nil {
			return n, err
		}
		n += copy(p[n:], c.data[at%ChunkSize:])
	}
	return n, nil
}

// Read implements io.Reader.
func (o *object) Read(p []byte) (int, error) {
	o.posMu.Lock()
	defer o.posMu.Unlock()
	n, err := o.ReadAt(p, o.pos)
	o.pos += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// Seek implements io.Seeker.
func (o *object) Seek(offset int64, whence int) (int64, error) {
	o.posMu.Lock()
	defer o.posMu.Unlock()
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += o.pos
	case io.SeekEnd:
		offset += o.size
	default:
		return 0, errors.New("s3blobs: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("s3blobs: negative position")
	}
	o.pos = offset
	return offset, nil
}

// chunk returns chunk i once fetched, starting its GET if no reader has,
// and the next one's ahead of need.
func (o *object) chunk(i int64) (*chunk, error) {
	o.mu.Lock()
	c := o.want(i)
	if next := i + 1; next*ChunkSize < o.size {
		o.want(next)
	}
	o.mu.Unlock()
	select {
	case <-c.ready:
	case <-o.ctx.Done():
		return nil, errors.New("s3blobs: read from a closed blob")
	}
	if c.err != nil {
		o.forget(i, c)
		return nil, c.err
	}
	return c, nil
}

// want returns chunk i, starting its fetch when it is not held (or its
// fetch failed: a chunk fetched ahead and lost gets another try when it
// is read); it marks it most recently used and lets the least recently
// used go past ChunksKept. The caller holds o.mu.
func (o *object) want(i int64) *chunk {
	if c, ok := o.chunks[i]; ok && !c.failed() {
		o.use(i)
		return c
	}
	c := &chunk{ready: make(chan struct{})}
	o.chunks[i] = c
	o.use(i)
	for len(o.recent) > ChunksKept {
		delete(o.chunks, o.recent[0])
		o.recent = o.recent[1:]
	}
	go o.fetch(i, c)
	return c
}

// use marks chunk i the most recently used. The caller holds o.mu.
func (o *object) use(i int64) {
	for k, j := range o.recent {
		if j == i {
			o.recent = append(o.recent[:k], o.recent[k+1:]...)
			break
		}
	}
	o.recent = append(o.recent, i)
}

// forget drops chunk i if it is still c, so that the next read of it
// tries again.
func (o *object) forget(i int64, c *chunk) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.chunks[i] == c {
		delete(o.chunks, i)
		for k, j := range o.recent {
			if j == i {
				o.recent = append(o.recent[:k], o.recent[k+1:]...)
				break
			}
		}
	}
}

// fetch GETs chunk i's range into c.
func (o *object) fetch(i int64, c *chunk) {
	defer close(c.ready)
	start := i * ChunkSize
	end := min(start+ChunkSize, o.size) // exclusive
	ctx, cancel := context.WithTimeout(o.ctx, RequestTimeout)
	defer cancel()
	opts := minio.GetObjectOptions{}
	if err := opts.SetRange(start, end-1); err != nil {
		c.err = err
		return
	}
	body, _, _, err := o.b.core.GetObject(ctx, o.b.bucket, o.key, opts)
	if isNotFound(err) {
		c.err = notFound(o.key)
		return
	}
	if err != nil {
		c.err = cannotRead(fmt.Sprintf("reading %s at %d", o.key, start), err)
		return
	}
	defer body.Close()
	buf := make([]byte, end-start)
	if _, err := io.ReadFull(body, buf); err != nil {
		c.err = cannotRead(fmt.Sprintf("reading %s at %d", o.key, start), err)
		return
	}
	c.data = buf
}
