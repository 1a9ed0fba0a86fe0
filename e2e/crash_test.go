package e2e_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/smtp"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pkg/sftp"
	gossh "golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
)

// The crash test: posts (SSH commands), uploads (SFTP, and `put` on
// stdin) and mail in (SMTP to room-N@) run side by side while the server
// is killed with SIGKILL at random moments; after each restart on the
// same data, everything a client was told was stored is there, nothing
// half-written is visible, the space used adds up, and every stored
// message has exactly one notification per other member.

const (
	crashCycles = 8
	// crashMaxRun bounds how long the writers run before a kill.
	crashMaxRun = 2 * time.Second
)

// crashBook records what the writers sent and what the server
// acknowledged.
type crashBook struct {
	mu        sync.Mutex
	posts     map[string]bool            // body → acknowledged (false: sent, no answer)
	postAtt   map[string]string          // body → the file an acknowledged post carries
	mails     map[string]string          // body marker → attachment name ("" for none), acknowledged
	sent      map[string]map[string]bool // path → SHA-256 of every whole content sent for it
	acked     map[string]map[string]bool // path → SHA-256 acknowledged
	sizes     map[string]int64           // SHA-256 → size
	contents  map[string][]byte          // SHA-256 → bytes
	mailAtt   map[string]bool            // attachment names acknowledged
	attempted int
}

func newCrashBook() *crashBook {
	return &crashBook{posts: map[string]bool{}, postAtt: map[string]string{}, mails: map[string]string{}, sent: map[string]map[string]bool{},
		acked: map[string]map[string]bool{}, sizes: map[string]int64{}, contents: map[string][]byte{}, mailAtt: map[string]bool{}}
}

func (b *crashBook) sending(path string, data []byte) string {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sent[path] == nil {
		b.sent[path] = map[string]bool{}
	}
	b.sent[path][h] = true
	b.sizes[h] = int64(len(data))
	b.contents[h] = data
	b.attempted++
	return h
}

func (b *crashBook) stored(path, sum string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.acked[path] == nil {
		b.acked[path] = map[string]bool{}
	}
	b.acked[path][sum] = true
}

// crashWorld is the running server and the room the writers use.
type crashWorld struct {
	t           *testing.T
	data        string
	srv         *server
	room        string
	carla, fred *user
	keys        map[*user]gossh.Signer
	book        *crashBook
	rng         *rand.Rand
	pool        [][]byte // contents uploads draw from, so some are identical
}

