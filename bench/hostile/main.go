// Command hostile measures whether one user is hurt by other people's load
// (issue 5's figures). Against a running workroom server on loopback it
// sets up a client and a freelancer with a workroom, then measures twice —
// quiet, and with hostile load — the time a normal user's `rooms` takes
// (a new connection each time, as a person runs it) and the time from the
// freelancer's `post` to the message showing on the client's open terminal
// UI (read through a terminal emulator). The hostile load is many idle TUI
// sessions from keys nobody registered (the sign-up screen), spread over
// several loopback source addresses, plus clients sending command lines as
// long as the server accepts, over and over. It also reports the server's
// resident memory per idle TUI session, unregistered and signed in.
//
// It targets loopback only, is bounded in count and time, and stops by
// itself. bench/hostile.sh builds and starts the server and runs it.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"golang.org/x/crypto/ssh"
)

type config struct {
	addr       string
	pid        int
	hostile    int // idle unregistered TUI sessions
	signedIn   int // idle signed-in TUI sessions, for the memory figure
	liners     int // clients sending maximal command lines
	lineBytes  int // the longest command line the server takes
	samples    int
	perConn    int // sessions per connection (the server's limit)
	addrs      int // loopback source addresses to spread hostile connections over
	perAddress int // connections per source address (the server's limit)
	timeout    time.Duration
}

func main() {
	var c config
	flag.StringVar(&c.addr, "addr", "127.0.0.1:2222", "the server's SSH address (loopback only)")
	flag.IntVar(&c.pid, "pid", 0, "the server's pid, for its resident memory")
	flag.IntVar(&c.hostile, "hostile", 500, "idle TUI sessions from unregistered keys")
	flag.IntVar(&c.signedIn, "signed-in", 0, "only open this many idle signed-in TUI sessions and report the memory they take (run on a fresh server)")
	flag.IntVar(&c.liners, "liners", 4, "clients sending maximal command lines")
	flag.IntVar(&c.lineBytes, "line-bytes", 64<<10, "the length of those command lines")
	flag.IntVar(&c.samples, "samples", 30, "measurements of each kind per phase")
	flag.IntVar(&c.perConn, "sessions-per-conn", 10, "sessions per connection")
	flag.IntVar(&c.addrs, "source-addrs", 8, "loopback source addresses (127.0.0.2, …)")
	flag.IntVar(&c.perAddress, "conns-per-addr", 20, "connections per source address")
	flag.DurationVar(&c.timeout, "timeout", 5*time.Minute, "give up after this long")
	flag.Parse()
	log.SetFlags(0)
	if host, _, err := net.SplitHostPort(c.addr); err != nil || !net.ParseIP(host).IsLoopback() {
		log.Fatalf("hostile: -addr must be a loopback address, got %q", c.addr)
	}
	time.AfterFunc(c.timeout, func() { log.Fatalf("hostile: still running after %s; giving up", c.timeout) })
	if err := run(c); err != nil {
		log.Fatalf("hostile: %v", err)
	}
}

func run(c config) error {
	w, err := setUp(c)
	if err != nil {
		return fmt.Errorf("set up: %w", err)
	}
	if c.signedIn > 0 {
		return signedInMemory(c, w)
	}
	quiet, err := measure(c, w, "quiet")
	if err != nil {
		return err
	}

	base := rss(c.pid)
	idle, err := openIdle(c, c.hostile, func(int) ssh.Signer { return newSigner() })
	if err != nil {
		return fmt.Errorf("hostile sessions: %w", err)
	}
	afterIdle := rss(c.pid)
	stop := make(chan struct{})
	var lines, refused atomic.Int64
	var wg sync.WaitGroup
	for i := range c.liners {
		wg.Add(1)
		go func() { defer wg.Done(); sendLongLines(c, i, stop, &lines, &refused) }()
	}
	loaded, err := measure(c, w, "hostile")
	close(stop)
	wg.Wait()
	idle.close()
	if err != nil {
		return err
	}

	fmt.Printf("\n%-34s %12s %12s %8s\n", "", "quiet", "hostile", "ratio")
	row := func(name string, q, h time.Duration) {
		fmt.Printf("%-34s %12s %12s %8.2f\n", name, q.Round(10*time.Microsecond), h.Round(10*time.Microsecond), float64(h)/float64(q))
	}
	row("rooms, median", quiet.rooms.pct(50), loaded.rooms.pct(50))
	row("rooms, p99", quiet.rooms.pct(99), loaded.rooms.pct(99))
	row("post → screen, median", quiet.live.pct(50), loaded.live.pct(50))
	row("post → screen, p99", quiet.live.pct(99), loaded.live.pct(99))
	fmt.Printf("\nhostile load: %d idle unregistered TUI sessions open; long command lines (%d bytes): %d answered, %d sessions for them refused as too fast\n",
		idle.n, c.lineBytes, lines.Load(), refused.Load())
	if c.pid > 0 {
		fmt.Printf("server RSS: %s before, %s with %d unregistered idle TUIs: %s per session\n",
			mb(base), mb(afterIdle), idle.n, kb((afterIdle-base)/int64(max(idle.n, 1))))
	}
	return nil
}

