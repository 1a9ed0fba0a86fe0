package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
)

// Group commit. Every write of the store is a synced commit, and a commit
// costs a flush to the disk (0.9–3.6 ms measured on this machine), so
// writers one after another top out at a few hundred to a thousand
// commits a second, however little each writes. With 500 rooms in
// meetings, a line a second each, the lines queued behind one another's
// flushes for seconds. So a message's append joins the commit of whoever
// else is appending: the first waits for nobody, and those that arrive
// while a commit is flushing go together in the next one. (bbolt's own
// Batch waits a fixed delay for company instead, which every lone post
// would pay.)
//
// Writes in one commit share its transaction, so one that fails (a
// refusal, a missing room) rolls the others back with it. The others run
// again without it, and it runs again alone after them, which is its
// answer. A write that
// joins must therefore be safe to run more than once with only the last
// run kept: it sets its results afresh on each run. Only AppendMessage
// joins (message.go); every other write has its own commit (update).
type groupCommit struct {
	db *bolt.DB

	mu    sync.Mutex
	queue []*joined
	busy  bool // a goroutine is committing; it takes the queue when done
}

// joined is one write waiting to be committed with others.
type joined struct {
	fn    func(*bolt.Tx) error
	state atomic.Int32
	done  chan error // the write's result, once
}

const (
	joinWaiting   = iota // queued
	joinTaken            // in a commit: it will be answered
	joinAbandoned        // its caller stopped waiting first: never run
)

// update runs fn in a commit shared with other writes joining at the
// same time. A caller that stops waiting before its write was taken into
// a commit gets ctx's error, with nothing written; once taken, it waits
// for the commit.
func (g *groupCommit) update(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: gave up waiting to write: %w", err)
	}
	j := &joined{fn: fn, done: make(chan error, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, j)
	start := !g.busy
	g.busy = true
	g.mu.Unlock()
	if start {
		go g.run()
	}
	select {
	case err := <-j.done:
		return err
	case <-ctx.Done():
		if j.state.CompareAndSwap(joinWaiting, joinAbandoned) {
			return fmt.Errorf("store: gave up waiting to write: %w", ctx.Err())
		}
		return <-j.done
	}
}

// run commits what is queued, again and again, until nothing is.
func (g *groupCommit) run() {
	for {
		g.mu.Lock()
		queued := g.queue
		g.queue = nil
		if len(queued) == 0 {
			g.busy = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		var batch []*joined
		for _, j := range queued {
			if j.state.CompareAndSwap(joinWaiting, joinTaken) {
				batch = append(batch, j)
			}
		}
		g.commit(batch)
	}
}

// commit runs batch in one transaction and answers each write. A write
// that fails first in its transaction is answered with its error; one
// that fails after others is taken out, and run alone once the others
// are committed.
func (g *groupCommit) commit(batch []*joined) {
	var alone []*joined
	for len(batch) > 0 {
		failed, ferr := -1, error(nil)
		err := g.db.Update(func(tx *bolt.Tx) error {
			for i, j := range batch {
				if err := safely(j.fn, tx); err != nil {
					failed, ferr = i, err
					return err
				}
			}
			return nil
		})
		switch {
		case failed < 0:
			for _, j := range batch {
				j.done <- err // nil, or the commit's own failure
			}
			batch = nil
		case failed == 0:
			batch[0].done <- ferr
			batch = batch[1:]
		default:
			alone = append(alone, batch[failed])
			batch = append(batch[:failed:failed], batch[failed+1:]...)
		}
	}
	for _, j := range alone {
		j.done <- g.db.Update(func(tx *bolt.Tx) error { return safely(j.fn, tx) })
	}
}

// safely runs fn, turning a panic into its error so one bad write cannot
// take the committing goroutine, and the server, down.
func safely(fn func(*bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("store: a write panicked: %v", r)
		}
	}()
	return fn(tx)
}
