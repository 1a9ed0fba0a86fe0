// Command load measures live sessions under load (the figures of issues 6
// and 10).
// Against a running workroom server on loopback it sets up accounts and
// rooms by SSH commands, opens N terminal-UI sessions (120×40 PTYs, each
// running `open ROOM`) in one of two shapes —
//
//	pairs:    one room per client–freelancer pair, both members watching;
//	          each message reaches 2 sessions;
//	watchers: N sessions of one room's two members watching it;
//	          each message reaches all N;
//	meeting:  pairs' rooms, each holding a meeting (meeting.go): lines
//	          typed into one session, timed to the other's screen;
//	idle:     pairs' rooms and sessions, nothing posted: memory only —
//
// and then reports:
//
//   - the server's resident memory and threads per idle session (RSS from
//     /proc/PID/status, measured before the first connection and with every
//     session open and idle);
//   - idle CPU: the server's CPU time from /proc/PID/stat over -idle with
//     every session idle, as % of a core per 1,000 sessions;
//   - post → screen: members post messages (`post ROOM TOKEN` on the
//     connection they keep open, at -rate posts a second, within the
//     server's default message limits), and each watching session times
//     from just before the post until the token shows in its output;
//   - `post` latency, the command's own round trip;
//   - goroutines: the count in the stack dump the server prints on SIGQUIT,
//     sent as the run's last act with every session still open.
//
// It targets loopback only, is bounded in count and time, and stops by
// itself. bench/load.sh builds and starts a fresh server per run.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/workroom/workroom/bench/loopback"

	"github.com/charmbracelet/x/ansi"

	"golang.org/x/crypto/ssh"
)

type config struct {
	addr        string
	addrs       []string // addr split at commas: the front ends
	pid         int
	serverLog   string
	shape       string
	sessions    int
	posts       int
	rate        float64 // posts a second
	verify      int     // sessions also read through a terminal emulator
	sourceAddrs int
	parallel    int
	idle        time.Duration
	wait        time.Duration // longest wait for one token on one screen
	timeout     time.Duration
	keysApart   time.Duration // meeting: 0 writes a line and its enter at once
}

// Shapes, and their default number of posts and rate: pairs spread posts
// over many accounts; watchers have two posters, kept under the default
// --rate-messages (60 a minute per account).
const (
	shapePairs    = "pairs"
	shapeWatchers = "watchers"
	shapeMeeting  = "meeting"
	shapeIdle     = "idle"

	pairsPosts    = 300
	pairsRate     = 10
	watchersPosts = 40
	watchersRate  = 1
)

func main() {
	var c config
	flag.StringVar(&c.addr, "addr", "127.0.0.1:2222", "the server's SSH address (loopback only); several, comma-separated, are front ends over one store: each pair's client uses the first, its freelancer the next, so every line crosses from one front end to another")
	flag.IntVar(&c.pid, "pid", 0, "the server's pid, for its memory, threads and CPU time")
	flag.StringVar(&c.serverLog, "server-log", "", "the server's stderr; when set with -pid, the run ends by sending the server SIGQUIT and counts the goroutines in its stack dump")
	flag.StringVar(&c.shape, "shape", shapePairs, "pairs (one room per pair, both watching), watchers (every session watching one room), meeting (pairs holding a meeting, typing lines) or idle (pairs, nothing posted)")
	flag.IntVar(&c.sessions, "sessions", 100, "TUI sessions to open")
	flag.IntVar(&c.posts, "posts", 0, fmt.Sprintf("messages to post, or meeting lines to type (0: %d for pairs, %d for watchers, %d s of lines for meeting)", pairsPosts, watchersPosts, meetingSeconds))
	flag.Float64Var(&c.rate, "rate", 0, fmt.Sprintf("posts or lines a second (0: %d for pairs, %d for watchers, one a room for meeting)", pairsRate, watchersRate))
	flag.IntVar(&termWidth, "width", termWidth, "every session's terminal width")
	flag.IntVar(&termHeight, "height", termHeight, "every session's terminal height")
	flag.IntVar(&c.verify, "verify", 20, "sessions that also feed a terminal emulator, to check the raw-output search against the screen")
	flag.IntVar(&c.sourceAddrs, "source-addrs", 16, "loopback source addresses to spread connections over (127.0.0.2, …)")
	flag.IntVar(&c.parallel, "parallel", 8, "connections set up at once")
	flag.DurationVar(&c.idle, "idle", 10*time.Second, "how long idle CPU is measured")
	flag.DurationVar(&c.wait, "wait", 15*time.Second, "how long a session may take to show a posted message before it counts as missed")
	flag.DurationVar(&c.timeout, "timeout", 15*time.Minute, "give up after this long")
	flag.DurationVar(&c.keysApart, "keys-apart", 0, "meeting: type each line a key a write, this far apart, as a person types, and time it from its enter (0: the line and its enter in one write, timed from that write)")
	flag.Parse()
	log.SetFlags(0)
	c.addrs = strings.Split(c.addr, ",")
	for _, a := range c.addrs {
		if host, _, err := net.SplitHostPort(a); err != nil || !net.ParseIP(host).IsLoopback() {
			log.Fatalf("load: -addr must be loopback addresses, got %q", a)
		}
	}
	if c.shape != shapePairs && c.shape != shapeWatchers && c.shape != shapeMeeting && c.shape != shapeIdle {
		log.Fatalf("load: -shape must be %s, %s, %s or %s", shapePairs, shapeWatchers, shapeMeeting, shapeIdle)
	}
	if c.shape != shapeWatchers && c.sessions%2 != 0 {
		log.Fatalf("load: %s needs an even number of sessions", c.shape)
	}
	if c.rate == 0 {
		c.rate = map[string]float64{shapePairs: pairsRate, shapeWatchers: watchersRate, shapeMeeting: float64(c.sessions / 2), shapeIdle: 1}[c.shape]
	}
	if c.posts == 0 {
		c.posts = map[string]int{shapePairs: pairsPosts, shapeWatchers: watchersPosts, shapeMeeting: c.sessions / 2 * meetingSeconds}[c.shape]
	}
	time.AfterFunc(c.timeout, func() { log.Fatalf("load: still running after %s; giving up", c.timeout) })
	if err := run(&c); err != nil {
		log.Fatalf("load: %v", err)
	}
}

