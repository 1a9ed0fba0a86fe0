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
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/workroom/workroom/bench/loopback"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"golang.org/x/crypto/ssh"
)

type config struct {
	addr       string
	pid        int
	serverLog  string
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
	flag.StringVar(&c.serverLog, "server-log", "", "the server's log, shown when the run fails")
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
		if b, rerr := os.ReadFile(c.serverLog); rerr == nil {
			log.Printf("server log (%s), last lines:\n%s", c.serverLog, lastLines(string(b), 20))
		}
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

	base := loopback.RSS(c.pid)
	idle, err := openIdle(c, c.hostile, func(int) ssh.Signer { return loopback.NewSigner() })
	if err != nil {
		return fmt.Errorf("hostile sessions: %w", err)
	}
	afterIdle := loopback.RSS(c.pid)
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
	row("rooms, median", quiet.rooms.Pct(50), loaded.rooms.Pct(50))
	row("rooms, p99", quiet.rooms.Pct(99), loaded.rooms.Pct(99))
	row("post → screen, median", quiet.live.Pct(50), loaded.live.Pct(50))
	row("post → screen, p99", quiet.live.Pct(99), loaded.live.Pct(99))
	fmt.Printf("\nhostile load: %d idle unregistered TUI sessions open; long command lines (%d bytes): %d answered, %d sessions for them refused as too fast\n",
		idle.n, c.lineBytes, lines.Load(), refused.Load())
	if c.pid > 0 {
		fmt.Printf("server RSS: %s before, %s with %d unregistered idle TUIs: %s per session\n",
			loopback.MB(base), loopback.MB(afterIdle), idle.n, loopback.KB((afterIdle-base)/int64(max(idle.n, 1))))
	}
	return nil
}

// signedInMemory opens c.signedIn idle TUI sessions of one account (its
// room list) and reports the server's resident memory per session.
func signedInMemory(c config, w *world) error {
	base := loopback.RSS(c.pid)
	s, err := openIdle(c, c.signedIn, func(int) ssh.Signer { return w.client })
	defer s.close()
	if err != nil {
		return fmt.Errorf("signed-in sessions: %w", err)
	}
	after := loopback.RSS(c.pid)
	fmt.Printf("server RSS: %s before, %s with %d signed-in idle TUIs: %s per session\n",
		loopback.MB(base), loopback.MB(after), s.n, loopback.KB((after-base)/int64(max(s.n, 1))))
	return nil
}

// world is the normal users: a client and a freelancer with one workroom.
type world struct {
	client, freelancer ssh.Signer
	room               string
}

func setUp(c config) (*world, error) {
	w := &world{client: loopback.NewSigner(), freelancer: loopback.NewSigner()}
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
type results struct{ rooms, live loopback.Durations }

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
	poster, err := loopback.Dial(c.addr, "127.0.0.1", w.freelancer)
	if err != nil {
		return nil, err
	}
	defer poster.Close()
	for i := range c.samples {
		token := fmt.Sprintf("%s%04d", phase, i)
		start := time.Now()
		if _, err := loopback.Run(poster, "post "+w.room+" "+token, ""); err != nil {
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
		cl, err := loopback.Dial(c.addr, src, key(conn))
		if err != nil {
			return s, err
		}
		s.conns = append(s.conns, cl)
		for range min(c.perConn, n-s.n) {
			sess, err := loopback.NewSession(cl)
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
	cl, err := loopback.Dial(c.addr, src, loopback.NewSigner())
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
		_, err := loopback.RunOnce(cl, line, "")
		switch {
		case loopback.IsRateLimited(err):
			refused.Add(1) // and straight back at it, as an attacker would
			continue
		case err != nil && !loopback.IsExit(err):
			log.Printf("liner %d: %v", i, err)
			return
		}
		n.Add(1)
	}
}

// command runs one command on a new connection, as a person would.
func command(addr, src string, key ssh.Signer, line, stdin string) (string, error) {
	cl, err := loopback.Dial(addr, src, key)
	if err != nil {
		return "", err
	}
	defer cl.Close()
	return loopback.Run(cl, line, stdin)
}

// terminal is a TUI session read through a terminal emulator.
type terminal struct {
	cl   *ssh.Client
	sess *ssh.Session
	emu  *vt.SafeEmulator
	seen chan struct{} // receives after each write to the emulator
}

func openTUI(addr, src string, key ssh.Signer, line string) (*terminal, error) {
	cl, err := loopback.Dial(addr, src, key)
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

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}
