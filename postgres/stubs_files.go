package postgres

// Methods not written yet: each refuses until its helper lands it.
// Delete a stub when you write the method.

import (
	"context"

	"github.com/workroom/workroom"
)

func (db *DB) PostMail(ctx context.Context, p *workroom.MailPosting) (*workroom.Room, []workroom.Member, error) {
	return nil, nil, errTODO
}
