package pglive

import (
	"context"
	"encoding/json"
	"time"
)

// send writes what is queued for the other front ends, as it comes: what
// waits is taken together (up to maxBatch) in one statement, so a burst
// costs one round trip and one NOTIFY, and a lone event goes at once.
func (h *Hub) send() {
	defer h.wg.Done()
	defer close(h.sent)
	batch := make([]envelope, 0, maxBatch)
	for {
		select {
		case <-h.ctx.Done():
			return
		case env := <-h.out:
			batch = append(batch[:0], env)
		case <-h.closing: // send what is left, then stop
			select {
			case env := <-h.out:
				batch = append(batch[:0], env)
			default:
				return
			}
		}
	more:
		for len(batch) < maxBatch {
			select {
			case env := <-h.out:
				batch = append(batch, env)
			default:
				break more
			}
		}
		if err := h.write(batch); err != nil {
			if h.ctx.Err() != nil {
				return
			}
			// The others miss these: they are told to reload once the
			// database answers (heartbeat).
			h.lost.Store(true)
			h.log.Warn("live: sending to the other front ends failed", "events", len(batch), "err", err)
			select {
			case <-h.ctx.Done():
				return
			case <-time.After(retryWait):
			}
		}
	}
}

// sendSQL stores the bodies and notifies their ids, in one statement and
// so one transaction: a NOTIFY is delivered at commit, when the rows can
// be read.
const sendSQL = `WITH sent AS (
	INSERT INTO live_events (origin, body)
	SELECT $1, b FROM unnest($2::bytea[]) WITH ORDINALITY AS t(b, n) ORDER BY n
	RETURNING id
)
SELECT pg_notify('` + channel + `', $1 || ' ' || string_agg(id::text, ' ' ORDER BY id)) FROM sent`

// write sends one batch.
func (h *Hub) write(batch []envelope) error {
	bodies := make([][]byte, 0, len(batch))
	for _, env := range batch {
		b, err := json.Marshal(env)
		if err != nil {
			h.log.Error("live: an event could not be encoded", "err", err)
			continue
		}
		bodies = append(bodies, b)
	}
	if len(bodies) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(h.ctx, queryWait)
	defer cancel()
	_, err := h.pool.Exec(ctx, sendSQL, h.origin, bodies)
	return err
}
