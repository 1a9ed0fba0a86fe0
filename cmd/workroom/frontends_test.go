package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
	"github.com/workroom/workroom/workroomtest"
)

// twoFrontEnds starts two servers over one new PostgreSQL database, each
// with its own data folder and args, and returns their SSH addresses and
// data folders.
func twoFrontEnds(t *testing.T, args ...string) (url string, addrs, datas [2]string) {
	t.Helper()
	url = pgtest.NewDatabase(t)
	for i := range 2 {
		datas[i] = filepath.Join(t.TempDir(), fmt.Sprintf("fe%d", i))
		s := startServer(t, append([]string{"--data", datas[i], "--store", url, "--ssh-addr", "127.0.0.1:0", "--no-scan"}, args...)...)
		addrs[i] = s.waitAddr(t)
	}
	return url, addrs, datas
}

// TestServe_FrontEndsShareRateLimitsAndSendEachMailOnce: a rate is one
// budget across the front ends over one database, and each verification
// mail is sent by one front end only, once.
func TestServe_FrontEndsShareRateLimitsAndSendEachMailOnce(t *testing.T) {
	url, addrs, datas := twoFrontEnds(t, "--rate-jobs", "2/h")
	const people = 4
	signers := make([]gossh.Signer, people)
	for i := range signers {
		signers[i] = newSigner(t)
		if out, status := sshRun(t, addrs[i%2], signers[i], fmt.Sprintf("signup --name P%d --email p%d@example.com", i, i)); status != 0 {
			t.Fatalf("signup %d: exit %d: %s", i, status, out)
		}
	}
	ada := signers[0]
	for i := range 2 {
		if out, status := sshRun(t, addrs[i], ada, "job post --title Logo"); status != 0 {
			t.Fatalf("job post %d on front end %d: exit %d: %s", i+1, i, status, out)
		}
	}
	for i := range 2 {
		if out, status := sshRun(t, addrs[i], ada, "job post --title Logo"); status != 1 || !strings.Contains(out, "too many job posts") {
			t.Fatalf("a third job post on front end %d: exit %d: %s; want refused, the rate being 2/h across both", i, status, out)
		}
	}

	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	workroomtest.WaitUntil(t, "the outbox to empty", func() bool {
		var n int
		return db.Pool().QueryRow(ctx, `SELECT count(*) FROM outbox`).Scan(&n) == nil && n == 0
	})
	sent := make(map[string]int) // mail id -> files written
	for _, data := range datas {
		files, _ := filepath.Glob(filepath.Join(data, outboxDir, "*.eml"))
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".eml")
			sent[name[strings.LastIndex(name, "-")+1:]]++
		}
	}
	if len(sent) != people {
		t.Fatalf("mails written for %d ids, want %d: %v", len(sent), people, sent)
	}
	for id, n := range sent {
		if n != 1 {
			t.Errorf("mail %s was sent %d times", id, n)
		}
	}
}

// TestServe_FrontEndsShareConnectionsPerAccount: an account at its most
// connections on one front end is refused a session on another, and let
// in once a connection closes.
func TestServe_FrontEndsShareConnectionsPerAccount(t *testing.T) {
	_, addrs, _ := twoFrontEnds(t, "--max-conns-per-account", "1")
	bob := newSigner(t)
	if out, status := sshRun(t, addrs[0], bob, "signup --name Bob --email bob@example.com"); status != 0 {
		t.Fatalf("signup: exit %d: %s", status, out)
	}
	// Hold a connection with a session on A (once the sign-up's has
	// left the count).
	var held *gossh.Client
	workroomtest.WaitUntil(t, "a connection held on A", func() bool {
		c := dialTest(t, addrs[0], bob)
		sess, err := c.NewSession()
		if err == nil {
			err = sess.Run("whoami")
		}
		if err != nil {
			_ = c.Close()
			return false
		}
		held = c
		return true
	})
	out, status := sshRun(t, addrs[1], bob, "whoami")
	if status != 1 || !strings.Contains(out, "already has 1 connections open") {
		t.Fatalf("a session on B while A holds the account's one connection: exit %d: %s; want refused", status, out)
	}
	_ = held.Close()
	workroomtest.WaitUntil(t, "B to let the account in once A's connection closed", func() bool {
		_, status := sshRun(t, addrs[1], bob, "whoami")
		return status == 0
	})
}
