package e2e_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom/postgres/pgtest"
	"github.com/workroom/workroom/s3blobs/s3test"
)

// frontEnds are two `workroom serve` processes over one PostgreSQL and
// one S3 bucket (versitygw), as behind a TCP load balancer: each has its
// own data folder, both the same host key.
type frontEnds struct {
	a, b   *server
	bucket string // the --blobs URL
	s3     *s3test.Server
}

func startFrontEnds(t *testing.T, extra ...string) *frontEnds {
	t.Helper()
	f := &frontEnds{s3: s3test.Start(t)}
	url, env := f.s3.Bucket(t)
	f.bucket = url
	flags := append([]string{"--store", pgtest.NewDatabase(t), "--blobs", url, "--no-scan", "--rate-messages", "off", "--rate-sessions", "off"}, extra...)
	f.a = startServerEnv(t, t.TempDir(), env, flags...)
	dataB := t.TempDir()
	key, err := os.ReadFile(filepath.Join(f.a.data, "ssh_host_ed25519_key"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dataB, "ssh_host_ed25519_key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	f.b = startServerEnv(t, dataB, env, flags...)
	return f
}

// via is the same person connecting to another front end.
func (u *user) via(s *server) *user {
	c := *u
	c.srv = s
	return &c
}

// signUpAcross signs u up on its front end; the verification mail is
// written by whichever front end's sender took it from the shared queue.
func (f *frontEnds) signUpAcross(u *user) {
	u.t.Helper()
	u.ok("signup", "--name", u.name, "--email", u.email)
	u.ok("verify", u.mailedCodeIn(codeLine, f.a, f.b))
}

// TestE2E_TwoFrontEndsAreOneServer: Carla signs up on front end A, Fred
// on B; the job is awarded and Fred posts through B, and Carla's terminal
// on A shows it with no key pressed; she sees Fred here in the People
// pane while his terminal on B is in the room; a file uploaded by sftp to
// A downloads byte-exact from B.
func TestE2E_TwoFrontEndsAreOneServer(t *testing.T) {
	f := startFrontEnds(t)
	carla, fred := newUser(t, f.a, "carla"), newUser(t, f.b, "fred")
	f.signUpAcross(carla)
	f.signUpAcross(fred)
	room := awardedRoom(t, carla.via(f.b), fred, "Bakery logo")

	tm := newTmux(t, 100, 30, append([]string{"ssh", "-t"}, carla.sshArgs("open", room)...)...)
	tm.waitScreen("Bakery logo")
	fred.ok("post", room, "posted through front end B")
	tm.waitScreen("posted through front end B")

	tm.keys("p")
	tm.waitScreenMatch(`fred +freelancer +away`)
	visitor := newTmux(t, 100, 30, append([]string{"ssh", "-t"}, fred.sshArgs("open", room)...)...)
	visitor.waitScreen("Bakery logo")
	tm.waitScreenMatch(`fred +freelancer +here`)
	visitor.keys("q")
	tm.waitScreenMatch(`fred +freelancer +away +last seen just now`)

	dir := "/" + room + "-bakery-logo"
	local := filepath.Join(t.TempDir(), "logo.bin")
	want := make([]byte, 3<<20+17)
	_, _ = rand.Read(want)
	if err := os.WriteFile(local, want, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := carla.sftpBatch(t, fmt.Sprintf("put %s %s/logo.bin\n", local, dir)); r.code != 0 {
		t.Fatalf("sftp put to A: exit %d: %s", r.code, r.stderr)
	}
	back := filepath.Join(t.TempDir(), "back.bin")
	if r := fred.sftpBatch(t, fmt.Sprintf("get %s/logo.bin %s\n", dir, back)); r.code != 0 {
		t.Fatalf("sftp get from B: exit %d: %s", r.code, r.stderr)
	}
	got, err := os.ReadFile(back)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("downloaded from B: %d bytes (%v), want the %d uploaded to A", len(got), err, len(want))
	}
	sum := sha256.Sum256(want)
	if keys := f.s3.Keys(t, f.bucket); !slices.Contains(keys, hex.EncodeToString(sum[:])) {
		t.Errorf("bucket keys %v do not hold the file's SHA-256 %x", keys, sum)
	}
}

// TestE2E_KilledFrontEndLosesNothingAcknowledged: posts go through both
// front ends at once; A is killed with SIGKILL mid-traffic; every post
// either front end acknowledged is readable through B, and B goes on.
func TestE2E_KilledFrontEndLosesNothingAcknowledged(t *testing.T) {
	f := startFrontEnds(t)
	carla, fred := newUser(t, f.a, "carla"), newUser(t, f.b, "fred")
	f.signUpAcross(carla)
	f.signUpAcross(fred)
	room := awardedRoom(t, carla, fred.via(f.a), "Crash")

	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, u := range []*user{carla, fred, carla.via(f.b), fred.via(f.a)} {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				body := fmt.Sprintf("fe-%s-%s-%d", u.name, u.srv.port, n)
				if r := u.run("", "post", room, body); r.code == 0 {
					mu.Lock()
					acked = append(acked, body)
					mu.Unlock()
				}
			}
		})
	}
	waitFor(t, "posts through both front ends", 30*time.Second, func() (bool, string) {
		mu.Lock()
		defer mu.Unlock()
		return len(acked) >= 20, fmt.Sprint(len(acked), " acknowledged")
	})
	if err := f.a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-f.a.done
	mu.Lock()
	atKill := len(acked)
	mu.Unlock()
	waitFor(t, "posts through B after A was killed", 30*time.Second, func() (bool, string) {
		mu.Lock()
		defer mu.Unlock()
		return len(acked) >= atKill+10, fmt.Sprint(len(acked)-atKill, " since")
	})
	close(stop)
	wg.Wait()

	stored := make(map[string]bool)
	for _, m := range allMessages(t, fred, room) {
		stored[m.Body] = true
	}
	mu.Lock()
	defer mu.Unlock()
	var missing []string
	for _, body := range acked {
		if !stored[body] {
			missing = append(missing, body)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%d of %d acknowledged posts not readable through B after A was killed: %v", len(missing), len(acked), missing)
	}
	fred.ok("post", room, "B goes on")
}

