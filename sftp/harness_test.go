package sftp_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pkg/sftp"
	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	wsftp "github.com/workroom/workroom/sftp"
	"github.com/workroom/workroom/sshd"
	"github.com/workroom/workroom/workroomtest"
)

// env is the real SSH server with the SFTP subsystem on 127.0.0.1:0,
// over the service fixture.
type env struct {
	w    *workroomtest.World
	addr string
	logs *workroomtest.Buffer
}

// person is someone with a real key and an account.
type person struct {
	key gossh.Signer
	id  *workroom.Identity
}

func newKey(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func start(t *testing.T, opts ...workroomtest.Option) *env {
	t.Helper()
	logs := &workroomtest.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	w := workroomtest.New(t, append([]workroomtest.Option{workroomtest.WithLogger(log), workroomtest.WithRealClock()}, opts...)...)
	srv, err := sshd.New(sshd.Config{HostKeyPath: filepath.Join(t.TempDir(), sshd.HostKeyFile), TerminalGrace: 100 * time.Millisecond,
		Subsystems: map[string]sshd.Subsystem{"sftp": wsftp.New(w.Svc, log)}}, w.Svc, nil, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(l)
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-served
	})
	return &env{w: w, addr: l.Addr().String(), logs: logs}
}

// signUp makes an account for key (a fresh one when nil).
func (e *env) signUp(t *testing.T, name string, key gossh.Signer) *person {
	t.Helper()
	if key == nil {
		key = newKey(t)
	}
	k := workroom.KeyOf(key.PublicKey())
	u, err := e.w.Svc.SignUp(context.Background(), k, name, workroomtest.Email(name))
	if err != nil {
		t.Fatal(err)
	}
	return &person{key: key, id: &workroom.Identity{Key: k, User: u}}
}

// sftp opens an SFTP session as p on its own connection.
func (e *env) sftp(t *testing.T, p *person) *sftp.Client {
	t.Helper()
	conn, err := gossh.Dial("tcp", e.addr, &gossh.ClientConfig{User: "x", Auth: []gossh.AuthMethod{gossh.PublicKeys(p.key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	c, err := sftp.NewClient(conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

const osWriteTrunc = os.O_WRONLY | os.O_CREATE | os.O_TRUNC

// roomDir is the SFTP folder of a room.
func roomDir(r *workroom.Room) string { return "/" + workroom.RoomFolder(r) }

// put uploads data as the SFTP path p, the way OpenSSH's sftp does.
func put(t *testing.T, c *sftp.Client, p string, data []byte) {
	t.Helper()
	if err := tryPut(c, p, data); err != nil {
		t.Fatalf("put %s: %v", p, err)
	}
}

func tryPut(c *sftp.Client, p string, data []byte) error {
	f, err := c.OpenFile(p, osWriteTrunc)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// get reads the SFTP path p whole.
func get(t *testing.T, c *sftp.Client, p string) []byte {
	t.Helper()
	f, err := c.Open(p)
	if err != nil {
		t.Fatalf("open %s: %v", p, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatalf("read %s: %v", p, err)
	}
	return b
}

// statusOf is the SFTP status code of err, or 0, and the server's text
// where pkg/sftp's client keeps it: it turns no-such-file and
// permission-denied into os.ErrNotExist and os.ErrPermission, dropping
// the text (lftp shows it; the e2e tests check).
func statusOf(err error) (uint32, string) {
	var s *sftp.StatusError
	switch {
	case errors.As(err, &s):
		return s.Code, s.Error()
	case errors.Is(err, os.ErrNotExist):
		return 2, ""
	case errors.Is(err, os.ErrPermission):
		return 3, ""
	}
	return 0, ""
}
