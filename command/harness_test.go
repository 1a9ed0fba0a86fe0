package command

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/workroom/workroom/cmdline"

	"golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// world is the service fixture with the Runner under test. It runs
// commands as sshd does: it authenticates the key afresh for every command,
// as for a new connection. The runner reads the world's clock.
type world struct {
	*workroomtest.World
	t      *testing.T
	runner *Runner
	logs   *workroomtest.Buffer
}

func newWorld(t *testing.T, opts ...workroomtest.Option) *world {
	t.Helper()
	w := &world{World: workroomtest.New(t, opts...), t: t, logs: &workroomtest.Buffer{}}
	w.runner = New(w.Svc, slog.New(slog.NewJSONHandler(w.logs, nil)))
	w.runner.now = w.Now
	return w
}

// result is what a command left behind.
type result struct {
	status         int
	stdout, stderr string
}

// run runs one command line for a key, with stdin.
func (w *world) run(key workroom.Key, stdin string, args ...string) result {
	w.t.Helper()
	ctx := context.Background()
	id, err := w.Svc.Authenticate(ctx, key)
	if err != nil {
		w.t.Fatalf("authenticate %s: %v", key.Fingerprint, err)
	}
	var out, errb bytes.Buffer
	status := w.runner.Run(ctx, id, lineOf(args...), strings.NewReader(stdin), &out, &errb)
	return result{status: status, stdout: out.String(), stderr: errb.String()}
}

// ok runs a command that must succeed and returns its stdout.
func (w *world) ok(key workroom.Key, args ...string) string {
	w.t.Helper()
	r := w.run(key, "", args...)
	if r.status != 0 || r.stderr != "" {
		w.t.Fatalf("%q: status %d, stderr %q", args, r.status, r.stderr)
	}
	return r.stdout
}

// okID runs a command that prints an id and returns it.
func (w *world) okID(key workroom.Key, args ...string) uint64 {
	w.t.Helper()
	out := w.ok(key, args...)
	id, err := strconv.ParseUint(strings.TrimSpace(out), 10, 64)
	if err != nil {
		w.t.Fatalf("%q printed %q, want an id alone", args, out)
	}
	return id
}

// newKey makes an SSH key as sshd would present it, and its authorized_keys
// line as a person would paste it (with a comment).
func newKey(t *testing.T) (workroom.Key, string) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	authorized := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk)))
	return workroom.Key{Fingerprint: ssh.FingerprintSHA256(pk), Authorized: authorized}, authorized + " someone@laptop\n"
}

// signUp makes a real key and an account for it through the signup
// command.
func (w *world) signUp(name string) workroom.Key {
	w.t.Helper()
	key, _ := newKey(w.t)
	w.ok(key, "signup", "--name", name, "--email", workroomtest.Email(name))
	return key
}

// awardedRoom has client post a job, freelancer propose, and client award;
// it returns the new room's id. The freelancer then reads the room, so
// the hired notice (message 1) is read and the room is caught up.
func (w *world) awardedRoom(client, freelancer workroom.Key, title string) uint64 {
	w.t.Helper()
	job := w.okID(client, "job", "post", "--title", title)
	p := w.okID(freelancer, "propose", strconv.FormatUint(job, 10), "--text", "I can do it")
	room := w.okID(client, "award", strconv.FormatUint(job, 10), strconv.FormatUint(p, 10))
	w.ok(freelancer, "messages", strconv.FormatUint(room, 10))
	return room
}

// decode parses stdout as exactly one JSON document.
func decode[T any](t *testing.T, stdout string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("stdout holds more than one JSON document:\n%s", stdout)
	}
	return v
}

// oneLine asserts stderr is exactly one line and returns it.
func oneLine(t *testing.T, stderr string) string {
	t.Helper()
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Fatalf("stderr is not exactly one line: %q", stderr)
	}
	return strings.TrimSuffix(stderr, "\n")
}

// refused asserts a command failed with status 1, nothing on stdout and one
// line on stderr containing want.
func refused(t *testing.T, r result, want string) {
	t.Helper()
	if r.status != 1 {
		t.Fatalf("status %d, want 1 (stderr %q)", r.status, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing", r.stdout)
	}
	if line := oneLine(t, r.stderr); !strings.Contains(line, want) {
		t.Errorf("stderr %q, want it to contain %q", line, want)
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// runLine runs one raw command line, as an SSH client sends it, for a key,
// with stdin.
func (w *world) runLine(key workroom.Key, stdin, raw string) result {
	w.t.Helper()
	ctx := context.Background()
	id, err := w.Svc.Authenticate(ctx, key)
	if err != nil {
		w.t.Fatalf("authenticate %s: %v", key.Fingerprint, err)
	}
	var out, errb bytes.Buffer
	status := w.runner.Run(ctx, id, cmdline.Parse(raw), strings.NewReader(stdin), &out, &errb)
	return result{status: status, stdout: out.String(), stderr: errb.String()}
}

// lineOf is the line an SSH client sends for these words: joined by spaces.
func lineOf(words ...string) cmdline.Line { return cmdline.Parse(strings.Join(words, " ")) }
