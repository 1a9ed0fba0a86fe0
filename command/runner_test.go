package command

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/workroom/workroom/cmdline"

	"github.com/workroom/workroom"
)

func TestUsageErrors_ExitTwoWithOneLineSayingWhatWasExpected(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"messages"}, "messages needs ROOM; usage: messages ROOM [--limit N] [--before ID]"},
		{[]string{"messages", "abc"}, `ROOM must be a number in decimal digits, like 42; got "abc"`},
		{[]string{"messages", "1", "2"}, `unexpected argument "2"`},
		{[]string{"messages", "1", "--limit", "x"}, `invalid argument "x" for "--limit"`},
		{[]string{"messages", "1", "--limit", "0"}, "--limit must be 1 or more"},
		{[]string{"messages", "1", "--before", "-1"}, `invalid argument "-1" for "--before"`},
		{[]string{"post"}, "post needs ROOM; usage: post ROOM [TEXT]"},
		{[]string{"post", "one", "hi"}, `ROOM must be a number in decimal digits, like 42; got "one"`},
		{[]string{"open"}, "open needs ROOM"},
		{[]string{"award", "1"}, "award needs PROPOSAL; usage: award JOB PROPOSAL"},
		{[]string{"award", "1", "x"}, `PROPOSAL must be a number in decimal digits, like 42; got "x"`},
		{[]string{"propose", "x", "--text", "t"}, `JOB must be a number in decimal digits, like 42; got "x"`},
		{[]string{"proposals"}, "proposals needs JOB"},
		{[]string{"job"}, "job needs a subcommand; usage: job post --title T [--description D]"},
		{[]string{"job", "delete"}, "unknown command job delete; run help"},
		{[]string{"job", "post"}, "job post needs --title; usage: job post --title T [--description D]"},
		{[]string{"signup", "--name", "Ada"}, "signup needs --email; usage: signup --name N --email E"},
		{[]string{"verify"}, "verify needs CODE"},
		{[]string{"verify", "1", "--resend"}, "give either CODE or --resend"},
		{[]string{"keys", "list"}, `unexpected argument "list"; usage: keys`},
		{[]string{"keys", "remove"}, "keys remove needs FINGERPRINT; usage: keys remove FINGERPRINT"},
		{[]string{"rooms", "--bogus"}, "unknown flag: --bogus; usage: rooms"},
		{[]string{"frobnicate"}, "unknown command frobnicate; run help"},
		{[]string{"help", "frobnicate"}, "unknown command frobnicate; run help"},
		{[]string{"__complete", "m"}, "unknown command __complete; run help"},
		// Commands of the fixed surface that later issues add are not faked.
		{[]string{"admin", "frobnicate"}, "unknown command admin frobnicate; usage: admin users | admin disable USER"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := w.run(key, "", tc.args...)
			if r.status != 2 {
				t.Fatalf("status %d, want 2 (stderr %q)", r.status, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing (no usage dump)", r.stdout)
			}
			if line := oneLine(t, r.stderr); !strings.Contains(line, tc.want) {
				t.Errorf("stderr %q, want it to contain %q", line, tc.want)
			}
		})
	}
}

func TestHelp_ListsTheCommands(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")

	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out := w.ok(key, args...)
			for _, want := range []string{"signup --name N --email E", "keys add", "job post --title T [--description D]",
				"messages ROOM [--limit N] [--before ID]", "post ROOM [TEXT]", "award JOB PROPOSAL", "--json"} {
				if !strings.Contains(out, want) {
					t.Errorf("help = %q, want it to contain %q", out, want)
				}
			}
			for _, absent := range []string{"completion", "__complete"} {
				if strings.Contains(out, absent) {
					t.Errorf("help lists %q, which does not exist yet", absent)
				}
			}
		})
	}
}

func TestHelp_ShowsOneCommandsUsage(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")

	for _, args := range [][]string{{"help", "messages"}, {"messages", "--help"}} {
		out := w.ok(key, args...)
		if !strings.HasPrefix(out, "usage: messages ROOM [--limit N] [--before ID]\n") || !strings.Contains(out, "--before N") {
			t.Errorf("%q = %q", args, out)
		}
	}
	if out := w.ok(key, "help", "job", "post"); !strings.HasPrefix(out, "usage: job post --title T [--description D]\n") {
		t.Errorf("help job post = %q", out)
	}
}

// Run with no arguments must not fall back to the server's own os.Args.
func TestRun_NilArgsPrintsHelp(t *testing.T) {
	w := newWorld(t)
	var out, errb bytes.Buffer
	status := w.runner.Run(context.Background(), &workroom.Identity{}, cmdline.Line{}, nil, &out, &errb)
	if status != 0 || !strings.Contains(out.String(), "signup --name N --email E") || errb.Len() != 0 {
		t.Errorf("Run(nil) = %d, %q, %q", status, out.String(), errb.String())
	}
}

func TestRun_LogsOneLinePerCommand(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")
	w.run(key, "", "rooms")
	w.run(key, "", "messages", "42")
	w.run(key, "", "job", "post")

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(w.logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 4 { // signup, rooms, messages, job post
		t.Fatalf("%d log lines, want 4:\n%s", len(lines), w.logs)
	}
	for i, want := range []struct {
		command string
		status  float64
	}{{"signup", 0}, {"rooms", 0}, {"messages", 1}, {"job post", 2}} {
		got := lines[i]
		if got["command"] != want.command || got["status"] != want.status || got["fingerprint"] != key.Fingerprint {
			t.Errorf("log line %d = %v, want command %q status %v", i, got, want.command, want.status)
		}
	}
	if lines[1]["user"] == nil || lines[2]["reason"] != "no such workroom: 42" {
		t.Errorf("log lines lack the user or the reason: %v", lines)
	}
}

func TestInternalError_PrintsOnlyInternalErrorAndLogsTheCause(t *testing.T) {
	w := newWorld(t)
	key := w.signUp("Ada")
	id, err := w.Svc.Authenticate(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.DB.Close(); err != nil {
		t.Fatal(err)
	}

	var out, errb bytes.Buffer
	status := w.runner.Run(context.Background(), id, lineOf("rooms"), nil, &out, &errb)
	if status != 1 || errb.String() != "internal error\n" || out.Len() != 0 {
		t.Errorf("rooms on a closed store = %d, %q, %q; want 1 and only \"internal error\"", status, out.String(), errb.String())
	}
	logs := w.logs.String()
	if !strings.Contains(logs, `"level":"ERROR"`) || !strings.Contains(logs, `"command":"rooms"`) || !strings.Contains(logs, `"err":"`) {
		t.Errorf("the cause was not logged: %s", logs)
	}
}

// sshd runs commands of many connections at once on one Runner.
func TestRun_IsSafeForConcurrentCommands(t *testing.T) {
	w := newWorld(t)
	client, fred := w.signUp("Carla"), w.signUp("Fred")
	room := itoa(w.awardedRoom(client, fred, "Logo"))

	const n = 8
	ids := make(chan string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := []workroom.Key{client, fred}[i%2]
			id, _ := w.Svc.Authenticate(context.Background(), key)
			var out, errb bytes.Buffer
			if status := w.runner.Run(context.Background(), id, lineOf("post", room, "hi"), nil, &out, &errb); status != 0 {
				t.Errorf("post: %d %q", status, errb.String())
			}
			ids <- out.String()
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		seen[id] = true
	}
	if len(seen) != n {
		t.Errorf("%d concurrent posts printed %d distinct ids", n, len(seen))
	}
}
