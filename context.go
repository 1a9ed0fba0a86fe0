package workroom

import "context"

type identityKey struct{}

// NewContextWithIdentity returns a context carrying who is acting: the key
// they proved, their account (nil before sign-up) and the address they
// connect from, which the service's rate limits count by. The context
// carries cancellation and the actor, nothing else: dependencies go
// through constructors.
func NewContextWithIdentity(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// NewContextWithUser returns a context carrying the acting user with no key
// or address, for callers that have only the account.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return NewContextWithIdentity(ctx, &Identity{User: u})
}

// IdentityFromContext returns who is acting; never nil (an empty identity
// when the context has none).
func IdentityFromContext(ctx context.Context) *Identity {
	if id, _ := ctx.Value(identityKey{}).(*Identity); id != nil {
		return id
	}
	return &Identity{}
}

// UserFromContext returns the acting user, or nil when the context has none
// (an unknown key that has not signed up).
func UserFromContext(ctx context.Context) *User {
	return IdentityFromContext(ctx).User
}