func signerOf(t *testing.T, u *user) gossh.Signer {
	t.Helper()
	pem, err := os.ReadFile(u.key)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.ParsePrivateKey(pem)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (w *crashWorld) dial(u *user) (*gossh.Client, error) {
	return gossh.Dial("tcp", "127.0.0.1:"+w.srv.port, &gossh.ClientConfig{User: u.name,
		Auth: []gossh.AuthMethod{gossh.PublicKeys(w.keys[u])}, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
}

func TestE2E_KilledAtRandomMomentsLosesNothingAcknowledged(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("WORKROOM_CRASH_SEED"); s != "" { // to replay a failure's choices
		if _, err := fmt.Sscan(s, &seed); err != nil {
			t.Fatalf("WORKROOM_CRASH_SEED=%q: %v", s, err)
		}
	}
	t.Logf("crash test seed %d (replay the same choices with WORKROOM_CRASH_SEED=%[1]d)", seed)
	data := t.TempDir()
	flags := []string{"--no-scan", "--rate-messages", "off", "--rate-sessions", "off"}
	w := &crashWorld{t: t, data: data, srv: startServerWith(t, data, flags...), book: newCrashBook(), rng: rand.New(rand.NewPCG(seed, 1))}
	w.carla, w.fred = newUser(t, w.srv, "carla"), newUser(t, w.srv, "fred")
	w.carla.signUp()
	w.fred.signUp()
	job := firstNumber(t, w.carla.ok("job", "post", "--title", "Crash"))
	w.room = firstNumber(t, w.carla.ok("award", job, firstNumber(t, w.fred.ok("propose", job, "--text", "me"))))
	w.keys = map[*user]gossh.Signer{w.carla: signerOf(t, w.carla), w.fred: signerOf(t, w.fred)}
	for _, n := range []int{0, 1, 700, 40 << 10, 300 << 10, 1500 << 10, 6 << 20} {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(w.rng.IntN(256))
		}
		w.pool = append(w.pool, b)
	}

	start := time.Now()
	for cycle := 1; cycle <= crashCycles; cycle++ {
		smtpPort := w.srv.smtpPort(t)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		writers := []func(){
			func() { w.postLoop(stop, w.carla, cycle) },
			func() { w.postLoop(stop, w.fred, cycle) },
			func() { w.sftpLoop(stop, w.fred, cycle, "a") },
			func() { w.sftpLoop(stop, w.carla, cycle, "b") },
			func() { w.putLoop(stop, w.fred, cycle) },
			func() { w.mailLoop(stop, smtpPort, cycle) },
		}
		for _, f := range writers {
			wg.Go(f)
		}
		// A random moment: this is what the test is about, not a wait
		// for something to happen.
		w.book.mu.Lock() // the writers draw from rng too
		run := time.Duration(w.rng.Int64N(int64(crashMaxRun)))
		w.book.mu.Unlock()
		time.Sleep(run)
		if err := w.srv.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-w.srv.done
		close(stop)
		wg.Wait()

		w.srv = startServerWith(t, data, flags...)
		w.carla.srv, w.fred.srv = w.srv, w.srv
		w.check(cycle)
	}
	b := w.book
	t.Logf("%d cycles in %v: %d posts acknowledged, %d mails, %d uploads sent, %d paths", crashCycles, time.Since(start).Round(time.Millisecond),
		countTrue(b.posts), len(b.mails), b.attempted, len(b.acked))
	if countTrue(b.posts) == 0 || len(b.acked) == 0 || len(b.mails) == 0 {
		t.Fatalf("the writers got too little acknowledged to test anything (seed %d)", seed)
	}
}

func countTrue(m map[string]bool) int {
	n := 0
	for _, v := range m {
		if v {
			n++
		}
	}
	return n
}

// postLoop posts numbered messages until stop or the connection fails.
func (w *crashWorld) postLoop(stop <-chan struct{}, u *user, cycle int) {
	c, err := w.dial(u)
	if err != nil {
		return
	}
	defer c.Close()
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		default:
		}
		body := fmt.Sprintf("crash-post-%s-c%d-n%d", u.name, cycle, n)
		att := ""
		if n%4 == 3 { // a file that may or may not be there yet
			att = "shared.bin"
		}
		w.book.mu.Lock()
		w.book.posts[body] = false
		w.book.mu.Unlock()
		sess, err := c.NewSession()
		if err != nil {
			return
		}
		line := "post " + w.room + " " + body
		if att != "" {
			line = "post " + w.room + " --attach " + att + " " + body
		}
		out, err := sess.Output(line)
		sess.Close()
		if _, ok := err.(*gossh.ExitError); ok {
			continue // refused (no such file yet): not acknowledged
		} else if err != nil {
			return
		}
		if regexp.MustCompile(`\d`).Match(out) {
			w.book.mu.Lock()
			w.book.posts[body] = true
			if att != "" {
				w.book.postAtt[body] = att
			}
			w.book.mu.Unlock()
		}
	}
}

// pick draws a content from the pool.
func (w *crashWorld) pick() []byte {
	w.book.mu.Lock()
	defer w.book.mu.Unlock()
	return w.pool[w.rng.IntN(len(w.pool))]
}

// sftpLoop uploads pool contents to a few names over SFTP, in chunks.
func (w *crashWorld) sftpLoop(stop <-chan struct{}, u *user, cycle int, tag string) {
	c, err := w.dial(u)
	if err != nil {
		return
	}
	defer c.Close()
	cl, err := sftp.NewClient(c)
	if err != nil {
		return
	}
	defer cl.Close()
	dirs, err := cl.ReadDir("/")
	if err != nil || len(dirs) != 1 {
		return
	}
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		default:
		}
		name := []string{"shared.bin", tag + ".bin", "dir/" + tag + "-" + fmt.Sprint(n%3) + ".bin"}[n%3]
		body := w.pick()
		sum := w.book.sending(name, body)
		f, err := cl.Create("/" + dirs[0].Name() + "/" + name)
		if err != nil {
			return
		}
		for off := 0; off < len(body); off += 64 << 10 {
			if _, err := f.Write(body[off:min(off+64<<10, len(body))]); err != nil {
				return
			}
		}
		if err := f.Close(); err != nil {
			return
		}
		w.book.stored(name, sum)
	}
}

// putLoop uploads pool contents with `put` on stdin.
func (w *crashWorld) putLoop(stop <-chan struct{}, u *user, cycle int) {
	c, err := w.dial(u)
	if err != nil {
		return
	}
	defer c.Close()
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		default:
		}
		name := fmt.Sprintf("put/p%d.bin", n%2)
		body := w.pick()
		sum := w.book.sending(name, body)
		sess, err := c.NewSession()
		if err != nil {
			return
		}
		sess.Stdin = bytes.NewReader(body)
		out, err := sess.Output("put " + w.room + " " + name)
		sess.Close()
		if err != nil {
			return
		}
		if strings.Contains(string(out), name) {
			w.book.stored(name, sum)
		}
	}
}

