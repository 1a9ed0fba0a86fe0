package workroom

import (
	"context"
	"sync"
)

// Access ends at once. A session is admitted with the key it proved and the
// account that key belonged to then; when the key is removed from the
// account, or the account is disabled, every session already open with it
// must end — not at its next login. The service keeps, in memory, who is
// watching which key, and tells them the moment either happens, so every
// transport (SSH sessions, SFTP later) learns it the same way.

// Reasons a session's access ends, as the person is told.
const (
	ReasonKeyRemoved = "this key was removed from the account"
	ReasonDisabled   = "this account was disabled"
)

// WatchAccess calls revoked, once, with the reason the identity's access
// ended — its key removed from the account, or the account disabled. A
// session subscribes after it has authenticated and ends when revoked is
// called; stop unsubscribes and must be called when the session ends. A
// key with no account is watched too: should it sign up during the
// session and lose its access again, the session still hears it.
// revoked runs on the goroutine that revoked the access (or in this call,
// when the access is already gone) and must return at once: a session
// that has to do more starts a goroutine for it. Nothing waits meanwhile,
// so a thousand sessions watching cost no goroutine each.
func (s *Service) WatchAccess(ctx context.Context, id *Identity, revoked func(reason string)) (stop func()) {
	w := &accessWatch{revoked: revoked}
	fp := id.Key.Fingerprint
	s.access.add(fp, w)
	// The key may have lost its access between the caller's Authenticate
	// and the line above; look once more now that nothing can slip by.
	if reason := s.accessLost(ctx, id); reason != "" {
		w.fire(reason)
	}
	return func() { s.access.remove(fp, w) }
}

// accessLost returns why an authenticated identity no longer has access,
// or "" while it has (or when the store cannot say: the session keeps
// running rather than being cut off by a read error).
func (s *Service) accessLost(ctx context.Context, id *Identity) string {
	if id.User == nil {
		return ""
	}
	k, err := s.store.KeyByFingerprint(ctx, id.Key.Fingerprint)
	switch {
	case ErrorCode(err) == ENOTFOUND || err == nil && k.UserID != id.User.ID:
		return ReasonKeyRemoved
	case err != nil:
		s.log.Error("access check: key", "fingerprint", id.Key.Fingerprint, "err", err)
		return ""
	}
	u, err := s.store.User(ctx, id.User.ID)
	if err != nil {
		s.log.Error("access check: user", "user", id.User.ID, "err", err)
		return ""
	}
	if u.Disabled {
		return ReasonDisabled
	}
	return ""
}

// revoke tells every session watching one of the keys that its access
// ended, and why.
func (s *Service) revoke(reason string, fingerprints ...string) {
	for _, fp := range fingerprints {
		s.access.fire(fp, reason)
	}
}

// stillWanted refuses a write whose session has ended — the client left,
// or its access was just revoked — so that nothing is stored on behalf of
// someone who is no longer there (a `post` cut off while reading stdin
// stores nothing). Every write checks it right before the store.
func stillWanted(ctx context.Context) error {
	if ctx.Err() != nil {
		return Errorf(EUNAVAILABLE, "the session ended before this was saved; nothing was stored")
	}
	return nil
}

// accessRegistry is the in-memory list of sessions watching each key; its
// zero value is ready to use.
type accessRegistry struct {
	mu    sync.Mutex
	byKey map[string]map[*accessWatch]struct{}
}

// accessWatch is one session's subscription.
type accessWatch struct {
	revoked func(reason string)
	once    sync.Once
}

func (w *accessWatch) fire(reason string) {
	w.once.Do(func() { w.revoked(reason) })
}

func (r *accessRegistry) add(fp string, w *accessWatch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byKey == nil {
		r.byKey = make(map[string]map[*accessWatch]struct{})
	}
	if r.byKey[fp] == nil {
		r.byKey[fp] = make(map[*accessWatch]struct{})
	}
	r.byKey[fp][w] = struct{}{}
}

func (r *accessRegistry) remove(fp string, w *accessWatch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.byKey[fp], w)
	if len(r.byKey[fp]) == 0 {
		delete(r.byKey, fp)
	}
}

// fire tells every watcher of the key; each hears only the first reason.
// They are told outside the lock, so one may stop watching as it hears.
func (r *accessRegistry) fire(fp, reason string) {
	r.mu.Lock()
	ws := make([]*accessWatch, 0, len(r.byKey[fp]))
	for w := range r.byKey[fp] {
		ws = append(ws, w)
	}
	r.mu.Unlock()
	for _, w := range ws {
		w.fire(reason)
	}
}
