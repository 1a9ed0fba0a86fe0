package tui

import "github.com/workroom/workroom"

// listAhead is how close to the end of what is loaded the cursor of a list
// (rooms, jobs, proposals) comes before the next page is asked for, so
// the reader rarely waits at the bottom.
const listAhead = 10

// nearEnd reports whether a cursor at i of n loaded items should ask for
// the next page.
func nearEnd(i, n int) bool { return i >= n-listAhead }

// reloadSize is the page size that reloads what a list shows now: at
// least one page, at most the most the service gives at once.
func reloadSize(loaded int) int {
	return min(max(loaded, workroom.DefaultPageSize), workroom.MaxPageSize)
}

// appendNew appends the items of more whose id is not already in have: a
// list reloaded between two pages may hold an item of the next.
func appendNew[T any, ID comparable](have, more []T, id func(T) ID) []T {
	seen := make(map[ID]bool, len(have))
	for _, x := range have {
		seen[id(x)] = true
	}
	for _, x := range more {
		if !seen[id(x)] {
			have = append(have, x)
		}
	}
	return have
}