// room is one room as the run posts into it: who may post, and the
// sessions watching it.
type room struct {
	id      string
	posters []*ssh.Client
	screens []*screen
	posted  int // posts so far, for the token's edge letters
}

// report is what one run measured.
type report struct {
	rssStart, rssIdle, rssAfter int64
	threadsIdle                 int64
	idleCPU, toolCPU            time.Duration
	setup, open                 time.Duration
	screen, post                loopback.Durations
	// bySixth is the meeting lines' screen latencies by the sixth of
	// the run they were typed in: a tail spread through the run, or one
	// at its start (a queue filling) or end.
	bySixth                    [6]loopback.Durations
	postInOrder                loopback.Durations // post latencies by the order they were sent
	missed                     int
	goroutines                 int
	verdicts                   verdicts
	unconfirmed                int
	loadavg                    string // the machine's, as the run starts: others' work shows here
	rssMeeting                 int64  // meeting: every room in a meeting, before the lines
	meetings, sending, talking time.Duration
	talkCPU, talkToolCPU       time.Duration // CPU time of the server and the tool while lines are typed
	meetingQuietCPU            time.Duration // the server's, over meetingQuiet in meetings before any line
	lost                       int           // meeting lines whose sender's session had ended
	serverLog                  string        // the server's warnings and errors, counted
	missedScreen               string        // a verified session's screen at the end, when it missed a line
	firstLoss                  string
}

func run(c *config) error {
	r := &report{rssStart: loopback.RSS(c.pid), loadavg: loadavg()}
	start := time.Now()
	rooms, closeRooms, err := build(c, r)
	defer closeRooms()
	if err != nil {
		return err
	}
	r.open = time.Since(start) - r.setup

	// Idle: every session has drawn its room; let the last frames go out.
	time.Sleep(2 * time.Second)
	r.rssIdle, r.threadsIdle = loopback.RSS(c.pid), threads(c.pid)
	log.Printf("load: %d sessions open and idle; measuring idle CPU for %s", c.sessions, c.idle)
	cpu0, self0 := cpuTime(c.pid), selfCPU()
	time.Sleep(c.idle)
	r.idleCPU, r.toolCPU = cpuTime(c.pid)-cpu0, selfCPU()-self0

	switch c.shape {
	case shapeIdle:
	case shapeMeeting:
		began := time.Now()
		if err := startMeetings(rooms); err != nil {
			return err
		}
		r.meetings = time.Since(began)
		time.Sleep(2 * time.Second)
		r.rssMeeting = loopback.RSS(c.pid)
		cpu0 := cpuTime(c.pid)
		time.Sleep(meetingQuiet)
		r.meetingQuietCPU = cpuTime(c.pid) - cpu0
		if err := talkAll(c, rooms, r); err != nil {
			return err
		}
	default:
		if err := postAll(c, rooms, r); err != nil {
			return err
		}
	}
	time.Sleep(2 * time.Second)
	r.rssAfter = loopback.RSS(c.pid)
	for _, rm := range rooms {
		for _, s := range rm.screens {
			if s.emu != nil {
				s.mu.Lock()
				r.unconfirmed += len(s.rawRead)
				if s.missed > 0 && r.missedScreen == "" {
					r.missedScreen = ansi.Strip(s.emu.Render())
				}
				s.mu.Unlock()
			}
		}
	}
	r.goroutines = -1
	if c.serverLog != "" {
		r.serverLog = logSummary(c.serverLog)
	}
	if c.pid > 0 && c.serverLog != "" {
		r.goroutines = dumpGoroutines(c.pid, c.serverLog)
	}
	r.print(c, len(rooms))
	return nil
}

