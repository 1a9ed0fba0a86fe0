package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The client invites a colleague and a guest with OpenSSH; the guest
// reads over sftp but cannot write; the colleague who had no account
// signs up from the invitation mail and is in; removing the guest closes
// every door at once.
func TestE2E_ClientInvitesAGuestAndATeamMemberThenRemovesTheGuest(t *testing.T) {
	need(t, "sftp")
	srv := startServerWith(t, t.TempDir(), "--no-scan")
	r := newFileRoom(t, srv)
	gail, tina := newUser(t, srv, "gail"), newUser(t, srv, "tina")
	gail.signUp()

	if out := r.carla.ok("invite", r.id, "--guest", gail.email); !strings.Contains(out, "is now a guest of workroom "+r.id) {
		t.Fatalf("invite printed %q", out)
	}
	if out := r.carla.ok("invite", r.id, "--team", tina.email); !strings.Contains(out, "an invitation was mailed") {
		t.Fatalf("invite of a new address printed %q", out)
	}
	waitFor(t, "the invitation mail", 15*time.Second, func() (bool, string) {
		files, _ := filepath.Glob(filepath.Join(srv.data, "outbox", "*.eml"))
		for _, f := range files {
			if b, _ := os.ReadFile(f); strings.Contains(string(b), tina.email) && strings.Contains(string(b), "signup --name") {
				return true, ""
			}
		}
		return false, "no mail to " + tina.email + " saying how to sign up"
	})
	tina.signUp()
	if rooms := tina.ok("rooms"); !strings.Contains(rooms, "Logo design") {
		t.Fatalf("the verified invitee's rooms:\n%s", rooms)
	}
	if m := r.carla.ok("members", r.id); !strings.Contains(m, "gail") || !strings.Contains(m, "tina") {
		t.Fatalf("members:\n%s", m)
	}

	if got := r.carla.run("the brief\n", "put", r.id, "brief.txt"); got.code != 0 {
		t.Fatalf("put: %s", got.stderr)
	}
	if got := gail.sftpBatch(t, "get "+r.dir+"/brief.txt "+filepath.Join(t.TempDir(), "b.txt")+"\n"); got.code != 0 {
		t.Fatalf("the guest cannot download: %s", got.stderr)
	}
	local := filepath.Join(t.TempDir(), "x.txt")
	if err := os.WriteFile(local, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := gail.sftpBatch(t, "put "+local+" "+r.dir+"/x.txt\n"); got.code == 0 {
		t.Fatal("the guest uploaded over sftp")
	}
	if got := gail.run("x\n", "put", r.id, "x.txt"); got.code != 1 || !strings.Contains(got.stderr, "a guest of this workroom cannot upload files") {
		t.Fatalf("guest put: exit %d, %q", got.code, got.stderr)
	}
	if got := r.fred.run("", "remove", r.id, "gail"); got.code != 1 || !strings.Contains(got.stderr, "cannot add or remove people") {
		t.Fatalf("the freelancer removing: exit %d, %q", got.code, got.stderr)
	}

	r.carla.ok("remove", r.id, "gail")
	if got := gail.run("", "messages", r.id); got.code != 1 || strings.TrimSpace(got.stderr) != "no such workroom: "+r.id {
		t.Fatalf("the removed guest: exit %d, %q", got.code, got.stderr)
	}
	if got := gail.sftpBatch(t, "ls "+r.dir+"\n"); got.code == 0 {
		t.Fatalf("the removed guest still lists the room over sftp:\n%s", got.stdout)
	}
}
