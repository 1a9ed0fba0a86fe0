package main

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"

	"github.com/workroom/workroom/workroomtest"
)

// freeAddr returns host:port with a port free a moment ago.
func freeAddr(t *testing.T, host string) string {
	t.Helper()
	l, err := net.Listen("tcp", host+":0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestDebugPprof_ServesProfilesOnLoopbackWhenAsked(t *testing.T) {
	addr := freeAddr(t, "127.0.0.1")
	t.Setenv(debugPprofEnv, addr)
	startDebugPprof(slog.New(slog.DiscardHandler))
	var body string
	workroomtest.WaitUntil(t, "the heap profile served", func() bool {
		resp, err := http.Get("http://" + addr + "/debug/pprof/heap?debug=1")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body = string(b)
		return resp.StatusCode == http.StatusOK
	})
	if len(body) == 0 {
		t.Fatal("empty heap profile")
	}
}

func TestDebugPprof_RefusesAnAddressBeyondLoopback(t *testing.T) {
	addr := freeAddr(t, "0.0.0.0")
	t.Setenv(debugPprofEnv, addr)
	startDebugPprof(slog.New(slog.DiscardHandler))
	_, port, _ := net.SplitHostPort(addr)
	if c, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
		c.Close()
		t.Fatalf("profiles served on %s, which is not loopback", addr)
	}
}
