package main

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/workroom/workroom/bench/loopback"
)

// The meeting shape: pairs' rooms, both members' TUIs open, and a meeting
// held in every room by the keys a person types. In each room the client's
// session (A) presses m and sees "waiting for an answer"; the freelancer's
// (B) sees "asks for a meeting" and presses a; both see "Meeting since".
// Then the rooms talk: one line a second per room, sides alternating, each
// line a token typed and Enter; its time runs from the keys' write until
// the token shows in the other session's output.

// What the sessions show, searched in their raw output. The first and last
// letters are left off: a renderer that writes a line from its first
// changed cell (Bubble Tea's did; the server now rewrites a changed row
// whole) would not write a letter equal to what was there before.
const (
	askedText    = "aiting for an answe"
	askText      = "sks for a meetin"
	meetingText  = "eeting sinc"
	meetingWait  = 60 * time.Second // a request expires after a minute
	meetingKeys  = "m"
	acceptKeys   = "a"
	enterKey     = "\r"
	meetingsOpen = 16 // handshakes in progress at once
)

// meetingQuiet is how long the server's CPU is watched with every room in
// a meeting and nobody typing yet: what a meeting costs by itself.
const meetingQuiet = 5 * time.Second

// meetingSeconds is how long the rooms talk when -posts is not given.
const meetingSeconds = 30

// startMeetings holds a meeting in every room, meetingsOpen at a time.
func startMeetings(rooms []*room) error {
	var wg sync.WaitGroup
	var failed atomic.Value
	next := atomic.Int64{}
	for range meetingsOpen {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(rooms); i = int(next.Add(1)) - 1 {
				if err := startMeeting(rooms[i]); err != nil {
					failed.Store(fmt.Errorf("room %s: %w", rooms[i].id, err))
					return
				}
			}
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return err
	}
	return nil
}

func startMeeting(rm *room) error {
	a, b := rm.screens[0], rm.screens[1]
	asked, ask := a.waitText(askedText), b.waitText(askText)
	if err := a.press(meetingKeys); err != nil {
		return err
	}
	if err := waitAll(asked, ask); err != nil {
		return fmt.Errorf("asking: %w", err)
	}
	inA, inB := a.waitText(meetingText), b.waitText(meetingText)
	if err := b.press(acceptKeys); err != nil {
		return err
	}
	if err := waitAll(inA, inB); err != nil {
		return fmt.Errorf("accepting: %w", err)
	}
	return nil
}

func waitAll(chs ...<-chan struct{}) error {
	deadline := time.After(meetingWait)
	for _, ch := range chs {
		select {
		case <-ch:
		case <-deadline:
			return fmt.Errorf("not shown within %s", meetingWait)
		}
	}
	return nil
}

// typeLine types tok and enter into s: in one write when apart is 0, else
// a key a write, apart from each other, with expect called just before
// the enter, so the line's time runs from its send.
func typeLine(s *screen, tok string, apart time.Duration, expect func()) error {
	if apart == 0 {
		return s.press(tok + enterKey)
	}
	for _, k := range tok {
		if err := s.press(string(k)); err != nil {
			return err
		}
		time.Sleep(apart)
	}
	expect()
	return s.press(enterKey)
}

// talkAll types c.posts lines at c.rate, rooms in turn and sides in turn
// within a room, and times each until the other session shows it.
func talkAll(c *config, rooms []*room, r *report) error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	var failed atomic.Value
	tick := time.NewTicker(time.Duration(float64(time.Second) / c.rate))
	defer tick.Stop()
	start, cpu0, self0 := time.Now(), cpuTime(c.pid), selfCPU()
	defer func() { r.talkCPU, r.talkToolCPU = cpuTime(c.pid)-cpu0, selfCPU()-self0 }()
	for n := range c.posts {
		rm := rooms[n%len(rooms)]
		tok := token(n, rm.posted)
		from, to := rm.screens[rm.posted%2], rm.screens[(rm.posted+1)%2]
		rm.posted++
		done := make(chan struct{}, 1)
		expect := func() {
			to.expect(tok, &expectation{start: time.Now(), arrived: func(d time.Duration, found bool) {
				mu.Lock()
				if found {
					r.screen = append(r.screen, d)
					r.bySixth[n*6/c.posts] = append(r.bySixth[n*6/c.posts], d)
				} else {
					r.missed++
				}
				mu.Unlock()
				done <- struct{}{}
			}})
		}
		if c.keysApart == 0 {
			expect()
		}
		wg.Go(func() {
			err := typeLine(from, tok, c.keysApart, expect)
			if err != nil {
				// The session is gone (the server ended it): the line
				// counts as missed and the run goes on, so an overloaded
				// run still reports what it saw.
				mu.Lock()
				r.lost++
				mu.Unlock()
				failed.CompareAndSwap(nil, fmt.Errorf("line %s: %w", tok, err))
				to.forget(tok)
				return
			}
			select {
			case <-done:
			case <-time.After(c.wait):
				to.forget(tok)
			}
		})
		<-tick.C
	}
	r.sending = time.Since(start)
	wg.Wait()
	r.talking = time.Since(start)
	if err, _ := failed.Load().(error); err != nil {
		r.firstLoss = err.Error()
	}
	return nil
}

// printMeeting prints the meeting shape's own figures.
func (r *report) printMeeting(c *config, rooms int) {
	n := int64(c.sessions)
	if r.missed > 0 && r.missedScreen != "" {
		fmt.Printf("a screen that missed lines, at the end (verified session):\n%s\n", r.missedScreen)
	}
	if r.lost > 0 {
		fmt.Printf("lines not typed, their session gone: %d (first: %s)\n", r.lost, r.firstLoss)
	}
	fmt.Printf("meetings:      %d started in %s; lines typed over %s, all shown or given up %s later: %.0f lines shown a second (offered %g)\n",
		rooms, r.meetings.Round(time.Millisecond), r.sending.Round(time.Millisecond), (r.talking - r.sending).Round(time.Millisecond),
		float64(len(r.screen))/r.sending.Seconds(), c.rate)
	var sixths []string
	for _, d := range r.bySixth {
		sixths = append(sixths, loopback.MS(d.Pct(50))+" / "+loopback.MS(d.Pct(99)))
	}
	fmt.Printf("line → screen p50 / p99 by sixth of the run: %s\n", strings.Join(sixths, ", "))
	if c.pid > 0 {
		fmt.Printf("CPU in meetings, nobody typing: server %.1f%% of a core over %s\n",
			float64(r.meetingQuietCPU)/float64(meetingQuiet)*100, meetingQuiet)
		fmt.Printf("CPU while talking: server %.0f%% of a core = %.2f ms per line typed; this tool %.0f%% of a core\n",
			float64(r.talkCPU)/float64(r.talking)*100, float64(r.talkCPU)/float64(time.Millisecond)/float64(c.posts), float64(r.talkToolCPU)/float64(r.talking)*100)
		fmt.Printf("server RSS in meetings: %s before the lines (%s per session), %s after them (%s per session)\n",
			loopback.MB(r.rssMeeting), loopback.KB((r.rssMeeting-r.rssStart)/n), loopback.MB(r.rssAfter), loopback.KB((r.rssAfter-r.rssStart)/n))
	}
}
