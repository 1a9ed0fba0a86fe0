package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/smtp"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pkg/sftp"
	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// gracefulRoom is a server with a room between Carla and Fred, ready for
// uploads.
type gracefulRoom struct {
	s           *server
	data, addr  string
	room        string
	carla, fred gossh.Signer
}

func startGracefulRoom(t *testing.T, grace string) *gracefulRoom {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data")
	s := startServer(t, "--data", data, "--ssh-addr", "127.0.0.1:0", "--no-scan",
		"--terminal-grace", "200ms", "--shutdown-grace", grace)
	r := &gracefulRoom{s: s, data: data, addr: s.waitAddr(t), carla: newSigner(t), fred: newSigner(t)}
	mustRun(t, r.addr, r.carla, "signup --name Carla --email carla@example.com")
	mustRun(t, r.addr, r.fred, "signup --name Fred --email fred@example.com")
	job := mustRun(t, r.addr, r.carla, "job post --title Logo")
	prop := mustRun(t, r.addr, r.fred, "propose "+job+" --text me")
	r.room = mustRun(t, r.addr, r.carla, "award "+job+" "+prop)
	return r
}

// slowUpload is an upload whose bytes the test sends when it chooses.
type slowUpload struct {
	write  func([]byte) error
	finish func() error // ends the upload; nil when the server acknowledged it
}

// putUpload starts `put ROOM NAME` and returns it.
func (r *gracefulRoom) putUpload(t *testing.T, name string) *slowUpload {
	t.Helper()
	c := dialTest(t, r.addr, r.fred)
	t.Cleanup(func() { _ = c.Close() })
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out workroomtest.Buffer
	sess.Stdout, sess.Stderr = &out, &out
	if err := sess.Start("put " + r.room + " " + name); err != nil {
		t.Fatal(err)
	}
	return &slowUpload{
		write: func(p []byte) error { _, err := stdin.Write(p); return err },
		finish: func() error {
			_ = stdin.Close()
			if err := sess.Wait(); err != nil {
				return errors.New(err.Error() + ": " + out.String())
			}
			if !strings.Contains(out.String(), "stored version 1") {
				return errors.New("put said " + out.String())
			}
			return nil
		},
	}
}

// sftpUpload opens NAME in the room's folder over SFTP and returns it.
func (r *gracefulRoom) sftpUpload(t *testing.T, name string) *slowUpload {
	t.Helper()
	c := dialTest(t, r.addr, r.fred)
	t.Cleanup(func() { _ = c.Close() })
	cl, err := sftp.NewClient(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	dirs, err := cl.ReadDir("/")
	if err != nil || len(dirs) != 1 {
		t.Fatalf("sftp folders %v, %v; want the one room", dirs, err)
	}
	f, err := cl.Create("/" + dirs[0].Name() + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return &slowUpload{
		write:  func(p []byte) error { _, err := f.Write(p); return err },
		finish: f.Close,
	}
}

// tempBytes waits until an upload's bytes are in a temp file.
func (r *gracefulRoom) waitTempBytes(t *testing.T) {
	t.Helper()
	workroomtest.WaitUntil(t, "the upload's bytes in a temp file", func() bool {
		names, _ := filepath.Glob(filepath.Join(r.data, tmpDir, "*"))
		for _, n := range names {
			if info, err := os.Stat(n); err == nil && info.Size() > 0 {
				return true
			}
		}
		return false
	})
}

// term sends SIGTERM and waits until the server says it is stopping.
func (r *gracefulRoom) term(t *testing.T) {
	t.Helper()
	if err := r.s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	workroomtest.WaitUntil(t, "the server to start stopping", func() bool {
		return strings.Contains(r.s.log.String(), `msg=stopping`)
	})
}

// exited waits for the server to exit with status 0 within limit.
func (r *gracefulRoom) exited(t *testing.T, limit time.Duration) {
	t.Helper()
	select {
	case err := <-r.s.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, r.s.log.String())
		}
	case <-time.After(limit):
		t.Fatalf("still running %v after SIGTERM:\n%s", limit, r.s.log.String())
	}
	if names, _ := filepath.Glob(filepath.Join(r.data, tmpDir, "*")); len(names) != 0 {
		t.Errorf("temp files left by the stopped server: %v", names)
	}
}

// files restarts the server on the same data and lists the room's files.
func (r *gracefulRoom) files(t *testing.T) (*workroom.FilePage, string) {
	t.Helper()
	s := startServer(t, "--data", r.data, "--ssh-addr", "127.0.0.1:0", "--no-scan")
	addr := s.waitAddr(t)
	var page workroom.FilePage
	if err := json.Unmarshal([]byte(mustRun(t, addr, r.carla, "files "+r.room+" --json")), &page); err != nil {
		t.Fatal(err)
	}
	return &page, addr
}

var uploadWays = []struct {
	name  string
	start func(r *gracefulRoom, t *testing.T, name string) *slowUpload
}{
	{"sftp", (*gracefulRoom).sftpUpload},
	{"put", (*gracefulRoom).putUpload},
}

