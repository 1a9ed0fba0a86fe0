package e2e_test

import (
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tmux is a terminal multiplexer session on its own server socket, so
// tests never touch a developer's tmux.
type tmux struct {
	t      *testing.T
	socket string
}

func newTmux(t *testing.T, width, height int, command ...string) *tmux {
	t.Helper()
	tm := &tmux{t: t, socket: fmt.Sprintf("workroom-e2e-%d", time.Now().UnixNano())}
	args := append([]string{"-L", tm.socket, "-f", "/dev/null", "new-session", "-d", "-s", "e2e",
		"-x", fmt.Sprint(width), "-y", fmt.Sprint(height), "--"}, command...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	return tm
}

// screen returns what the pane shows now.
func (tm *tmux) screen() string {
	out, err := exec.Command("tmux", "-L", tm.socket, "capture-pane", "-p", "-t", "e2e").CombinedOutput()
	if err != nil {
		return "capture-pane: " + err.Error() + ": " + string(out)
	}
	return string(out)
}

// waitScreen waits until the pane shows text.
func (tm *tmux) waitScreen(text string) {
	tm.t.Helper()
	waitFor(tm.t, fmt.Sprintf("%q on screen", text), 20*time.Second, func() (bool, string) {
		s := tm.screen()
		return strings.Contains(s, text), s
	})
}

// waitScreenMatch waits until the pane shows a match of pattern.
func (tm *tmux) waitScreenMatch(pattern string) {
	tm.t.Helper()
	re := regexp.MustCompile(pattern)
	waitFor(tm.t, fmt.Sprintf("%q on screen", pattern), 20*time.Second, func() (bool, string) {
		s := tm.screen()
		return re.MatchString(s), s
	})
}

// keys sends keys as tmux names them ("Enter", "Escape", "C-c") or literal
// text.
func (tm *tmux) keys(keys ...string) {
	tm.t.Helper()
	args := append([]string{"-L", tm.socket, "send-keys", "-t", "e2e"}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		tm.t.Fatalf("tmux send-keys: %v: %s", err, out)
	}
}

// TestE2E_TUIShowsOtherUsersMessageWithoutAKeyPress opens the workroom in the
// TUI on a real PTY (tmux + OpenSSH ssh -t), then the other member posts by
// command; the message must appear on the open screen with no key pressed.
func TestE2E_TUIShowsOtherUsersMessageWithoutAKeyPress(t *testing.T) {
	srv := startServer(t)
	client, free := newUser(t, srv, "carla"), newUser(t, srv, "fred")
	client.signUp()
	free.signUp()
	job := firstNumber(t, client.ok("job", "post", "--title", "Bakery logo"))
	room := firstNumber(t, client.ok("award", job, firstNumber(t, free.ok("propose", job, "--text", "p"))))
	client.ok("post", room, "first message from carla")

	tm := newTmux(t, 100, 30, append([]string{"ssh", "-t"}, client.sshArgs("open", room)...)...)
	tm.waitScreen("first message from carla")

	free.ok("post", room, "live hello from fred")
	tm.waitScreen("live hello from fred")
}

// TestE2E_SignUpAndPostAJobInTheTUI follows the README tour's terminal
// steps with the OpenSSH client on a real PTY: an unknown key gets the
// sign-up screen, the mailed code verifies the address, and a job posted
// from the jobs screen is open for a freelancer to see.
func TestE2E_SignUpAndPostAJobInTheTUI(t *testing.T) {
	srv := startServer(t)
	client, free := newUser(t, srv, "carla"), newUser(t, srv, "fred")

	tm := newTmux(t, 80, 24, append([]string{"ssh", "-t"}, client.sshArgs()...)...)
	tm.waitScreen("Welcome to workroom")
	tm.keys("-l", "Carla Client")
	tm.keys("Tab")
	tm.keys("-l", client.email)
	tm.keys("Enter")
	tm.waitScreen("We mailed a code to " + client.email)
	tm.keys("-l", client.code())
	tm.keys("Enter")
	tm.waitScreen(client.email + " is verified")

	tm.keys("J")
	tm.waitScreen("My jobs")
	tm.keys("n")
	tm.waitScreen("Post a job")
	tm.keys("-l", "Logo for a bakery")
	tm.keys("Tab")
	tm.keys("-l", "A fox holding bread.")
	tm.keys("Enter")
	tm.waitScreenMatch(`#1\s+Logo for a bakery`)

	if who := client.ok("whoami"); !strings.Contains(who, "Carla Client") {
		t.Fatalf("whoami after TUI sign-up = %q", who)
	}
	free.signUp()
	if open := free.ok("jobs", "--open"); !strings.Contains(open, "Logo for a bakery") || !strings.Contains(open, "Carla Client") {
		t.Fatalf("job posted in the TUI is not open to others: %q", open)
	}
}
