package workroom

import (
	"fmt"
	"strconv"
	"strings"
)

// Sizes are shown and read in binary units, as people say them: 100 MB is
// 100 × 2^20 bytes here, so the limits read as round numbers.
var sizeUnits = []struct {
	suffix string
	bytes  int64
}{{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}}

// FormatSize writes a byte count for people: "100 MB", "1.5 GB", "512 B".
func FormatSize(n int64) string {
	for _, u := range sizeUnits {
		if n >= u.bytes {
			v := float64(n) / float64(u.bytes)
			s := strconv.FormatFloat(v, 'f', 1, 64)
			return strings.TrimSuffix(s, ".0") + " " + u.suffix + "B"
		}
	}
	return fmt.Sprintf("%d B", n)
}

// ParseSize reads a size as people write it: a whole number of bytes, or
// a number with K, M, G or T (optionally followed by B or iB, any case):
// "500M", "1G", "1.5GB", "2048". EINVALID for anything else.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			mult, t = u.bytes, strings.TrimSpace(strings.TrimSuffix(t, u.suffix))
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || v*float64(mult) > float64(1<<62) {
		return 0, Errorf(EINVALID, "%q is not a size; write it like 500M or 1G", s)
	}
	return int64(v * float64(mult)), nil
}
