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
// rooms: an account made through one works through the other, and
// neither writes the embedded store file.
func TestServe_PostgresStoreIsSharedByTwoServers(t *testing.T) {
	url := pgtest.NewDatabase(t)
	dataA, dataB := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	// One server takes the URL from the environment, the other from
	// the flag.
	a := startServerEnv(t, []string{"WORKROOM_STORE=" + url}, "--data", dataA, "--ssh-addr", "127.0.0.1:0", "--no-scan")
	b := startServer(t, "--data", dataB, "--store", url, "--ssh-addr", "127.0.0.1:0", "--no-scan")
	addrA, addrB := a.waitAddr(t), b.waitAddr(t)

	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	ada, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	if out, status := sshRun(t, addrA, ada, "signup --name Ada --email ada@example.com"); status != 0 {
		t.Fatalf("signup on A: exit %d: %s", status, out)
	}
	out, status := sshRun(t, addrB, ada, "job post --title Logo")
	if status != 0 {
		t.Fatalf("job post on B by the account made on A: exit %d: %s", status, out)
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
	jobs, err := db.OpenJobs(ctx, 0, 0, 10)
	if err != nil || len(jobs) != 1 || jobs[0].Title != "Logo" {
		t.Fatalf("the database holds jobs %+v, %v; want Ada's Logo", jobs, err)
	}
}
