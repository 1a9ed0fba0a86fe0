package e2e_test

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// underShell runs command under sh, so that it is not tmux's own child:
// tmux resumes a pane's process that was stopped (SIGCONT), which would
// undo a test's SIGSTOP.
func underShell(command ...string) []string {
	return append([]string{"sh", "-c", `"$@"; exit $?`, "sh"}, command...)
}

// childPID is the process the pane's shell runs (see underShell).
func (tm *tmux) childPID() int {
	tm.t.Helper()
	out, err := exec.Command("tmux", "-L", tm.socket, "display-message", "-p", "-t", "e2e", "#{pane_pid}").CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux display-message: %v: %s", err, out)
	}
	shell := strings.TrimSpace(string(out))
	children, err := os.ReadFile("/proc/" + shell + "/task/" + shell + "/children")
	if err != nil {
		tm.t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(children)))
	if err != nil {
		tm.t.Fatalf("the pane's shell %s runs %q, want one process", shell, children)
	}
	return pid
}

// awardedRoom has client post a job, free propose, and client award; it
// returns the room's id.
func awardedRoom(t *testing.T, client, free *user, title string) string {
	t.Helper()
	job := firstNumber(t, client.ok("job", "post", "--title", title))
	return firstNumber(t, client.ok("award", job, firstNumber(t, free.ok("propose", job, "--text", "p"))))
}

// TestE2E_PeopleShowAnotherMemberComeAndGo: Fred watches the People pane
// of the workroom; Carla opens it in her own terminal, and Fred sees her
// "here" with no key pressed; she quits and he sees her away at once.
// Then her ssh client is frozen (SIGSTOP, as a laptop shut): the server's
// keepalives go unanswered and she leaves presence within the keepalive
// window (1 s × 3 here).
func TestE2E_PeopleShowAnotherMemberComeAndGo(t *testing.T) {
	srv := startServerWith(t, t.TempDir(), "--ssh-keepalive-interval", "1s", "--ssh-keepalive-max", "3")
	carla, fred := newUser(t, srv, "carla"), newUser(t, srv, "fred")
	carla.signUp()
	fred.signUp()
	room := awardedRoom(t, carla, fred, "Bakery logo")

	watch := newTmux(t, 100, 30, append([]string{"ssh", "-t"}, fred.sshArgs("open", room)...)...)
	watch.waitScreen("p people")
	watch.keys("p")
	watch.waitScreenMatch(`fred \(you\) +freelancer +here`)
	watch.waitScreenMatch(`carla +client +away +not seen yet`)

	visitor := newTmux(t, 100, 30, append([]string{"ssh", "-t"}, carla.sshArgs("open", room)...)...)
	visitor.waitScreen("Bakery logo")
	watch.waitScreenMatch(`carla +client +here`)
	if out := fred.ok("members", room); !regexpMatch(`carla +client +here +now`, out) {
		t.Errorf("members while Carla is in the room:\n%s", out)
	}
	visitor.keys("q")
	watch.waitScreenMatch(`carla +client +away +last seen just now`)

	frozen := newTmux(t, 100, 30, underShell(append([]string{"ssh", "-t"}, carla.sshArgs("open", room)...)...)...)
	frozen.waitScreen("Bakery logo")
	watch.waitScreenMatch(`carla +client +here`)
	pid := frozen.childPID()
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(pid, syscall.SIGCONT)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	})
	watch.waitScreenMatch(`carla +client +away +last seen just now`)
	if !strings.Contains(srv.logs.String(), "closing unresponsive connection") {
		t.Errorf("the frozen client left without the server closing it for unanswered keepalives; logs:\n%s", srv.logs)
	}
}

// TestE2E_OpenRoomLandsInThatWorkroom: `ssh -t HOST open ROOM` starts the
// terminal UI inside that workroom, not the list.
func TestE2E_OpenRoomLandsInThatWorkroom(t *testing.T) {
	srv := startServer(t)
	carla, fred := newUser(t, srv, "carla"), newUser(t, srv, "fred")
	carla.signUp()
	fred.signUp()
	awardedRoom(t, carla, fred, "Bakery logo")
	second := awardedRoom(t, carla, fred, "Menu cards")
	fred.ok("post", second, "the menu draft is up")

	tm := newTmux(t, 100, 30, append([]string{"ssh", "-t"}, carla.sshArgs("open", second)...)...)
	tm.waitScreenMatch(`#` + second + ` Menu cards · client`)
	tm.waitScreen("the menu draft is up")
	if s := tm.screen(); strings.Contains(s, "Bakery logo") {
		t.Fatalf("open %s shows the other workroom too:\n%s", second, s)
	}
	tm.keys("Escape") // back to the list, which has both
	tm.waitScreen("Bakery logo")
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
