package workroom

import (
	"context"
	"sync"
)

// A room's quota counts every stored version, identical content once.
// Uploads in flight count too: each holds a reservation of the bytes it
// has written so far, so that parallel uploads, each fitting alone, cannot
// together overshoot the quota while they are being written. The store
// checks the quota once more, atomically, when it records the version
// (Store.CommitVersion): the reservation is the early, friendly refusal;
// the commit is the guarantee.

// reservations are the bytes held by uploads in flight, per room, in this
// process; the zero value is ready.
type reservations struct {
	mu   sync.Mutex
	room map[RoomID]int64
}

// grow raises an upload's hold in a room by n bytes when the room's usage,
// what other uploads hold and n together fit its quota.
func (r *reservations) grow(id RoomID, n int64, u Usage) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if u.Used+r.room[id]+n > u.Quota {
		return false
	}
	if r.room == nil {
		r.room = make(map[RoomID]int64)
	}
	r.room[id] += n
	return true
}

// release gives back n bytes an upload held.
func (r *reservations) release(id RoomID, n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.room[id] -= n
	if r.room[id] <= 0 {
		delete(r.room, id)
	}
}

// errQuota refuses bytes over a room's quota.
func errQuota(name string, u Usage) *Error {
	return Errorf(ELIMIT, "%s: the workroom's files would take more than its quota of %s (%s used)",
		name, FormatSize(u.Quota), FormatSize(u.Used)).Because(RuleQuota)
}

// errTooLarge refuses a file over MaxFileSize.
func errTooLarge(name string) *Error {
	return Errorf(ELIMIT, "%s: a file may be at most %s", name, FormatSize(MaxFileSize)).Because(RuleFileTooLarge)
}

// Usage returns a room's space used and its quota. errNoRoom for a room
// the actor is not in.
func (s *Service) Usage(ctx context.Context, id RoomID) (Usage, error) {
	if _, _, err := s.authorize(ctx, id, ActionRead); err != nil {
		return Usage{}, err
	}
	return s.store.Usage(ctx, id, DefaultRoomQuota)
}

// SetQuota sets a room's quota in bytes. Administrators only
// (EFORBIDDEN otherwise); ENOTFOUND for a room that does not exist;
// EINVALID for a quota under 1 MiB or over MaxQuota. A quota below what
// the room uses already refuses uploads until files are deleted.
func (s *Service) SetQuota(ctx context.Context, id RoomID, quota int64) (Usage, error) {
	actor := IdentityFromContext(ctx)
	if !s.IsAdmin(ctx, actor) {
		return Usage{}, Errorf(EFORBIDDEN, "only an administrator may change a workroom's quota")
	}
	if quota < 1<<20 || quota > MaxQuota {
		return Usage{}, Errorf(EINVALID, "a quota is from 1 MiB to %s", FormatSize(MaxQuota))
	}
	if err := stillWanted(ctx); err != nil {
		return Usage{}, err
	}
	if err := s.store.SetQuota(ctx, id, quota); ErrorCode(err) == ENOTFOUND {
		return Usage{}, Errorf(ENOTFOUND, "no such workroom: %d", id)
	} else if err != nil {
		return Usage{}, err
	}
	s.log.Info("quota set", "room", id, "quota", quota, "by", actor.User.ID)
	return s.store.Usage(ctx, id, DefaultRoomQuota)
}