// TestE2E_MeetingAcrossFrontEnds: Carla's terminal is on front end A,
// Fred's on B; she asks for a meeting, he accepts, lines cross both ways
// as they are sent and are saved as the room's meeting lines; he leaves
// and her screen shows the meeting ended.
func TestE2E_MeetingAcrossFrontEnds(t *testing.T) {
	f := startFrontEnds(t)
	carla, fred := newUser(t, f.a, "carla"), newUser(t, f.b, "fred")
	f.signUpAcross(carla)
	f.signUpAcross(fred)
	room := awardedRoom(t, carla, fred.via(f.a), "Bakery logo")

	onA := newTmux(t, 100, 30, append([]string{"ssh", "-t"}, carla.sshArgs("open", room)...)...)
	onB := newTmux(t, 100, 30, append([]string{"ssh", "-t"}, fred.sshArgs("open", room)...)...)
	onA.waitScreen("hired")
	onB.waitScreen("hired")
	onA.keys("m")
	onA.waitScreen("waiting for an answer")
	onB.waitScreen("asks for a meeting")
	onB.keys("a")
	onA.waitScreen("Meeting since")
	onB.waitScreen("Meeting since")

	onA.keys("good morning from A", "Enter")
	onB.waitScreen("good morning from A")
	onB.keys("morning from B", "Enter")
	onA.waitScreen("morning from B")
	for i, m := range allMessages(t, carla, room)[:2] {
		want := []string{"morning from B", "good morning from A"}[i]
		if m.Body != want || m.Source != "meeting" {
			t.Errorf("message %d is %q (source %q), want %q with source meeting", i, m.Body, m.Source, want)
		}
	}
	onB.keys("Escape")
	onA.waitScreen("The meeting ended: fred left.")
}
