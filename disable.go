package workroom

import "context"

// DisableUser disables an account: none of its keys can log in again, and
// every session open with any of them ends at once, told that the account
// was disabled. Only an administrator may do it (EFORBIDDEN otherwise),
// and not to their own account, which would lock them out of the command
// that undoes it. ENOTFOUND for an account that does not exist. Disabling
// an account that is already disabled succeeds and changes nothing.
func (s *Service) DisableUser(ctx context.Context, id UserID) error {
	actor := IdentityFromContext(ctx)
	if !s.IsAdmin(ctx, actor) {
		return Errorf(EFORBIDDEN, "only an administrator may disable an account")
	}
	if actor.User.ID == id {
		return Errorf(EINVALID, "you cannot disable your own account; ask another administrator")
	}
	keys, err := s.store.Keys(ctx, id)
	if err != nil {
		return err
	}
	if err := stillWanted(ctx); err != nil {
		return err
	}
	if err := s.store.SetDisabled(ctx, id, true); err != nil {
		return err
	}
	fps := make([]string, len(keys))
	for i, k := range keys {
		fps[i] = k.Fingerprint
	}
	s.revoke(ReasonDisabled, fps...)
	s.log.Info("account disabled", "user", id, "by", actor.User.ID)
	return nil
}
