package workroom

import "context"

// Broadcast is one message sent to several workrooms at once — a
// freelancer telling every client "I'm away next week". It is posted into
// each room as a message of its own (source "broadcast"), through the same
// path as any post: the same permission check per room, the same unread
// counts, notifications and live events. A room the sender may not post
// in refuses only its own copy; the others still get theirs. A room the
// sender is not in gives the one outsider answer (errNoRoom), so a
// broadcast cannot probe which workrooms exist.
//
// Each copy counts as one message against Limits.Messages, per room
// posted: a broadcast is as many messages as rooms, and once the rate is
// used up the remaining rooms are refused with ELIMIT, each on its own.

// MaxBroadcastRooms is the most workrooms one broadcast may go to.
const MaxBroadcastRooms = 50

// BroadcastResult is what became of a broadcast in one room: the message
// posted, or the refusal (Err) for that room.
type BroadcastResult struct {
	RoomID  RoomID
	Message *Message // nil when Err is set
	Err     error
}

// Broadcast posts text into each room, in the order given (a room named
// twice is posted once), and returns what happened in each. The error is
// for the broadcast as a whole and then nothing was posted: EINVALID for
// no rooms or a text no room would take (empty, overlong), ELIMIT for more
// than MaxBroadcastRooms rooms.
func (s *Service) Broadcast(ctx context.Context, rooms []RoomID, text string) ([]BroadcastResult, error) {
	if _, err := s.actor(ctx); err != nil {
		return nil, err
	}
	rooms = uniqueRooms(rooms)
	switch {
	case len(rooms) == 0:
		return nil, Errorf(EINVALID, "a broadcast needs at least one workroom")
	case len(rooms) > MaxBroadcastRooms:
		return nil, Errorf(ELIMIT, "a broadcast goes to at most %d workrooms; this one names %d: send it in parts", MaxBroadcastRooms, len(rooms))
	}
	if _, err := checkText("message", text, MaxBodyLength, true); err != nil {
		return nil, err
	}
	out := make([]BroadcastResult, len(rooms))
	for i, id := range rooms {
		m, err := s.Post(ctx, id, text, SourceBroadcast)
		out[i] = BroadcastResult{RoomID: id, Message: m, Err: err}
	}
	return out, nil
}

// Posted counts the rooms a broadcast went into.
func Posted(results []BroadcastResult) int {
	n := 0
	for _, r := range results {
		if r.Err == nil {
			n++
		}
	}
	return n
}

// uniqueRooms drops repeated ids, keeping the first of each.
func uniqueRooms(rooms []RoomID) []RoomID {
	seen := make(map[RoomID]bool, len(rooms))
	out := make([]RoomID, 0, len(rooms))
	for _, id := range rooms {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
