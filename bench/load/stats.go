package main

import (
	"fmt"
	"slices"
	"time"
)

type durations []time.Duration

// pct returns the p-th percentile (nearest rank).
func (d durations) pct(p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(p*float64(len(s))/100 + 0.999999)
	return s[max(i-1, 0)]
}

func (d durations) max() time.Duration {
	if len(d) == 0 {
		return 0
	}
	return slices.Max(d)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
func mb(n int64) string         { return fmt.Sprintf("%.0f MB", float64(n)/(1<<20)) }
func kb(n int64) string         { return fmt.Sprintf("%.0f KB", float64(n)/(1<<10)) }