// build sets up the shape's accounts and rooms and opens its sessions,
// each of them showing its room.
func build(c *config, r *report) ([]*room, func(), error) {
	var v *verdicts = &r.verdicts
	verified := 0
	verdictsFor := func() *verdicts {
		if verified >= c.verify {
			return nil
		}
		verified++
		return v
	}
	start := time.Now()
	switch c.shape {
	case shapePairs, shapeMeeting, shapeIdle:
		pairs, err := newPairs(c, c.sessions/2)
		closer := func() { closeAll(pairs) }
		if err != nil {
			return nil, closer, fmt.Errorf("set up: %w", err)
		}
		r.setup = time.Since(start)
		rooms := make([]*room, len(pairs))
		for i, p := range pairs {
			rooms[i] = &room{id: p.room, posters: []*ssh.Client{p.client.conn, p.freelancer.conn}}
			for _, a := range []*account{p.client, p.freelancer} {
				s, err := openScreen(a.conn, p.room, p.title, verdictsFor())
				if err != nil {
					return nil, closer, fmt.Errorf("open session: %w", err)
				}
				rooms[i].screens = append(rooms[i].screens, s)
			}
		}
		return rooms, closer, waitReady(rooms)
	default:
		pairs, err := newPairs(c, 1)
		if err != nil {
			return nil, func() { closeAll(pairs) }, fmt.Errorf("set up: %w", err)
		}
		r.setup = time.Since(start)
		p := pairs[0]
		rm := &room{id: p.room, posters: []*ssh.Client{p.client.conn, p.freelancer.conn}}
		var conns []*ssh.Client
		closer := func() {
			closeAll(pairs)
			for _, cl := range conns {
				_ = cl.Close()
			}
		}
		// One connection per session, as each watcher's own terminal;
		// half of them the client's, half the freelancer's.
		for i := range c.sessions {
			key := []ssh.Signer{p.client.key, p.freelancer.key}[i%2]
			cl, err := loopback.Dial(c.addrs[i%len(c.addrs)], c.sourceAddr(int(connCount.Add(1))), key)
			if err != nil {
				return nil, closer, fmt.Errorf("watcher %d: %w", i, err)
			}
			conns = append(conns, cl)
			s, err := openScreen(cl, p.room, p.title, verdictsFor())
			if err != nil {
				return nil, closer, fmt.Errorf("watcher %d: %w", i, err)
			}
			rm.screens = append(rm.screens, s)
		}
		return []*room{rm}, closer, waitReady([]*room{rm})
	}
}

// readyWait bounds how long all sessions may take to draw their rooms.
const readyWait = 5 * time.Minute

func waitReady(rooms []*room) error {
	deadline := time.After(readyWait)
	for _, rm := range rooms {
		for _, s := range rm.screens {
			select {
			case <-s.ready:
			case <-deadline:
				return fmt.Errorf("a session never showed room %s within %s", rm.id, readyWait)
			}
		}
	}
	return nil
}

// edges are the first and last letters of tokens: capitals that appear
// nowhere else on the screens, cycled per room so a token's first and last
// cells differ from the previous message's at the same place.
const edges = "QXZJVKW"

// token is a message's unique text, e.g. Q0042pX.
func token(n, posted int) string {
	return fmt.Sprintf("%c%04dp%c", edges[posted%len(edges)], n, edges[(posted+3)%len(edges)])
}

// postAll posts c.posts messages at c.rate, each from a member of a room
// (rooms in turn, posters in turn), and times each until every session of
// the room shows it.
func postAll(c *config, rooms []*room, r *report) error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	var failed atomic.Value
	r.postInOrder = make(loopback.Durations, c.posts)
	tick := time.NewTicker(time.Duration(float64(time.Second) / c.rate))
	defer tick.Stop()
	for n := range c.posts {
		rm := rooms[n%len(rooms)]
		tok := token(n, rm.posted)
		poster := rm.posters[(n/len(rooms)+rm.posted)%len(rm.posters)]
		rm.posted++
		slot := n
		arrivals := make(chan struct{}, len(rm.screens))
		begin := time.Now()
		for _, s := range rm.screens {
			s.expect(tok, &expectation{start: begin, arrived: func(d time.Duration, found bool) {
				mu.Lock()
				if found {
					r.screen = append(r.screen, d)
				} else {
					r.missed++
				}
				mu.Unlock()
				arrivals <- struct{}{}
			}})
		}
		wg.Go(func() {
			_, err := loopback.Run(poster, "post "+rm.id+" "+tok, "")
			took := time.Since(begin)
			if err != nil {
				failed.Store(fmt.Errorf("post %s: %w", tok, err))
			}
			mu.Lock()
			r.post = append(r.post, took)
			r.postInOrder[slot] = took
			mu.Unlock()
			deadline := time.After(c.wait)
			for range rm.screens {
				select {
				case <-arrivals:
				case <-deadline:
					for _, s := range rm.screens {
						s.forget(tok)
					}
					return
				}
			}
		})
		<-tick.C
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return err
	}
	return nil
}

