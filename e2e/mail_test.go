package e2e_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	smtpLine     = regexp.MustCompile(`smtp listening.*addr=\S*:(\d+)`)
	replyAddress = regexp.MustCompile(`reply\+[0-9a-f]{32}@e2e\.localhost`)
)

// smtpPort waits for the server's "smtp listening" line.
func (s *server) smtpPort(t *testing.T) string {
	t.Helper()
	port := ""
	waitFor(t, "smtp listening", 15*time.Second, func() (bool, string) {
		m := smtpLine.FindStringSubmatch(s.logs.String())
		if m != nil {
			port = m[1]
		}
		return m != nil, s.logs.String()
	})
	return port
}

// replyAddressOf waits for a notification to u whose body holds text and
// returns its Reply-To address.
func (u *user) replyAddressOf(text string) string {
	u.t.Helper()
	addr := ""
	waitFor(u.t, "a notification to "+u.email, 15*time.Second, func() (bool, string) {
		files, _ := filepath.Glob(filepath.Join(u.srv.data, "outbox", "*.eml"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil || !strings.Contains(string(b), "To: <"+u.email+">") && !strings.Contains(string(b), "To: "+u.email) || !strings.Contains(string(b), text) {
				continue
			}
			if a := replyAddress.FindString(string(b)); a != "" {
				addr = a
				return true, ""
			}
		}
		return false, strings.Join(files, "\n")
	})
	return addr
}

// swaks sends one mail with swaks and returns its exit status and output.
func swaks(t *testing.T, port string, args ...string) (int, string) {
	t.Helper()
	if _, err := exec.LookPath("swaks"); err != nil {
		t.Skip("swaks is not installed (Debian: apt-get install swaks, or run scripts/install-test-deps)")
	}
	cmd := exec.Command("swaks", append([]string{"--server", "127.0.0.1", "--port", port, "--helo", "client.example"}, args...)...)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// TestE2E_FreelancerRepliesByEmailWithAFile: the client posts, the
// freelancer answers the notification from their mail program with a
// file attached, and both land in the workroom; an .exe is refused in
// the SMTP conversation, naming the file and the rule.
func TestE2E_FreelancerRepliesByEmailWithAFile(t *testing.T) {
	srv := startServerWith(t, t.TempDir(), "--no-scan")
	port := srv.smtpPort(t)
	carla, fred := newUser(t, srv, "carla"), newUser(t, srv, "fred")
	carla.signUp()
	fred.signUp()
	job := firstNumber(t, carla.ok("job", "post", "--title", "Logo for a bakery"))
	room := firstNumber(t, carla.ok("award", job, firstNumber(t, fred.ok("propose", job, "--text", "I draw foxes"))))
	carla.ok("post", room, "Could you send the brief?")
	reply := fred.replyAddressOf("Could you send the brief?")

	brief := filepath.Join(t.TempDir(), "brief.pdf")
	if err := os.WriteFile(brief, []byte("%PDF-1.4 the brief"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := swaks(t, port, "--from", fred.email, "--to", reply,
		"--header", "Subject: Re: [workroom] Logo for a bakery",
		"--body", "Here it is.\n\nOn Monday, workroom wrote:\n> Could you send the brief?\n",
		"--attach-type", "application/pdf", "--attach-name", "brief.pdf", "--attach", "@"+brief)
	if code != 0 {
		t.Fatalf("swaks exit %d:\n%s\nserver logs:\n%s", code, out, srv.logs)
	}
	msgs := carla.ok("messages", room)
	if !strings.Contains(msgs, "Here it is.") || !strings.Contains(msgs, "via email") || !strings.Contains(msgs, "attached: brief.pdf") || strings.Contains(msgs, "> Could you") {
		t.Fatalf("messages = %q; want Fred's stripped reply via email with brief.pdf", msgs)
	}
	if files := carla.ok("files", room); !strings.Contains(files, "brief.pdf") {
		t.Fatalf("files = %q; want brief.pdf", files)
	}

	setup := filepath.Join(t.TempDir(), "setup.exe")
	if err := os.WriteFile(setup, []byte("MZ"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out = swaks(t, port, "--from", fred.email, "--to", reply,
		"--header", "Subject: Re: [workroom] Logo for a bakery", "--body", "And the installer.",
		"--attach-type", "application/octet-stream", "--attach-name", "setup.exe", "--attach", "@"+setup)
	if code == 0 || !strings.Contains(out, "550 5.7.1 setup.exe: .exe files must be zipped") {
		t.Fatalf("swaks exit %d, want a refusal naming setup.exe and the rule:\n%s", code, out)
	}
	if files := carla.ok("files", room); strings.Contains(files, "setup.exe") {
		t.Fatalf("files = %q; the refused file was stored", files)
	}
}
