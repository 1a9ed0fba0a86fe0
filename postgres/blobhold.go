package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

// DefaultBlobHoldExpiry is how long a hold lasts when its front end never
// releases it (it died): longer than any upload takes between storing a
// blob and recording its version, mail's included (a whole SMTP DATA
// phase, mail.DefaultDataTimeout, then the post).
const DefaultBlobHoldExpiry = time.Hour

// BlobHolds are the holds on blobs of several front ends over one
// database and one blob bucket, as rows of blob_holds. Hold and
// RemoveIfFree take the same transaction-scoped advisory lock on the
// blob that blob_referenced takes shared and BlobUnusedSince exclusively,
// so a hold is never added while a removal is deciding or deleting, and
// a removal sees every hold added before it.
type BlobHolds struct {
	db     *DB
	holder string
	expiry time.Duration
}

var _ workroom.BlobHolds = (*BlobHolds)(nil)

// NewBlobHolds returns the holds kept in db; expiry 0 means
// DefaultBlobHoldExpiry.
func NewBlobHolds(db *DB, expiry time.Duration) *BlobHolds {
	if expiry <= 0 {
		expiry = DefaultBlobHoldExpiry
	}
	return &BlobHolds{db: db, holder: frontEndName(), expiry: expiry}
}

// lockBlob takes the blob's advisory lock until the transaction ends.
func lockBlob(ctx context.Context, tx pgx.Tx, sum string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, sum)
	return err
}

// Hold implements workroom.BlobHolds.
func (h *BlobHolds) Hold(ctx context.Context, sum string) (func(), error) {
	var id int64
	err := h.db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockBlob(ctx, tx, sum); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO blob_holds (sha256, holder, until) VALUES ($1, $2, now() + $3 * interval '1 microsecond') RETURNING id`,
			sum, h.holder, h.expiry.Microseconds()).Scan(&id)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: holding blob %s: %w", sum, err)
	}
	return func() {
		// Released after the upload's context may be gone; a row left
		// behind lapses at its expiry.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseWait)
		defer cancel()
		_, _ = h.db.pool.Exec(ctx, `DELETE FROM blob_holds WHERE id = $1`, id)
	}, nil
}

// RemoveIfFree implements workroom.BlobHolds: the holds, the references
// (blobUsed) and remove itself are all under the blob's lock, in one
// transaction.
func (h *BlobHolds) RemoveIfFree(ctx context.Context, sum string, remove func() error) (bool, error) {
	removed := false
	err := h.db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockBlob(ctx, tx, sum); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM blob_holds WHERE sha256 = $1 AND until <= now()`, sum); err != nil {
			return err
		}
		var held bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM blob_holds WHERE sha256 = $1)`, sum).Scan(&held); err != nil || held {
			return err
		}
		used, err := blobUsed(ctx, tx, sum)
		if err != nil || used {
			return err
		}
		if err := remove(); err != nil {
			return err
		}
		removed = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("postgres: removing blob %s: %w", sum, err)
	}
	return removed, nil
}