func TestServe_SIGTERMLetsARunningUploadFinishWithinTheGrace(t *testing.T) {
	for _, way := range uploadWays {
		t.Run(way.name, func(t *testing.T) {
			r := startGracefulRoom(t, "20s")
			body := make([]byte, 3<<20)
			_, _ = rand.Read(body)
			up := way.start(r, t, "late.bin")
			if err := up.write(body[:1<<20]); err != nil {
				t.Fatal(err)
			}
			r.waitTempBytes(t)

			r.term(t)
			// Past the terminal grace (200ms), which once ended SFTP
			// sessions.
			workroomtest.WaitUntil(t, "the terminal grace to pass", func() bool {
				return strings.Contains(r.s.log.String(), `msg="ssh: terminal grace over"`)
			})
			if err := up.write(body[1<<20:]); err != nil {
				t.Fatalf("writing the rest after SIGTERM: %v", err)
			}
			if err := up.finish(); err != nil {
				t.Fatalf("the upload finished within the grace was not acknowledged: %v\n%s", err, r.s.log.String())
			}
			r.exited(t, 15*time.Second)

			page, addr := r.files(t)
			if len(page.Files) != 1 || page.Files[0].Path != "late.bin" || page.Usage.Used != int64(len(body)) {
				t.Fatalf("after the restart: %+v", page)
			}
			if want := sha256.Sum256(body); page.Files[0].Versions[0].SHA256 != hex.EncodeToString(want[:]) {
				t.Fatalf("stored SHA-256 %s, sent %x", page.Files[0].Versions[0].SHA256, want)
			}
			if got, status := sshRun(t, addr, r.fred, "get "+r.room+" late.bin"); status != 0 || got != string(body) {
				t.Fatalf("get: exit %d, %d bytes; want the %d bytes sent", status, len(got), len(body))
			}
		})
	}
}

func TestServe_SIGTERMDiscardsAnUploadThatOutlastsTheGrace(t *testing.T) {
	for _, way := range uploadWays {
		t.Run(way.name, func(t *testing.T) {
			r := startGracefulRoom(t, "1s")
			up := way.start(r, t, "never.bin")
			if err := up.write(make([]byte, 1<<20)); err != nil {
				t.Fatal(err)
			}
			r.waitTempBytes(t)
			start := time.Now()
			r.term(t)
			r.exited(t, 10*time.Second) // no temp file left: the upload was aborted, its reservation with it
			if d := time.Since(start); d < time.Second {
				t.Errorf("stopped after %v, before the 1s grace the upload had", d)
			}
			if err := up.finish(); err == nil {
				t.Error("an upload cut off at the deadline was acknowledged")
			}
			if !strings.Contains(r.s.log.String(), "sessions still running at the shutdown deadline") {
				t.Errorf("the log does not say sessions were ended at the deadline:\n%s", r.s.log.String())
			}
			page, _ := r.files(t)
			if len(page.Files) != 0 || page.Usage.Used != 0 {
				t.Fatalf("after the restart: %+v; want no file and nothing used", page)
			}
			blobs := 0
			_ = filepath.WalkDir(filepath.Join(r.data, blobsDir), func(_ string, e os.DirEntry, err error) error {
				if err == nil && !e.IsDir() {
					blobs++
				}
				return nil
			})
			if blobs != 0 {
				t.Fatalf("%d blobs stored for a discarded upload", blobs)
			}
		})
	}
}

var (
	smtpListening = regexp.MustCompile(`msg="smtp listening" addr=(\S+)`)
	codeLine      = regexp.MustCompile(`(?m)^Verification code: (\d+)\r?$`)
)

// verify verifies the address of the account behind signer with the
// code mailed to it.
func (r *gracefulRoom) verify(t *testing.T, signer gossh.Signer, email string) {
	t.Helper()
	code := ""
	workroomtest.WaitUntil(t, "the verification mail to "+email, func() bool {
		files, _ := filepath.Glob(filepath.Join(r.data, outboxDir, "*.eml"))
		for _, f := range files {
			b, _ := os.ReadFile(f)
			if m := codeLine.FindSubmatch(b); m != nil && strings.Contains(string(b), email) {
				code = string(m[1])
				return true
			}
		}
		return false
	})
	mustRun(t, r.addr, signer, "verify "+code)
}

func TestServe_SIGTERMLetsAMailBeingReceivedFinish(t *testing.T) {
	r := startGracefulRoom(t, "20s")
	r.verify(t, r.fred, "fred@example.com")
	m := smtpListening.FindStringSubmatch(r.s.log.String())
	if m == nil {
		t.Fatalf("no smtp listening line:\n%s", r.s.log.String())
	}
	c, err := smtp.Dial(m[1])
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("fred@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("room-" + r.room + "@workroom.localhost"); err != nil {
		t.Fatal(err)
	}
	d, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(d, "From: <fred@example.com>\r\nSubject: files\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsent across the restart\r\n")

	r.term(t)
	_, _ = io.WriteString(d, "--b1\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=notes.txt\r\n\r\nthe notes\r\n--b1--\r\n")
	if err := d.Close(); err != nil {
		t.Fatalf("a mail being received at SIGTERM was refused: %v\n%s", err, r.s.log.String())
	}
	_ = c.Quit()
	r.exited(t, 15*time.Second)

	page, addr := r.files(t)
	if len(page.Files) != 1 || page.Files[0].Path != "notes.txt" {
		t.Fatalf("files after the restart: %+v; want the mail's notes.txt", page.Files)
	}
	if out := mustRun(t, addr, r.carla, "messages "+r.room); !strings.Contains(out, "sent across the restart") {
		t.Fatalf("messages after the restart:\n%s", out)
	}
}
