package command

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom/cmdline"
	"github.com/workroom/workroom/workroomtest"
)

// FuzzRun runs arbitrary SSH command lines, with arbitrary stdin, for a
// member of a room and for a key with no account. Whatever the line, the
// runner must not panic, must exit 0, 1 or 2, and must answer a failure
// with exactly one line on stderr.
func FuzzRun(f *testing.F) {
	for _, s := range []struct{ line, stdin string }{
		{"rooms", ""}, {"messages 1 --limit 010 --json", ""}, {"post 1 It's \"done\"", ""},
		{"post 1", "from stdin\n"}, {"help post", ""}, {"job post --title", ""},
		{"files 1 --versions --before ../../x", ""}, {"notify 1 maybe", ""},
		{"keys remove \x00", ""}, {"settings --tz Mars/Olympus", ""}, {"--json", ""},
		{"verify 12345 67890", ""}, {"signup --name \u202e --email a@b", ""},
	} {
		f.Add(s.line, s.stdin, false)
	}
	w := workroomtest.New(f, workroomtest.NoSync(), workroomtest.WithMailWait(time.Millisecond))
	runner := New(w.Svc, slog.New(slog.NewTextHandler(&workroomtest.Buffer{}, nil)))
	ada, bob := w.SignUp(f, "Ada"), w.SignUp(f, "Bob")
	w.Room(f, ada, bob, "Logo design")
	stranger := workroomtest.Key("stranger")

	f.Fuzz(func(t *testing.T, line, stdin string, unknown bool) {
		id := ada
		if unknown {
			var err error
			if id, err = w.Svc.Authenticate(context.Background(), stranger); err != nil {
				t.Fatal(err)
			}
		}
		var out, errb bytes.Buffer
		status := runner.Run(context.Background(), id, cmdline.Parse(line), strings.NewReader(stdin), &out, &errb)
		switch status {
		case 0:
		case 1, 2:
			if msg := strings.TrimSuffix(errb.String(), "\n"); msg == "" || strings.Contains(msg, "\n") {
				t.Fatalf("exit %d with stderr %q: want one line", status, errb.String())
			}
		default:
			t.Fatalf("exit status %d", status)
		}
	})
}
