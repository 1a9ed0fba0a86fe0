package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
)

// TestServe_PostgresStoreIsSharedByTwoServers: two servers with data
// folders of their own and one --store URL keep one set of accounts and
// rooms: what is written through one is read through the other, and
// neither writes the embedded store file.
func TestServe_PostgresStoreIsSharedByTwoServers(t *testing.T) {
	url := pgtest.NewDatabase(t)
	dataA, dataB := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	// One server takes the URL from the environment, the other from
	// the flag.
	a := startServerEnv(t, []string{"WORKROOM_STORE=" + url}, "--data", dataA, "--ssh-addr", "127.0.0.1:0", "--no-scan")
	b := startServer(t, "--data", dataB, "--store", url, "--ssh-addr", "127.0.0.1:0", "--no-scan")
	addrA, addrB := a.waitAddr(t), b.waitAddr(t)

	var signers []gossh.Signer
	for range 2 {
		_, priv, _ := ed25519.GenerateKey(rand.Reader)
		s, err := gossh.NewSignerFromKey(priv)
		if err != nil {
			t.Fatal(err)
		}
		signers = append(signers, s)
	}
	ada, bob := signers[0], signers[1]
	run := func(addr string, signer gossh.Signer, command string) string {
		t.Helper()
		out, status := sshRun(t, addr, signer, command)
		if status != 0 {
			t.Fatalf("%s: exit %d: %s", command, status, out)
		}
		return out
	}
	run(addrA, ada, "signup --name Ada --email ada@example.com")
	run(addrB, bob, "signup --name Bob --email bob@example.com")
	run(addrB, ada, "job post --title Logo") // Ada's account, made on A
	run(addrA, bob, "propose 1 --text me")
	run(addrB, ada, "award 1 1")
	run(addrA, ada, "post 1 hello from A")
	if out := run(addrB, bob, "messages 1"); !strings.Contains(out, "hello from A") {
		t.Fatalf("messages on B:\n%s\nwant the message posted on A", out)
	}
	for _, data := range []string{dataA, dataB} {
		if _, err := os.Stat(filepath.Join(data, storeFile)); !os.IsNotExist(err) {
			t.Errorf("a server on PostgreSQL wrote %s (%v)", filepath.Join(data, storeFile), err)
		}
	}
	if log := a.log.String(); !strings.Contains(log, `store="postgres://`) {
		t.Errorf("A's log does not name the PostgreSQL store:\n%s", log)
	}

	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if j, err := db.Job(ctx, 1); err != nil || j.Title != "Logo" || j.RoomID != 1 {
		t.Fatalf("the database holds job %+v, %v; want Ada's Logo, awarded", j, err)
	}
}
