package main

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

// The SSH client side, as bench/hostile does it (that tool is its own
// main package, so the few helpers are repeated here rather than shared).

// dialTimeout bounds a connection and its handshake.
const dialTimeout = 30 * time.Second

// dial connects from a loopback source address with one key.
func dial(addr, src string, key ssh.Signer) (*ssh.Client, error) {
	d := net.Dialer{Timeout: dialTimeout, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	cc, chans, reqs, err := ssh.NewClientConn(conn, addr, &ssh.ClientConfig{
		User:            "load",
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(key)},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), // loopback, a server the script started
		Timeout:         dialTimeout,
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	return ssh.NewClient(cc, chans, reqs), nil
}

// newSession opens a session on cl, waiting as the server asks when it
// refuses one for opening them too fast.
func newSession(cl *ssh.Client) (*ssh.Session, error) {
	for {
		sess, err := cl.NewSession()
		if !isRateLimited(err) {
			return sess, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// isRateLimited reports a session refused for being opened too fast.
func isRateLimited(err error) bool {
	var e *ssh.OpenChannelError
	return errors.As(err, &e) && strings.Contains(e.Message, "too many sessions")
}

// run1 runs one command on a new session of cl and returns its trimmed
// stdout.
func run1(cl *ssh.Client, line string) (string, error) {
	sess, err := newSession(cl)
	if err != nil {
		return "", err
	}
	defer sess.Close()
	var out, errb bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errb
	if err := sess.Run(line); err != nil {
		return "", fmt.Errorf("%.60s: %w: %s", line, err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

func newSigner() ssh.Signer {
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
