package workroom

import "context"

type userKey struct{}

// NewContextWithUser returns a context carrying the acting user. The context
// carries cancellation and the actor, nothing else: dependencies go through
// constructors.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFromContext returns the acting user, or nil when the context has none
// (an unknown key that has not signed up).
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}
