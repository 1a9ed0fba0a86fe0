package e2e_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tourBlock is one fenced sh block of the README's tour and how the tour
// marks it: "run" (the test runs it), "tui" (a step in the terminal UI,
// whose command-line equivalent the tour also prints), "server" (make
// run; the test starts the same binary itself, on a free port).
type tourBlock struct {
	kind  string
	lines []string
}

var tourMarker = regexp.MustCompile(`^<!-- tour:(\w+) -->$`)

// readTour extracts the marked sh blocks of README.md's "Five-minute tour"
// section, in order, and fails on a block without a marker: a block the
// test would skip unseen is a block that can drift.
func readTour(t *testing.T) []tourBlock {
	t.Helper()
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	start := strings.Index(text, "\n## Five-minute tour\n")
	if start < 0 {
		t.Fatal(`README.md has no "## Five-minute tour" section`)
	}
	section := text[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	var blocks []tourBlock
	lines := strings.Split(section, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") {
			continue
		}
		if lines[i] != "```sh" {
			t.Fatalf("tour line %d: a code block that is not ```sh: %q", i, lines[i])
		}
		m := []string(nil)
		if i > 0 {
			m = tourMarker.FindStringSubmatch(lines[i-1])
		}
		if m == nil {
			t.Fatalf("tour line %d: a ```sh block without a <!-- tour:KIND --> marker right before it", i)
		}
		b := tourBlock{kind: m[1]}
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			b.lines = append(b.lines, lines[i])
		}
		blocks = append(blocks, b)
	}
	return blocks
}

// sshShim stands in for the person at the keyboard where the tour says
// what they do: it answers yes to the host-key question (accept-new) and
// keeps ssh's files in the fresh HOME (OpenSSH reads the account's home
// from the password database, not from $HOME). The tour's own options
// come after it, unchanged.
func sshShim(t *testing.T, dir string) {
	t.Helper()
	real, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("no OpenSSH client:", err)
	}
	script := "#!/bin/sh\nexec " + real + ` -o UserKnownHostsFile="$HOME/.ssh/known_hosts" -o StrictHostKeyChecking=accept-new -o BatchMode=yes -o IdentityAgent=none -o LogLevel=ERROR "$@"` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "ssh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestE2E_TheReadmeTourRunsAsPrinted runs the README's tour: every block
// marked run, in order, each in its own bash (a new terminal: nothing
// carries over but files), in the folder the server keeps ./data in, with
// a fresh HOME. Only the port is rewritten.
func TestE2E_TheReadmeTourRunsAsPrinted(t *testing.T) {
	blocks := readTour(t)
	work, home, bin := t.TempDir(), t.TempDir(), t.TempDir()
	sshShim(t, bin)
	srv := startServerIn(t, filepath.Join(work, "data"))

	var runLines []string
	outputs := map[string]string{}
	ran := 0
	for _, b := range blocks {
		switch b.kind {
		case "server":
			if strings.Join(b.lines, "\n") != "make run" {
				t.Fatalf("the server block is %q; the test starts `workroom serve` as make run does", b.lines)
			}
		case "tui":
			// checked below, once every run block is known
		case "run":
			script := strings.ReplaceAll(strings.Join(b.lines, "\n"), "-p 2222 ", "-p "+srv.port+" ")
			out := runBash(t, work, home, bin, script, srv)
			for _, l := range b.lines {
				outputs[l] = out
			}
			runLines = append(runLines, b.lines...)
			ran++
		default:
			t.Fatalf("unknown tour marker %q", b.kind)
		}
	}
	if ran < 5 {
		t.Fatalf("ran %d tour blocks; the tour lost its command-line steps", ran)
	}
	// A TUI block's lines are either the TUI itself (ssh with no command)
	// or a command a run block also runs, so nothing printed goes untested.
	for _, b := range blocks {
		if b.kind != "tui" {
			continue
		}
		for _, l := range b.lines {
			if strings.HasSuffix(l, " localhost") && strings.HasPrefix(l, "ssh ") {
				continue
			}
			found := false
			for _, r := range runLines {
				found = found || strings.Contains(r, l)
			}
			if !found {
				t.Errorf("the tour prints %q for a TUI step, but no block the test runs runs it", l)
			}
		}
	}

	// What the tour says happens, happened.
	all := strings.Join(mapValues(outputs), "\n")
	for _, want := range []string{"Thanks! First sketches tomorrow.", "A longer message from stdin works too.", "hired Fred Freelancer", "Europe/Berlin"} {
		if !strings.Contains(all, want) {
			t.Errorf("the tour's output lacks %q:\n%s", want, all)
		}
	}
	if !regexp.MustCompile(`(?m)^1\s+Carla Client\s+\d+\s+\S.*\s+yes\s+Logo for a bakery$`).MatchString(all) {
		t.Errorf("jobs --open does not mark the job Fred proposed on:\n%s", all)
	}
	if want := "usage: ssh -p " + srv.port + " 127.0.0.1 COMMAND"; !strings.Contains(all, want) {
		t.Errorf("help does not give the address the client reached (%q):\n%s", want, all)
	}
	if !regexp.MustCompile(`(?m)^1\s+1\s+hired\s+1\s`).MatchString(all) {
		t.Errorf("proposals --mine does not say Fred was hired:\n%s", all)
	}
}

// runBash runs one tour block as a new terminal would: bash, stopping at
// the first failing line (also inside a pipeline).
func runBash(t *testing.T, dir, home, bin, script string, srv *server) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-e", "-o", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+home, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "SSH_AUTH_SOCK=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("tour block failed (%v):\n%s\n--- output:\n%s\n--- server logs:\n%s", err, script, out.String(), srv.logs)
	}
	return out.String()
}

func mapValues(m map[string]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range m {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
