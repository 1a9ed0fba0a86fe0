package loopback

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Durations are measured times.
type Durations []time.Duration

// Pct returns the p-th percentile (nearest rank).
func (d Durations) Pct(p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(p*float64(len(s))/100 + 0.999999)
	return s[max(i-1, 0)]
}

// Max returns the longest.
func (d Durations) Max() time.Duration {
	if len(d) == 0 {
		return 0
	}
	return slices.Max(d)
}

// MS, MB and KB print figures for people.
func MS(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
func MB(n int64) string         { return fmt.Sprintf("%.0f MB", float64(n)/(1<<20)) }
func KB(n int64) string         { return fmt.Sprintf("%.0f KB", float64(n)/(1<<10)) }

// Status returns one "Name: value kB"-style field of /proc/PID/status as
// a number (kB fields in bytes), or 0.
func Status(pid int, field string) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == field+":" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			if len(f) == 3 && f[2] == "kB" {
				n <<= 10
			}
			return n
		}
	}
	return 0
}

// RSS is a process's resident memory in bytes, or 0.
func RSS(pid int) int64 { return Status(pid, "VmRSS") }
