package tui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/workroom/workroom"
)

// idleSessions is how many programs BenchmarkIdle runs at once; the
// figures it reports are per session.
const idleSessions = 200

// idleWatch is how long BenchmarkIdle watches the idle sessions' CPU.
const idleWatch = 2 * time.Second

// BenchmarkIdle runs idleSessions signed-in programs at 120×40, as SSH
// sessions would (minus the SSH transport), waits until each has drawn
// what it shows, then reports what one idle session holds: heap, stack,
// resident memory and goroutines, and the CPU all of them use while
// nobody types, as a share of one core per 1,000 sessions. Run it with
//
//	IDLE_HEAP_PROFILE=/tmp/idle go test -run '^$' -bench Idle -benchtime 1x -benchmem -o tui.test ./tui/
//	go tool pprof -top -sample_index=inuse_space tui.test /tmp/idle-list.heap
//
// The profile is written while the sessions are idle, not when they have
// ended, which is when -memprofile would write it.
func BenchmarkIdle(b *testing.B) {
	for _, shape := range []struct {
		name string
		open bool // in a workroom rather than on the list
	}{{"list", false}, {"room", true}} {
		b.Run(shape.name, func(b *testing.B) {
			for b.Loop() {
				benchIdle(b, shape.open)
			}
		})
	}
}

func benchIdle(b *testing.B, open bool) {
	f := newFixture(b)
	ada, bob := f.SignUp(b, "Ada"), f.SignUp(b, "Bob")
	room := f.Room(b, ada, bob, "Logo design").ID
	f.Post(b, bob, room, "a first sketch")
	var at workroom.RoomID
	want := "LAST ACTIVITY"
	if open {
		at, want = room, "a first sketch"
	}

	before := sample()
	ctx, cancel := context.WithCancel(context.Background())
	var ended sync.WaitGroup
	var ins []*io.PipeWriter
	for range idleSessions {
		inR, inW := io.Pipe()
		ins = append(ins, inW)
		out := &sawText{want: []byte(want), seen: make(chan struct{})}
		p := f.app.NewProgram(ctx, ada, at, inR, out,
			tea.WithWindowSize(120, 40),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}),
			tea.WithColorProfile(colorprofile.ANSI256), tea.WithoutSignals())
		ended.Add(1)
		go func() {
			defer ended.Done()
			_, _ = p.Run()
		}()
		select {
		case <-out.seen:
		case <-time.After(waitLimit):
			b.Fatalf("a session did not draw %q", want)
		}
	}
	// The last session started just now: a second for what it started
	// (its first page, a frame put off) to settle.
	time.Sleep(time.Second)
	after := sample()
	writeHeapProfile(b, open)
	stopCPU := startCPUProfile(b, open)
	cpu := cpuTime()
	start := time.Now()
	time.Sleep(idleWatch) // what is measured is idleness itself
	busy := cpuTime() - cpu
	stopCPU()
	wall := time.Since(start)

	n := float64(idleSessions)
	b.ReportMetric(float64(after.heap-before.heap)/n, "heap-B/session")
	b.ReportMetric(float64(after.stack-before.stack)/n, "stack-B/session")
	b.ReportMetric(float64(after.rss-before.rss)/n, "rss-B/session")
	b.ReportMetric(float64(after.goroutines-before.goroutines)/n, "goroutines/session")
	b.ReportMetric(100*busy.Seconds()/wall.Seconds()*1000/n, "%core/1000-idle")

	cancel()
	for _, in := range ins {
		in.Close()
	}
	ended.Wait()
}

// writeHeapProfile writes the heap as it is with every session idle, when
// IDLE_HEAP_PROFILE names where.
func writeHeapProfile(b *testing.B, open bool) {
	prefix := os.Getenv("IDLE_HEAP_PROFILE")
	if prefix == "" {
		return
	}
	name := prefix + "-list.heap"
	if open {
		name = prefix + "-room.heap"
	}
	out, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	if err := pprof.Lookup("heap").WriteTo(out, 0); err != nil {
		b.Fatal(err)
	}
	g, err := os.Create(strings.TrimSuffix(name, ".heap") + ".goroutines")
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	if err := pprof.Lookup("goroutine").WriteTo(g, 1); err != nil {
		b.Fatal(err)
	}
}

// startCPUProfile profiles the CPU while the sessions are idle, when
// IDLE_CPU_PROFILE names where.
func startCPUProfile(b *testing.B, open bool) (stop func()) {
	prefix := os.Getenv("IDLE_CPU_PROFILE")
	if prefix == "" {
		return func() {}
	}
	name := prefix + "-list.cpu"
	if open {
		name = prefix + "-room.cpu"
	}
	out, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		out.Close()
	}
}

// sawText is a program's output: it notes when want has been written,
// keeping only a tail so a text split across writes is still found.
type sawText struct {
	mu   sync.Mutex
	want []byte
	tail []byte
	seen chan struct{}
	once sync.Once
}

func (w *sawText) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tail = append(w.tail, p...)
	if bytes.Contains(w.tail, w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	if keep := len(w.want); len(w.tail) > keep {
		w.tail = append(w.tail[:0], w.tail[len(w.tail)-keep:]...)
	}
	return len(p), nil
}

type memSample struct {
	heap, stack, rss uint64
	goroutines       int
}

// sample reads the process's memory after a full collection.
func sample() memSample {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memSample{heap: ms.HeapInuse, stack: ms.StackInuse, rss: rss(), goroutines: runtime.NumGoroutine()}
}

// rss is the process's resident memory, from /proc (0 elsewhere).
func rss() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(fmt.Sprint("getrusage: ", err))
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
