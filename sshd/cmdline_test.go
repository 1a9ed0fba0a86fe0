package sshd

import (
	"strings"
	"testing"
	"time"
)

func TestCommandLine_OverTheCapIsRefusedAtOnce(t *testing.T) {
	ts := startServer(t)
	key := newKey(t)
	ts.signUp(t, key, "Ada")
	line := "post 1 " + strings.Repeat("x", 200<<10) // one 200 KB word: seconds of CPU for a shell-like splitter

	start := time.Now()
	r := ts.run(t, key, line, "")
	t.Logf("a 200 KB command line was refused in %v", time.Since(start))
	if r.status != 2 || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q; want exit 2 and nothing on stdout", r.status, r.stdout)
	}
	want := "workroom: the command line is 204807 bytes, over the limit of 65536; send long text on stdin instead: echo 'TEXT' | ssh HOST post ROOM\n"
	if r.stderr != want {
		t.Errorf("stderr %q\nwant   %q", r.stderr, want)
	}
}

func TestCommandLine_CapIsConfigurable(t *testing.T) {
	ts := startServer(t, func(p *parts) { p.cfg.MaxCommandLine = 10 })
	key := newKey(t)
	if r := ts.run(t, key, "help", ""); r.status != 0 {
		t.Fatalf("help under the cap: exit %d, %q", r.status, r.stderr)
	}
	if r := ts.run(t, key, "help help help", ""); r.status != 2 || !strings.Contains(r.stderr, "over the limit of 10") {
		t.Fatalf("a line of 14 bytes under a cap of 10: exit %d, %q", r.status, r.stderr)
	}
}

func TestCommandLine_LongWordUnderTheCapIsHandledQuickly(t *testing.T) {
	ts := startServer(t)
	client, freelancer := newKey(t), newKey(t)
	room := awardedRoom(t, ts, client, freelancer)
	word := strings.Repeat("y", 60<<10)

	start := time.Now()
	r := ts.run(t, client, "post "+room+" "+word, "")
	t.Logf("a 60 KB word was read and judged in %v", time.Since(start))
	// The line is read in full and reaches the service, whose body limit
	// is what refuses it.
	if r.status != 1 || !strings.Contains(r.stderr, "characters") {
		t.Fatalf("exit %d, stderr %q; want the service's length refusal", r.status, r.stderr)
	}
}

// TestCommandLine_TextArrivesExactlyAsTyped sends lines as an OpenSSH
// client does after the user's shell removed their quotes: the words
// joined by spaces, apostrophes and all.
func TestCommandLine_TextArrivesExactlyAsTyped(t *testing.T) {
	ts := startServer(t)
	client, freelancer := newKey(t), newKey(t)
	room := awardedRoom(t, ts, client, freelancer)

	for _, text := range []string{"It's done, isn't it?", "abc 'def", `She said "ok"  twice`} {
		ts.must(t, client, "post "+room+" "+text, "")
		var page struct {
			Messages []struct {
				Body string `json:"body"`
			} `json:"messages"`
		}
		decode(t, ts.must(t, client, "messages "+room+" --limit 1 --json", ""), &page)
		if len(page.Messages) != 1 || page.Messages[0].Body != text {
			t.Errorf("post %s stored %+v", text, page.Messages)
		}
	}
}
