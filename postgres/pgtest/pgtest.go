// Package pgtest runs a throwaway PostgreSQL cluster for tests: initdb in
// a temp folder (as the unprivileged "postgres" user when the tests run as
// root, since PostgreSQL refuses to run as root), a postgres server on a
// free loopback port, stopped by PID when the test binary ends. Each test
// gets an empty database of its own on it.
//
// A package using it runs its tests through Main:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DurableEnv, set to anything, starts the cluster with PostgreSQL's
// defaults — every commit flushed to disk — for benchmarks compared with
// the bbolt store's synced commits. Tests run without it, fsync off.
const DurableEnv = "PGTEST_DURABLE"

// startWait bounds the server's start; it takes about a second here.
const startWait = 60 * time.Second

// Cluster is a running throwaway server.
type Cluster struct {
	dir  string // the temp folder: data, socket, log
	port int
	cmd  *exec.Cmd
	done chan struct{}
}

var (
	once    sync.Once
	running *Cluster
	skipWhy string // PostgreSQL is not installed
	failed  error  // it is, but the cluster would not start
	dbSeq   atomic.Int64
)

// Main runs the tests and stops the cluster, if one was started, when
// they are done.
func Main(m *testing.M) int {
	code := m.Run()
	if running != nil {
		running.stop()
	}
	return code
}

// NewDatabase creates an empty database on the cluster (starting it on
// first use) and returns its URL; the database is dropped when the test
// ends. It skips the test, saying why, when PostgreSQL is not installed.
func NewDatabase(t testing.TB) string {
	t.Helper()
	once.Do(func() { running, skipWhy, failed = start() })
	switch {
	case skipWhy != "":
		t.Skip(skipWhy)
	case failed != nil:
		t.Fatalf("pgtest: %v", failed)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1))
	if err := running.exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() { _ = running.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	return running.URL(name)
}

// URL is the address of a database on the cluster.
func (c *Cluster) URL(database string) string {
	return fmt.Sprintf("postgres://workroom@127.0.0.1:%d/%s?sslmode=disable", c.port, database)
}

// BinDir finds the folder of PostgreSQL's server programs (Debian keeps
// them out of PATH, one folder per major version: the newest wins), or ""
// when none is installed.
func BinDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	return ""
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// start makes and starts the cluster.
func start() (*Cluster, string, error) {
	bin := BinDir()
	if bin == "" {
		return nil, "PostgreSQL is not installed (Debian: apt-get install postgresql, or run scripts/install-test-deps)", nil
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, "", err
	}
	cred, err := runAs(dir)
	if err != nil {
		return nil, "", err
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "workroom", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, "", fmt.Errorf("initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	c := &Cluster{dir: dir, port: port, done: make(chan struct{})}
	args := []string{"-D", data, "-p", strconv.Itoa(port), "-h", "127.0.0.1", "-k", dir, "-c", "max_connections=500"}
	if os.Getenv(DurableEnv) == "" {
		// fsync off: a test cluster need not survive a power cut, and
		// it makes the suite's thousands of commits fast.
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), args...)
	log, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		return nil, "", err
	}
	_ = log.Chown(int(credUID(cred)), -1)
	c.cmd.Stdout, c.cmd.Stderr = log, log
	// Pdeathsig stops the server if the test binary is killed before
	// Main can stop it.
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	if err := c.cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, "", err
	}
	go func() { _ = c.cmd.Wait(); close(c.done) }()
	if err := c.waitReady(); err != nil {
		out, _ := os.ReadFile(log.Name())
		c.stop()
		return nil, "", fmt.Errorf("postgres did not start: %v\n%s", err, out)
	}
	return c, "", nil
}

// runAs returns the credentials to run PostgreSQL with — the "postgres"
// (else "nobody") user when we are root, nil otherwise — and gives dir to
// that user.
func runAs(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var u *user.User
	var err error
	for _, name := range []string{"postgres", "nobody"} {
		if u, err = user.Lookup(name); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("running as root, and no unprivileged user to run postgres as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func credUID(c *syscall.Credential) uint32 {
	if c == nil {
		return uint32(os.Getuid())
	}
	return c.Uid
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady waits until the server takes connections, or exits.
func (c *Cluster) waitReady() error {
	deadline := time.Now().Add(startWait)
	for {
		err := c.exec("SELECT 1")
		if err == nil {
			return nil
		}
		select {
		case <-c.done:
			return errors.New("postgres exited")
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return err
		}
	}
}

// exec runs one statement on the maintenance database.
func (c *Cluster) exec(sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// stop shuts the server down (SIGINT: fast shutdown), by PID, and
// removes its folder.
func (c *Cluster) stop() {
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.done:
	case <-time.After(20 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
	_ = os.RemoveAll(c.dir)
}