func (r *report) print(c *config, rooms int) {
	what := "posts"
	switch {
	case c.shape == shapeMeeting && c.keysApart > 0:
		what = fmt.Sprintf("lines typed a key a write %s apart, each timed from its enter,", c.keysApart)
	case c.shape == shapeMeeting:
		what = "lines (each with its enter in one write)"
	}
	fmt.Printf("\n%s, %d sessions (%d×%d) in %d room(s), %d %s at %g/s; setup %s, sessions opened in %s; load average before the run %s\n",
		c.shape, c.sessions, termWidth, termHeight, rooms, c.posts, what, c.rate, r.setup.Round(time.Millisecond), r.open.Round(time.Millisecond), r.loadavg)
	if c.shape == shapeMeeting {
		fmt.Printf("line → screen: %d arrivals, p50 %s, p99 %s, max %s; missed (not shown within %s): %d\n",
			len(r.screen), loopback.MS(r.screen.Pct(50)), loopback.MS(r.screen.Pct(99)), loopback.MS(r.screen.Max()), c.wait, r.missed)
		r.printMeeting(c, rooms)
	} else if c.shape != shapeIdle {
		r.printPosts(c)
	}
	r.printServer(c)
}

func (r *report) printPosts(c *config) {
	fmt.Printf("post → screen: %d arrivals, p50 %s, p99 %s, max %s; missed (not shown within %s): %d\n",
		len(r.screen), loopback.MS(r.screen.Pct(50)), loopback.MS(r.screen.Pct(99)), loopback.MS(r.screen.Max()), c.wait, r.missed)
	fmt.Printf("post command:  p50 %s, p99 %s, max %s; p50 of the first tenth of posts %s, of the last tenth %s (a growing queue shows here)\n",
		loopback.MS(r.post.Pct(50)), loopback.MS(r.post.Pct(99)), loopback.MS(r.post.Max()), loopback.MS(r.postInOrder[:len(r.postInOrder)/10].Pct(50)), loopback.MS(r.postInOrder[len(r.postInOrder)-len(r.postInOrder)/10:].Pct(50)))
}

func (r *report) printServer(c *config) {
	n := int64(c.sessions)
	if c.pid > 0 {
		fmt.Printf("server RSS:    %s before any connection, %s with every session idle: %s per idle session; %s after the posts\n",
			loopback.MB(r.rssStart), loopback.MB(r.rssIdle), loopback.KB((r.rssIdle-r.rssStart)/n), loopback.MB(r.rssAfter))
		fmt.Printf("server threads with every session idle: %d\n", r.threadsIdle)
		core := float64(r.idleCPU) / float64(c.idle) * 100
		fmt.Printf("idle CPU:      server %.1f%% of a core over %s = %.1f%% per 1,000 sessions (this tool: %.1f%%)\n",
			core, c.idle, core*1000/float64(n), float64(r.toolCPU)/float64(c.idle)*100)
	}
	if r.serverLog != "" {
		fmt.Printf("server log:    %s\n", r.serverLog)
	}
	if r.goroutines >= 0 {
		fmt.Printf("goroutines:    %d in the server's SIGQUIT dump = %.1f per session\n", r.goroutines, float64(r.goroutines)/float64(n))
	}
	v := &r.verdicts
	fmt.Printf("raw search vs terminal emulator (%d sessions): screen showed the token in the same read %d, in a later read %d; raw search missed a token the screen showed %d; neither showed it %d; raw found but the screen never showed %d\n",
		min(c.verify, c.sessions), v.same, v.later, v.missed, v.emulatorAlsoMissed, r.unconfirmed)
	fmt.Printf("row: | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		c.shape, strconv.Itoa(c.sessions), len(r.screen),
		loopback.MS(r.screen.Pct(50)), loopback.MS(r.screen.Pct(99)), loopback.MS(r.screen.Max()),
		loopback.MS(r.post.Pct(50)), loopback.MS(r.post.Pct(99)),
		loopback.KB((r.rssIdle-r.rssStart)/n),
		fmt.Sprintf("%.1f", float64(r.goroutines)/float64(n)),
		fmt.Sprintf("%.1f%%", float64(r.idleCPU)/float64(c.idle)*100*1000/float64(n)))
	_ = os.Stdout.Sync()
}
