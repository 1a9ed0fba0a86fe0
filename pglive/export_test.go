package pglive

// Crash stops the hub as a SIGKILL would: no more heartbeats, nothing
// received or sent, and nothing cleaned up — its sessions stay open and
// its heartbeat row stays as it was.
func (h *Hub) Crash() {
	h.cancel()
	h.wg.Wait()
}

// ListenerPID is the server process of the listening connection, for a
// test that cuts it.
func (h *Hub) ListenerPID() uint32 { return h.listenPID.Load() }

// Origin is the front end's id in live_frontends.
func (h *Hub) Origin() string { return h.origin }

// Pings is how many times the quiet listening connection was checked.
func (h *Hub) Pings() int64 { return h.pings.Load() }
