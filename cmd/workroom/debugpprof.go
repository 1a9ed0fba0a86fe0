package main

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

// debugPprofEnv names a hidden debugging switch, not a flag: set to a
// loopback address (WORKROOM_DEBUG_PPROF=127.0.0.1:6060), the server also
// serves Go's profiles (net/http/pprof) there, for measuring what idle
// sessions hold (bench/README.md). Any other address is refused: the
// profiles show the process's memory and must never face the network.
const debugPprofEnv = "WORKROOM_DEBUG_PPROF"

// startDebugPprof serves the profiles when debugPprofEnv asks for them.
func startDebugPprof(log *slog.Logger) {
	addr, ok := os.LookupEnv(debugPprofEnv)
	if !ok || addr == "" {
		return
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		log.Error("debug profiles not served: the address must be loopback", "env", debugPprofEnv, "addr", addr)
		return
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		log.Error("debug profiles not served", "env", debugPprofEnv, "err", err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Warn("serving debug profiles", "addr", l.Addr().String())
	go func() { _ = http.Serve(l, mux) }()
}