// signedInMemory opens c.signedIn idle TUI sessions of one account (its
// room list) and reports the server's resident memory per session.
func signedInMemory(c config, w *world) error {
	base := rss(c.pid)
	s, err := openIdle(c, c.signedIn, func(int) ssh.Signer { return w.client })
	defer s.close()
	if err != nil {
		return fmt.Errorf("signed-in sessions: %w", err)
	}
	after := rss(c.pid)
	fmt.Printf("server RSS: %s before, %s with %d signed-in idle TUIs: %s per session\n",
		mb(base), mb(after), s.n, kb((after-base)/int64(max(s.n, 1))))
	return nil
}

// world is the normal users: a client and a freelancer with one workroom.
type world struct {
	client, freelancer ssh.Signer
	room               string
}

func setUp(c config) (*world, error) {
	w := &world{client: newSigner(), freelancer: newSigner()}
	for who, name := range map[ssh.Signer]string{w.client: "client", w.freelancer: "freelancer"} {
		line := fmt.Sprintf("signup --name Bench-%s --email bench-%[1]s@example.com", name)
		if _, err := command(c.addr, "127.0.0.1", who, line, ""); err != nil {
			return nil, err
		}
	}
	job, err := command(c.addr, "127.0.0.1", w.client, "job post --title Bench", "")
	if err != nil {
		return nil, err
	}
	prop, err := command(c.addr, "127.0.0.1", w.freelancer, "propose "+job+" --text ready", "")
	if err != nil {
		return nil, err
	}
	w.room, err = command(c.addr, "127.0.0.1", w.client, "award "+job+" "+prop, "")
	return w, err
}

// results are the two measurements of one phase.
type results struct{ rooms, live durations }

// measure times `rooms` on a fresh connection, and post → screen on the
// client's open TUI, c.samples times each.
func measure(c config, w *world, phase string) (*results, error) {
	r := &results{}
	for range c.samples {
		start := time.Now()
		if _, err := command(c.addr, "127.0.0.1", w.client, "rooms", ""); err != nil {
			return nil, fmt.Errorf("%s: rooms: %w", phase, err)
		}
		r.rooms = append(r.rooms, time.Since(start))
	}
	term, err := openTUI(c.addr, "127.0.0.1", w.client, "open "+w.room)
	if err != nil {
		return nil, fmt.Errorf("%s: open the client's TUI: %w", phase, err)
	}
	defer term.close()
	if !term.waitFor("Bench", 10*time.Second) {
		return nil, fmt.Errorf("%s: the client's TUI never showed the room:\n%s", phase, term.screen())
	}
	poster, err := dial(c.addr, "127.0.0.1", w.freelancer)
	if err != nil {
		return nil, err
	}
	defer poster.Close()
	for i := range c.samples {
		token := fmt.Sprintf("%s%04d", phase, i)
		start := time.Now()
		if _, err := run1(poster, "post "+w.room+" "+token, ""); err != nil {
			return nil, fmt.Errorf("%s: post: %w", phase, err)
		}
		if !term.waitFor(token, 10*time.Second) {
			return nil, fmt.Errorf("%s: %s never appeared on the client's screen:\n%s", phase, token, term.screen())
		}
		r.live = append(r.live, time.Since(start))
		// Posting is rate-limited per account; stay well under it.
		time.Sleep(time.Second)
	}
	return r, nil
}

// idleSet is a set of open, idle TUI sessions.
type idleSet struct {
	n     int
	conns []*ssh.Client
}

func (s *idleSet) close() {
	for _, c := range s.conns {
		_ = c.Close()
	}
}

// openIdle opens n idle TUI sessions, c.perConn per connection, spread
// over c.addrs loopback source addresses with at most c.perAddress
// connections each. Keys come from key(connection number).
func openIdle(c config, n int, key func(int) ssh.Signer) (*idleSet, error) {
	s := &idleSet{}
	for conn := 0; s.n < n; conn++ {
		src := fmt.Sprintf("127.0.0.%d", 2+conn/c.perAddress%c.addrs)
		if conn/c.perAddress >= c.addrs {
			return s, fmt.Errorf("only %d sessions fit in %d addresses × %d connections × %d sessions", s.n, c.addrs, c.perAddress, c.perConn)
		}
		cl, err := dial(c.addr, src, key(conn))
		if err != nil {
			return s, err
		}
		s.conns = append(s.conns, cl)
		for range min(c.perConn, n-s.n) {
			sess, err := newSession(cl)
			if err != nil {
				return s, fmt.Errorf("session %d: %w", s.n+1, err)
			}
			if err := sess.RequestPty("xterm-256color", 40, 120, ssh.TerminalModes{}); err != nil {
				return s, err
			}
			out, _ := sess.StdoutPipe()
			go func() { _, _ = io.Copy(io.Discard, out) }()
			if err := sess.Shell(); err != nil {
				return s, err
			}
			s.n++
		}
	}
	// Let every program draw its first screen before memory is read.
	time.Sleep(2 * time.Second)
	return s, nil
}

