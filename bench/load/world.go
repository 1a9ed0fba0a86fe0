package main

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/workroom/workroom/bench/loopback"

	"golang.org/x/crypto/ssh"
)

// The accounts and rooms of a run, made by SSH commands as a person would:
// signup, job post, propose, award. Every account keeps one connection
// open; it carries the account's setup commands, its TUI session (pairs)
// and its posts.

// account is one key with an account and its open connection.
type account struct {
	key  ssh.Signer
	conn *ssh.Client
}

// pair is a client and a freelancer sharing one room.
type pair struct {
	client, freelancer *account
	room               string
	title              string // the job's title, which the room's screen shows
}

// sourceAddr spreads connections over loopback source addresses
// (127.0.0.2, 127.0.0.3, …), as people arrive from many.
func (c *config) sourceAddr(i int) string { return fmt.Sprintf("127.0.0.%d", 2+i%c.sourceAddrs) }

// connCount numbers connections across a run, for their source address.
var connCount atomic.Int64

// newAccount signs a new key up over a new connection it keeps open, to
// the front end numbered front (of -addr's).
func newAccount(c *config, name string, front int) (*account, error) {
	a := &account{key: loopback.NewSigner()}
	var err error
	a.conn, err = loopback.Dial(c.addrs[front%len(c.addrs)], c.sourceAddr(int(connCount.Add(1))), a.key)
	if err != nil {
		return nil, err
	}
	_, err = loopback.Run(a.conn, fmt.Sprintf("signup --name %s --email %s@example.com", name, name), "")
	return a, err
}

// newPair makes room i: two accounts, a job, a proposal, an award.
func newPair(c *config, i int) (*pair, error) {
	p := &pair{title: fmt.Sprintf("Load-%04d", i)}
	var err error
	if p.client, err = newAccount(c, fmt.Sprintf("load-c%04d", i), 0); err != nil {
		return nil, fmt.Errorf("client %d: %w", i, err)
	}
	if p.freelancer, err = newAccount(c, fmt.Sprintf("load-f%04d", i), 1); err != nil {
		return nil, fmt.Errorf("freelancer %d: %w", i, err)
	}
	job, err := loopback.Run(p.client.conn, "job post --title "+p.title, "")
	if err != nil {
		return nil, err
	}
	prop, err := loopback.Run(p.freelancer.conn, "propose "+job+" --text ready", "")
	if err != nil {
		return nil, err
	}
	p.room, err = loopback.Run(p.client.conn, "award "+job+" "+prop, "")
	return p, err
}

// newPairs makes n rooms, c.parallel at a time.
func newPairs(c *config, n int) ([]*pair, error) {
	pairs := make([]*pair, n)
	errs := make([]error, n)
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range c.parallel {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				pairs[i], errs[i] = newPair(c, i)
				if errs[i] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return pairs, err
		}
	}
	return pairs, nil
}

// closeAll closes every connection of the pairs.
func closeAll(pairs []*pair) {
	for _, p := range pairs {
		if p == nil {
			continue
		}
		for _, a := range []*account{p.client, p.freelancer} {
			if a != nil && a.conn != nil {
				_ = a.conn.Close()
			}
		}
	}
}