// mailLoop posts by mail to room-N@ from Fred's verified address, every
// other mail with a file attached.
func (w *crashWorld) mailLoop(stop <-chan struct{}, port string, cycle int) {
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		default:
		}
		marker := fmt.Sprintf("crash-mail-c%d-n%d", cycle, n)
		att := ""
		if n%2 == 0 {
			att = marker + ".txt"
		}
		if err := w.sendMail(port, marker, att); err != nil {
			return
		}
		w.book.mu.Lock()
		w.book.mails[marker] = att
		if att != "" {
			w.book.mailAtt[att] = true
		}
		w.book.mu.Unlock()
	}
}

// sendMail sends one mail; nil means the server answered 250 to it.
func (w *crashWorld) sendMail(port, marker, att string) error {
	c, err := smtp.Dial("127.0.0.1:" + port)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Mail(w.fred.email); err != nil {
		return err
	}
	if err := c.Rcpt("room-" + w.room + "@e2e.localhost"); err != nil {
		return err
	}
	d, err := c.Data()
	if err != nil {
		return err
	}
	var m strings.Builder
	fmt.Fprintf(&m, "From: <%s>\r\nTo: <room-%s@e2e.localhost>\r\nSubject: %s\r\nMessage-ID: <%s@client.example>\r\nMIME-Version: 1.0\r\n", w.fred.email, w.room, marker, marker)
	if att == "" {
		fmt.Fprintf(&m, "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", marker)
	} else {
		fmt.Fprintf(&m, "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n"+
			"--b1\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=%s\r\n\r\ncontent of %s\r\n--b1--\r\n", marker, att, marker)
	}
	if _, err := io.WriteString(d, m.String()); err != nil {
		return err
	}
	if err := d.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// check runs after a restart: it starts, no temp file is left, and
// everything acknowledged is there, whole.
func (w *crashWorld) check(cycle int) {
	t := w.t
	t.Helper()
	for _, dir := range []string{"tmp", "spool"} {
		if names, _ := filepath.Glob(filepath.Join(w.data, dir, "*")); len(names) != 0 {
			t.Errorf("cycle %d: files left in %s after the restart: %v", cycle, dir, names)
		}
	}
	b := w.book
	page := w.allFiles()
	listed := map[string]map[string]bool{}
	used := map[string]int64{}
	for _, f := range page.Files {
		listed[f.Path] = map[string]bool{}
		for _, v := range f.Versions {
			listed[f.Path][v.SHA256] = true
			used[v.SHA256] = v.Size
			if sent := b.sent[f.Path]; sent != nil && !sent[v.SHA256] {
				t.Errorf("cycle %d: %s v%d (%s) is not any content a client sent whole", cycle, f.Path, v.N, v.SHA256)
			}
		}
	}
	var sum int64
	for _, n := range used {
		sum += n
	}
	if page.Usage.Used != sum {
		t.Errorf("cycle %d: space used %d, but the listed versions add up to %d (identical content once)", cycle, page.Usage.Used, sum)
	}
	for path, sums := range b.acked {
		for s := range sums {
			if !listed[path][s] {
				t.Errorf("cycle %d: acknowledged upload of %s (%s) is gone", cycle, path, s)
			}
		}
	}
	for att := range b.mailAtt {
		if listed[att] == nil {
			t.Errorf("cycle %d: the file of an acknowledged mail, %s, is gone", cycle, att)
		}
	}
	w.checkBytes(cycle, page)
	w.checkMessages(cycle)
}

// checkBytes downloads every listed version and compares its SHA-256.
func (w *crashWorld) checkBytes(cycle int, page workroom.FilePage) {
	t := w.t
	c, err := w.dial(w.carla)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cl, err := sftp.NewClient(c)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	dirs, err := cl.ReadDir("/")
	if err != nil || len(dirs) != 1 {
		t.Fatalf("sftp folders %v, %v", dirs, err)
	}
	for _, f := range page.Files {
		dir, name := filepath.Split(f.Path)
		for _, v := range f.Versions {
			p := fmt.Sprintf("/%s/.versions/%s%s/v%d-%s", dirs[0].Name(), dir, name, v.N, name)
			r, err := cl.Open(p)
			if err != nil {
				t.Errorf("cycle %d: %s: %v", cycle, p, err)
				continue
			}
			h := sha256.New()
			_, err = io.Copy(h, r)
			r.Close()
			if got := hex.EncodeToString(h.Sum(nil)); err != nil || got != v.SHA256 {
				t.Errorf("cycle %d: %s reads back as %s (%v), listed %s", cycle, p, got, err, v.SHA256)
			}
		}
	}
}

// allFiles reads the room's every file with its versions, a page at a
// time; the space used is the last page's.
func (w *crashWorld) allFiles() workroom.FilePage {
	var all workroom.FilePage
	args := []string{"files", w.room, "--json", "--versions", "--limit", "500"}
	for {
		var page workroom.FilePage
		if err := json.Unmarshal([]byte(w.carla.ok(args...)), &page); err != nil {
			w.t.Fatal(err)
		}
		all.Files, all.Usage = append(all.Files, page.Files...), page.Usage
		if page.After == "" {
			return all
		}
		args = []string{"files", w.room, "--json", "--versions", "--limit", "500", "--before", page.After}
	}
}

// allMessages reads the room's every message.
func (w *crashWorld) allMessages() []workroom.Message { return allMessages(w.t, w.carla, w.room) }

// allMessages reads a room's every message as u, a page at a time, as a
// script would.
func allMessages(t *testing.T, u *user, room string) []workroom.Message {
	t.Helper()
	var all []workroom.Message
	args := []string{"messages", room, "--json", "--limit", "500"}
	for {
		var page workroom.Page
		if err := json.Unmarshal([]byte(u.ok(args...)), &page); err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Messages...)
		if page.Before == 0 {
			return all
		}
		args = []string{"messages", room, "--json", "--limit", "500", "--before", strconv.FormatUint(page.Before, 10)}
	}
}

