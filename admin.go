package workroom

import (
	"context"
	"io"
)

// Administrators (Config.Admins) list the accounts, disable one, change a
// workroom's quota (quota.go), run the retention sweep (retention.go) and
// take a hot backup. Everyone else is refused with EFORBIDDEN saying the
// command is for administrators; it tells them nothing about any account
// or room.

// UserSummary is an account as the administrators' list shows it.
type UserSummary struct {
	User
	Keys int `json:"keys"`
}

// UserPage is a page of accounts, newest first; Before is the cursor.
type UserPage struct {
	Users  []UserSummary `json:"users"`
	Before UserID        `json:"before,omitempty"`
}

// errAdminOnly refuses someone who is not an administrator.
func errAdminOnly(what string) *Error {
	return Errorf(EFORBIDDEN, "only an administrator may %s", what)
}

// AdminUsers returns a page of every account, newest first: from the
// newest when before is 0, else those with IDs below before.
func (s *Service) AdminUsers(ctx context.Context, before UserID, limit int) (*UserPage, error) {
	if !s.IsAdmin(ctx, IdentityFromContext(ctx)) {
		return nil, errAdminOnly("list the accounts")
	}
	limit, err := pageLimit(limit, "accounts")
	if err != nil {
		return nil, err
	}
	users, next, err := fetchPage(limit, func(n int) ([]UserSummary, error) {
		return s.store.Users(ctx, before, n)
	}, func(u UserSummary) UserID { return u.ID })
	return &UserPage{Users: users, Before: next}, err
}

// Backup writes a consistent snapshot of the store to w while the server
// goes on serving; with a copy of the blob folder taken after it, it
// restores everything (see BlobGrace for why after). Administrators only.
func (s *Service) Backup(ctx context.Context, w io.Writer) error {
	actor := IdentityFromContext(ctx)
	if !s.IsAdmin(ctx, actor) {
		return errAdminOnly("take a backup")
	}
	s.log.Info("backup started", "by", actor.User.ID)
	if err := s.store.Backup(ctx, w); err != nil {
		return err
	}
	s.log.Info("backup written", "by", actor.User.ID)
	return nil
}
