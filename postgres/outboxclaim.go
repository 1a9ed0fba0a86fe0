package postgres

import (
	"context"
	"time"

	"github.com/workroom/workroom"
)

// ClaimMail implements workroom.Store.
func (db *DB) ClaimMail(ctx context.Context, now, until time.Time, limit int) ([]workroom.Mail, error) {
	return nil, errTODO // TODO(pgshared): once the outbox table exists (pgcore)
}