var markerRe = regexp.MustCompile(`crash-(post|mail)-[a-z0-9-]+`)

// checkMessages finds every acknowledged post and mail, each mail with
// its file, and counts the notifications in the outbox folder.
func (w *crashWorld) checkMessages(cycle int) {
	t := w.t
	stored := map[string]int{}
	for _, m := range w.allMessages() {
		marker := markerRe.FindString(m.Body)
		if marker == "" {
			continue
		}
		stored[marker]++
		if att, ok := w.book.mails[marker]; ok && att != "" && (len(m.Attachments) != 1 || m.Attachments[0].Path != att) {
			t.Errorf("cycle %d: the mail %s is stored with attachments %+v, want %s", cycle, marker, m.Attachments, att)
		}
		if att := w.book.postAtt[marker]; att != "" && (len(m.Attachments) != 1 || m.Attachments[0].Path != att) {
			t.Errorf("cycle %d: the post %s is stored with attachments %+v, want %s", cycle, marker, m.Attachments, att)
		}
	}
	for body, ok := range w.book.posts {
		if ok && stored[body] != 1 {
			t.Errorf("cycle %d: acknowledged post %q stored %d times", cycle, body, stored[body])
		}
	}
	for marker := range w.book.mails {
		if stored[marker] != 1 {
			t.Errorf("cycle %d: acknowledged mail %q stored %d times", cycle, marker, stored[marker])
		}
	}
	// Each stored message tells the one other member once: the outbox
	// may still be delivering what was queued before the kill.
	var last string
	waitFor(t, "one notification per stored message", 20*time.Second, func() (bool, string) {
		notes, dups := w.notifications()
		var bad []string
		bad = append(bad, dups...)
		for marker := range stored {
			if notes[marker] != 1 {
				bad = append(bad, fmt.Sprintf("%s: %d notifications", marker, notes[marker]))
			}
		}
		for marker, n := range notes {
			if stored[marker] == 0 {
				bad = append(bad, fmt.Sprintf("%s: %d notifications for a message not stored", marker, n))
			}
		}
		last = strings.Join(bad, "\n")
		return len(bad) == 0, last
	})
}

// notifications counts, per message marker, the notification mails in
// the outbox folder, and lists Message-IDs seen more than once.
func (w *crashWorld) notifications() (map[string]int, []string) {
	var dups []string
	if tmp, _ := filepath.Glob(filepath.Join(w.data, "outbox", ".writing-*")); len(tmp) != 0 {
		dups = append(dups, fmt.Sprintf("half-written mail files: %v", tmp))
	}
	files, _ := filepath.Glob(filepath.Join(w.data, "outbox", "*.eml"))
	notes, ids := map[string]int{}, map[string]int{}
	idRe := regexp.MustCompile(`(?mi)^Message-Id: (\S+)`)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if m := idRe.FindSubmatch(raw); m != nil {
			ids[string(m[1])]++
		}
		if marker := markerRe.Find(raw); marker != nil {
			notes[string(marker)]++
		}
	}
	for id, n := range ids {
		if n > 1 {
			dups = append(dups, fmt.Sprintf("Message-ID %s in %d files", id, n))
		}
	}
	return notes, dups
}
