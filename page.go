package workroom

// Every list a person can ask for comes a page at a time, newest first,
// with a cursor for the next page: one stranger's thousands of job posts
// must not make everyone else download them all. A page is at most
// MaxPageSize items (DefaultPageSize unless asked), and Before is the
// cursor for the next, older page: 0 when this page is the last.

// JobPage is a page of a list of jobs, newest first.
type JobPage struct {
	Jobs   []Job `json:"jobs"`
	Before JobID `json:"before,omitempty"`
}

// ProposalPage is a page of a job's proposals, newest first.
type ProposalPage struct {
	Proposals []Proposal `json:"proposals"`
	Before    ProposalID `json:"before,omitempty"`
}

// RoomPage is a page of the actor's workrooms, most recently active first;
// Before is a room's Activity.
type RoomPage struct {
	Rooms  []Membership `json:"rooms"`
	Before uint64       `json:"before,omitempty"`
}

// pageLimit checks a requested page size: 0 or less is the default, more
// than MaxPageSize is refused (what names the items, "jobs").
func pageLimit(limit int, what string) (int, error) {
	switch {
	case limit <= 0:
		return DefaultPageSize, nil
	case limit > MaxPageSize:
		return 0, Errorf(EINVALID, "a page holds at most %d %s", MaxPageSize, what).Because(RulePageTooLarge)
	}
	return limit, nil
}

// fetchPage reads one item more than the page holds, so the page knows
// whether another follows without a request that comes back empty. It
// returns the page and the cursor after it (0 on the last page).
func fetchPage[T any, C ~uint64](limit int, read func(limit int) ([]T, error), cursor func(T) C) ([]T, C, error) {
	items, err := read(limit + 1)
	if err != nil || len(items) <= limit {
		return nonNilSlice(items), 0, err
	}
	items = items[:limit]
	return items, cursor(items[limit-1]), nil
}

// nonNilSlice makes an empty list encode as [] rather than null.
func nonNilSlice[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}
