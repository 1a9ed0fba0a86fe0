package main

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/workroom/workroom/bench/loopback"
)

// What the tool reads about the server from /proc. The server has no
// endpoint for its goroutines, and none is added for this: the count comes
// from the stack dump Go prints on SIGQUIT, taken as the last act of a run.

// clockTicks is USER_HZ, the unit of /proc/PID/stat's CPU times (100 on
// Linux on every architecture Go supports).
const clockTicks = 100

func threads(pid int) int64 { return loopback.Status(pid, "Threads") }

// cpuTime returns a process's user+system CPU time so far.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces) in parentheses;
	// utime and stime are fields 14 and 15 of the whole line.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clockTicks
}

// selfCPU returns this tool's own CPU time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// dumpGoroutines sends the server SIGQUIT (it dumps every goroutine's
// stack on stderr and exits), waits for it to exit, and counts the
// goroutines in its log. It returns -1 when it cannot tell.
func dumpGoroutines(pid int, logPath string) int {
	if pid <= 0 || logPath == "" {
		return -1
	}
	if err := syscall.Kill(pid, syscall.SIGQUIT); err != nil {
		return -1
	}
	deadline := time.Now().Add(60 * time.Second)
	for alive(pid) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	f, err := os.Open(logPath)
	if err != nil {
		return -1
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "goroutine ") && strings.HasSuffix(line, ":") {
			n++
		}
	}
	return n
}

// alive reports whether pid is still running (a zombie the script has not
// reaped yet counts as gone).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(f) > 0 && f[0] != "Z"
}

// loadavg returns the machine's 1-, 5- and 15-minute load averages.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// logSummary counts the server log's warnings and errors by message, so a
// run that lost sessions says what the server saw (the log goes with the
// data folder when the run ends).
func logSummary(logPath string) string {
	f, err := os.Open(logPath)
	if err != nil {
		return ""
	}
	defer f.Close()
	counts := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.ToLower(sc.Text())
		level := ""
		for _, l := range []string{"warn", "error"} {
			if strings.Contains(line, "level="+l) {
				level = l
			}
		}
		if level == "" {
			continue
		}
		msg := line
		if i := strings.Index(line, "msg="); i >= 0 {
			msg = line[i+4:]
			if strings.HasPrefix(msg, `"`) {
				if j := strings.Index(msg[1:], `"`); j >= 0 {
					msg = msg[1 : j+1]
				}
			} else if j := strings.IndexByte(msg, ' '); j >= 0 {
				msg = msg[:j]
			}
		}
		if i := strings.Index(line, " err="); i >= 0 {
			msg += " (" + line[i+1:min(len(line), i+100)] + ")"
		}
		counts[level+": "+msg]++
	}
	var parts []string
	for k, n := range counts {
		parts = append(parts, fmt.Sprintf("%d × %s", n, k))
	}
	slices.Sort(parts)
	return strings.Join(parts, "; ")
}
