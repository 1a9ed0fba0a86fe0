package command

import (
	"strings"
	"unicode/utf8"
)

// maxSuggestDistance is how many single-character edits (insert, delete,
// replace, swap two neighbours) a mistyped command may be from a real one
// to be suggested: "roms" and "rooms", "mesages" and "messages".
const maxSuggestDistance = 2

// nearest returns the one name in known closest to word, within
// maxSuggestDistance edits and fewer than the word has characters (so "x"
// suggests nothing); "" when none is, or two are equally close.
func nearest(word string, known []string) string {
	word = strings.ToLower(word)
	best, bestD, tie := "", maxSuggestDistance+1, false
	for _, k := range known {
		d := editDistance(word, k)
		switch {
		case d < bestD:
			best, bestD, tie = k, d, false
		case d == bestD:
			tie = true
		}
	}
	if tie || bestD >= utf8.RuneCountInString(word) {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
