package e2e_test

import (
	"os"
	"strings"
	"testing"
)

// TestE2E_PersonAddsALaptopKeyAndRetiresTheOldOne: with the OpenSSH client,
// a person asks for a link code on the desk key, runs keys link CODE from
// the laptop, switches to it, and removes the first; the first key then
// gets only the sign-up answer.
func TestE2E_PersonAddsALaptopKeyAndRetiresTheOldOne(t *testing.T) {
	srv := startServer(t)
	desk := newUser(t, srv, "ada")
	desk.signUp()
	laptop := newUser(t, srv, "ada-laptop")

	m := linkCodeLine.FindStringSubmatch(desk.ok("keys", "add"))
	if m == nil {
		t.Fatal("keys add printed no link code")
	}
	laptop.ok("keys", "link", m[1])
	if who := laptop.ok("whoami"); !strings.Contains(who, "ada@example.com") {
		t.Fatalf("the new key is not Ada's: %q", who)
	}
	fp := strings.Fields(string(mustRun(t, "ssh-keygen", "-l", "-E", "sha256", "-f", desk.key+".pub")))[1]
	if keys := laptop.ok("keys"); !strings.Contains(keys, fp) {
		t.Fatalf("keys does not list %s:\n%s", fp, keys)
	}
	laptop.ok("keys", "remove", fp)
	if r := desk.run("", "whoami"); r.code == 0 || !strings.Contains(r.stderr, "signup") {
		t.Fatalf("the removed key still works: exit %d, %q", r.code, r.stderr)
	}
	if r := laptop.run("", "keys", "remove", strings.Fields(string(mustRun(t, "ssh-keygen", "-l", "-E", "sha256", "-f", laptop.key+".pub")))[1]); r.code == 0 {
		t.Fatal("removed the account's last key")
	}
}

// TestE2E_PersonWhoLostEveryKeyRecoversByMail: from a brand-new key, keys
// recover mails a link code to the verified address; keys link CODE makes
// the new key the account's.
func TestE2E_PersonWhoLostEveryKeyRecoversByMail(t *testing.T) {
	srv := startServer(t)
	old := newUser(t, srv, "ada")
	old.signUp()
	if err := os.Remove(old.key); err != nil { // lost
		t.Fatal(err)
	}
	phone := newUser(t, srv, "ada-phone")
	phone.email = old.email
	phone.ok("keys", "recover", "--email", old.email)
	phone.ok("keys", "link", phone.mailedCode(linkCodeLine))
	if who := phone.ok("whoami"); !strings.Contains(who, "ada@example.com (verified)") {
		t.Fatalf("the recovered key is not Ada's: %q", who)
	}
}

// TestE2E_KillDashNineLosesNothingAcknowledged posts messages with the
// OpenSSH client, kills the server with SIGKILL, starts it again on the
// same data folder, and reads every acknowledged message back.
func TestE2E_KillDashNineLosesNothingAcknowledged(t *testing.T) {
	srv := startServer(t)
	client, free := newUser(t, srv, "carla"), newUser(t, srv, "fred")
	client.signUp()
	free.signUp()
	job := firstNumber(t, client.ok("job", "post", "--title", "Durable"))
	room := firstNumber(t, client.ok("award", job, firstNumber(t, free.ok("propose", job, "--text", "p"))))
	var acked []string
	for _, body := range []string{"one", "two", "three"} {
		free.ok("post", room, "acknowledged "+body)
		acked = append(acked, "acknowledged "+body)
	}

	if err := srv.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-srv.done
	srv.done <- nil

	again := startServerIn(t, srv.data)
	client.srv, free.srv = again, again
	msgs := client.ok("messages", room)
	for _, body := range acked {
		if !strings.Contains(msgs, body) {
			t.Fatalf("after kill -9, %q is missing:\n%s", body, msgs)
		}
	}
	free.ok("post", room, "after the restart")
}
