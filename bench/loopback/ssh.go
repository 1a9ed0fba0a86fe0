// Package loopback is what the load tools under bench/ share: SSH clients
// for a workroom server on this machine's loopback, percentiles, and the
// server's figures read from /proc. It is for benchmarks only.
package loopback

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// DialTimeout bounds a connection and its handshake.
const DialTimeout = 30 * time.Second

// Dial connects to addr from the loopback source address src with one key.
func Dial(addr, src string, key ssh.Signer) (*ssh.Client, error) {
	d := net.Dialer{Timeout: DialTimeout, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	cc, chans, reqs, err := ssh.NewClientConn(conn, addr, &ssh.ClientConfig{
		User:            "bench",
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(key)},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), // loopback, a server the script started
		Timeout:         DialTimeout,
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	return ssh.NewClient(cc, chans, reqs), nil
}

// NewSession opens a session on cl, waiting as the server asks when it
// refuses one for opening them too fast.
func NewSession(cl *ssh.Client) (*ssh.Session, error) {
	for {
		sess, err := cl.NewSession()
		if !IsRateLimited(err) {
			return sess, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// IsRateLimited reports a session refused for being opened too fast.
func IsRateLimited(err error) bool {
	var e *ssh.OpenChannelError
	return errors.As(err, &e) && strings.Contains(e.Message, "too many sessions")
}

// IsExit reports a command that ran and exited non-zero.
func IsExit(err error) bool {
	var e *ssh.ExitError
	return errors.As(err, &e)
}

// Run runs one command on a new session of cl (waiting when the server
// refuses sessions opened too fast) and returns its trimmed stdout.
func Run(cl *ssh.Client, line, stdin string) (string, error) {
	sess, err := NewSession(cl)
	if err != nil {
		return "", err
	}
	return run(sess, line, stdin)
}

// RunOnce is Run without the wait: a refused session is its error, for a
// caller that counts refusals.
func RunOnce(cl *ssh.Client, line, stdin string) (string, error) {
	sess, err := cl.NewSession()
	if err != nil {
		return "", err
	}
	return run(sess, line, stdin)
}

func run(sess *ssh.Session, line, stdin string) (string, error) {
	defer sess.Close()
	var out, errb bytes.Buffer
	sess.Stdout, sess.Stderr, sess.Stdin = &out, &errb, strings.NewReader(stdin)
	if err := sess.Run(line); err != nil {
		return "", fmt.Errorf("%.60s: %w: %s", line, err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// NewSigner makes a fresh ed25519 key.
func NewSigner() ssh.Signer {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		panic(err)
	}
	return s
}