// sendLongLines sends command lines of c.lineBytes from an unregistered
// key, one after another, until stop.
func sendLongLines(c config, i int, stop <-chan struct{}, n, refused *atomic.Int64) {
	src := fmt.Sprintf("127.0.1.%d", 2+i)
	cl, err := dial(c.addr, src, newSigner())
	if err != nil {
		log.Printf("liner %d: %v", i, err)
		return
	}
	defer cl.Close()
	line := "post 1 " + strings.Repeat("x", c.lineBytes-len("post 1 "))
	for {
		select {
		case <-stop:
			return
		default:
		}
		_, err := run1(cl, line, "")
		switch {
		case isRateLimited(err):
			refused.Add(1) // and straight back at it, as an attacker would
			continue
		case err != nil && !isExit(err):
			log.Printf("liner %d: %v", i, err)
			return
		}
		n.Add(1)
	}
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

func isExit(err error) bool {
	var e *ssh.ExitError
	return errors.As(err, &e)
}

// dial connects from a loopback source address with one key.
func dial(addr, src string, key ssh.Signer) (*ssh.Client, error) {
	d := net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	cc, chans, reqs, err := ssh.NewClientConn(conn, addr, &ssh.ClientConfig{
		User:            "bench",
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(key)},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), // loopback, a server this run started
		Timeout:         10 * time.Second,
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	return ssh.NewClient(cc, chans, reqs), nil
}

// command runs one command on a new connection, as a person would.
func command(addr, src string, key ssh.Signer, line, stdin string) (string, error) {
	cl, err := dial(addr, src, key)
	if err != nil {
		return "", err
	}
	defer cl.Close()
	return run1(cl, line, stdin)
}

// run1 runs one command on a new session of cl and returns its trimmed
// stdout.
func run1(cl *ssh.Client, line, stdin string) (string, error) {
	sess, err := cl.NewSession()
	if err != nil {
		return "", err
	}
	defer sess.Close()
	var out, errb bytes.Buffer
	sess.Stdout, sess.Stderr, sess.Stdin = &out, &errb, strings.NewReader(stdin)
	if err := sess.Run(line); err != nil {
		return "", fmt.Errorf("%.40s: %w: %s", line, err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// terminal is a TUI session read through a terminal emulator.
type terminal struct {
	cl   *ssh.Client
	sess *ssh.Session
	emu  *vt.SafeEmulator
	seen chan struct{} // receives after each write to the emulator
}

func openTUI(addr, src string, key ssh.Signer, line string) (*terminal, error) {
	cl, err := dial(addr, src, key)
	if err != nil {
		return nil, err
	}
	sess, err := cl.NewSession()
	if err != nil {
		cl.Close()
		return nil, err
	}
	t := &terminal{cl: cl, sess: sess, emu: vt.NewSafeEmulator(120, 40), seen: make(chan struct{}, 1)}
	if err := sess.RequestPty("xterm-256color", 40, 120, ssh.TerminalModes{}); err != nil {
		cl.Close()
		return nil, err
	}
	out, _ := sess.StdoutPipe()
	in, _ := sess.StdinPipe()
	go func() { _, _ = io.Copy(in, t.emu) }() // the emulator's replies to queries
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := out.Read(buf)
			if n > 0 {
				_, _ = t.emu.Write(buf[:n])
				select {
				case t.seen <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	if err := sess.Start(line); err != nil {
		cl.Close()
		return nil, err
	}
	return t, nil
}

func (t *terminal) screen() string { return ansi.Strip(t.emu.Render()) }

// waitFor waits until the screen shows text, checking after each write.
func (t *terminal) waitFor(text string, d time.Duration) bool {
	deadline := time.After(d)
	for !strings.Contains(t.screen(), text) {
		select {
		case <-t.seen:
		case <-deadline:
			return false
		}
	}
	return true
}

func (t *terminal) close() { _ = t.cl.Close() }

type durations []time.Duration

// pct returns the p-th percentile (nearest rank).
func (d durations) pct(p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := (p*len(s) + 99) / 100
	return s[max(i-1, 0)]
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

// rss returns a process's resident memory in bytes, or 0.
func rss(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n << 10
		}
	}
	return 0
}

func mb(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/(1<<20)) }
func kb(n int64) string { return fmt.Sprintf("%.0f KB", float64(n)/(1<<10)) }
