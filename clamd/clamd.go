// Package clamd is a client of ClamAV's clamd implementing
// workroom.Scanner: it streams bytes with INSTREAM and believes only
// clamd's "stream: OK". A virus is EINFECTED naming its signature;
// anything else — clamd unreachable, a stream cut short, a size limit,
// an error, a reply it does not know — is EUNAVAILABLE, never clean.
package clamd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/workroom/workroom"
)

// Defaults of a Client.
const (
	// DefaultAddr is where Debian's clamav-daemon listens.
	DefaultAddr = "/var/run/clamav/clamd.ctl"
	// DefaultTimeout bounds one scan from dialling to the verdict: a
	// 100 MB file scans in about two seconds.
	DefaultTimeout = 2 * time.Minute
	// chunkSize is the INSTREAM chunk; clamd's default StreamMaxLength
	// does not depend on it.
	chunkSize = 64 << 10
	// maxReply bounds clamd's answer.
	maxReply = 4 << 10
)

// Client scans through one clamd, dialling it for each scan.
type Client struct {
	// Addr is host:port, or a unix socket path (anything with a "/").
	Addr string
	// Timeout bounds each scan; 0 is DefaultTimeout.
	Timeout time.Duration
}

var _ workroom.Scanner = (*Client)(nil)

// New returns a client of the clamd at addr.
func New(addr string) *Client { return &Client{Addr: addr} }

func (c *Client) dial(ctx context.Context) (net.Conn, error) {
	network := "tcp"
	if strings.Contains(c.Addr, "/") {
		network = "unix"
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, c.Addr)
	if err != nil {
		return nil, err
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = conn.SetDeadline(deadline)
	// A cancelled context ends the conversation at once.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	return &stoppingConn{Conn: conn, stop: stop}, nil
}

type stoppingConn struct {
	net.Conn
	stop func() bool
}

func (c *stoppingConn) Close() error {
	c.stop()
	return c.Conn.Close()
}

// Ping asks clamd for PONG; an error when it does not answer so.
func (c *Client) Ping(ctx context.Context) error {
	conn, err := c.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("zPING\x00")); err != nil {
		return err
	}
	reply, err := readReply(conn)
	if err != nil {
		return err
	}
	if reply != "PONG" {
		return fmt.Errorf("clamd answered %q to PING", reply)
	}
	return nil
}

// Scan implements workroom.Scanner. It streams r to clamd; when writing
// fails (clamd closed the connection, say on a size limit) it still reads
// clamd's reply, which says why. A read error of r ends the scan with no
// verdict: a prefix of the bytes must never be reported clean.
func (c *Client) Scan(ctx context.Context, r io.Reader) error {
	conn, err := c.dial(ctx)
	if err != nil {
		return workroom.ErrScannerUnavailable(err)
	}
	defer conn.Close()
	werr := stream(conn, r)
	var srcErr *sourceError
	if errors.As(werr, &srcErr) {
		return workroom.ErrScannerUnavailable(werr)
	}
	reply, rerr := readReply(conn)
	if rerr != nil {
		return workroom.ErrScannerUnavailable(errors.Join(werr, rerr))
	}
	return verdict(reply, werr)
}

// sourceError is a failure to read the bytes being scanned.
type sourceError struct{ err error }

func (e *sourceError) Error() string { return "reading the upload: " + e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

// stream sends the INSTREAM command, r in chunks, and the zero length
// that ends it.
func stream(w io.Writer, r io.Reader) error {
	bw := bufio.NewWriterSize(w, chunkSize+4)
	if _, err := bw.WriteString("zINSTREAM\x00"); err != nil {
		return err
	}
	buf := make([]byte, chunkSize)
	var size [4]byte
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			binary.BigEndian.PutUint32(size[:], uint32(n))
			if _, werr := bw.Write(size[:]); werr != nil {
				return werr
			}
			if _, werr := bw.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return &sourceError{err}
		}
	}
	if _, err := bw.Write([]byte{0, 0, 0, 0}); err != nil {
		return err
	}
	return bw.Flush()
}

// readReply reads clamd's NUL-terminated answer.
func readReply(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxReply))
	if err != nil && len(data) == 0 {
		return "", err
	}
	reply := string(bytes.TrimRight(data, "\x00\n"))
	if i := strings.IndexByte(reply, 0); i >= 0 {
		reply = reply[:i]
	}
	if reply == "" {
		return "", errors.New("clamd closed the connection without an answer")
	}
	return reply, nil
}

// verdict reads clamd's answer to INSTREAM: "stream: OK" is clean,
// "stream: NAME FOUND" infected; anything else, or OK after a write that
// failed, is no verdict.
func verdict(reply string, werr error) error {
	body, ok := strings.CutPrefix(reply, "stream: ")
	switch {
	case ok && strings.HasSuffix(body, " FOUND"):
		return workroom.ErrInfected(strings.TrimSuffix(body, " FOUND"))
	case ok && body == "OK" && werr == nil:
		return nil
	case werr != nil:
		return workroom.ErrScannerUnavailable(fmt.Errorf("clamd answered %q after a failed write: %w", reply, werr))
	default:
		return workroom.ErrScannerUnavailable(fmt.Errorf("clamd answered %q", reply))
	}
}
