package command

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/workroom/workroom/cmdline"

	"github.com/workroom/workroom"
)

// fileWorld is a world with a room of Carla's (client) and Fred's.
type fileWorld struct {
	*world
	client, freelancer workroom.Key
	room               string
}

func newFileWorld(t *testing.T) *fileWorld {
	w := newWorld(t)
	c, f := w.signUp("Carla"), w.signUp("Fred")
	return &fileWorld{world: w, client: c, freelancer: f, room: itoa(w.awardedRoom(c, f, "Logo design"))}
}

func (w *fileWorld) put(key workroom.Key, path, data string, flags ...string) result {
	w.t.Helper()
	return w.runLine(key, data, strings.Join(append(append([]string{"put", w.room}, flags...), path), " "))
}

func TestPut_StoresStdinAsVersionsAndGetReadsAnyOfThem(t *testing.T) {
	w := newFileWorld(t)
	if r := w.put(w.freelancer, "designs/logo v1.png", "first"); r.status != 0 || !strings.Contains(r.stdout, "designs/logo v1.png: stored version 1 (5 B, not_scanned)") {
		t.Fatalf("put = %+v", r)
	}
	if r := w.put(w.client, "designs/logo v1.png", "second"); r.status != 0 || !strings.Contains(r.stdout, "stored version 2") {
		t.Fatalf("second put = %+v", r)
	}
	if r := w.put(w.client, "designs/logo v1.png", "second"); !strings.Contains(r.stdout, "unchanged, the same bytes as version 2") {
		t.Fatalf("identical put = %+v", r)
	}
	if got := w.runLine(w.client, "", "get "+w.room+" designs/logo v1.png"); got.stdout != "second" {
		t.Fatalf("get = %+v", got)
	}
	if got := w.runLine(w.client, "", "get "+w.room+" --version 1 designs/logo v1.png"); got.stdout != "first" {
		t.Fatalf("get --version 1 = %+v", got)
	}
	out := w.ok(w.client, "files", w.room, "--versions")
	for _, want := range []string{"designs/logo v1.png", "v2", "v1", "Carla", "Fred", "Space used: 11 B of 500 MB", "Folders: designs"} {
		if !strings.Contains(out, want) {
			t.Errorf("files --versions lacks %q:\n%s", want, out)
		}
	}
}

func TestPut_RefusesByRuleWithTheRulesWords(t *testing.T) {
	w := newFileWorld(t)
	refused(t, w.put(w.freelancer, "report.exe", "MZ"), "report.exe: .exe files must be zipped before upload")
	refused(t, w.put(w.freelancer, "../x.txt", "x"), "a path cannot use . or .. to move between folders")
	w.put(w.freelancer, "a.txt", "x")
	refused(t, w.put(w.freelancer, "a.txt", "y", "--on-conflict", "cancel"), "a.txt: a file has that name already")
	if r := w.put(w.freelancer, "a.txt", "y", "--on-conflict", "rename"); !strings.Contains(r.stdout, "a (2).txt: stored version 1") {
		t.Fatalf("rename = %+v", r)
	}
}

func TestPut_CutOffStdinStoresNothing(t *testing.T) {
	w := newFileWorld(t)
	id, err := w.Svc.Authenticate(t.Context(), w.freelancer)
	if err != nil {
		t.Fatal(err)
	}
	cut := io.MultiReader(strings.NewReader("half a file"), iotest.ErrReader(io.ErrUnexpectedEOF))
	var out, errb strings.Builder
	status := w.runner.Run(t.Context(), id, cmdline.Parse("put "+w.room+" half.txt"), cut, &out, &errb)
	refused(t, result{status, out.String(), errb.String()}, "the input on stdin did not end cleanly")
	if out := w.ok(w.client, "files", w.room); !strings.Contains(out, "No files") || !strings.Contains(out, "Space used: 0 B") {
		t.Fatalf("a cut-off put left something:\n%s", out)
	}
}

func TestRm_OwnFilesOnlyForTheFreelancer(t *testing.T) {
	w := newFileWorld(t)
	w.put(w.client, "brief.pdf", "client's")
	refused(t, w.runLine(w.freelancer, "", "rm "+w.room+" brief.pdf"), "only the client can delete or replace it")
	if r := w.runLine(w.client, "", "rm "+w.room+" brief.pdf"); r.status != 0 || r.stdout != "Deleted brief.pdf (1 versions).\n" {
		t.Fatalf("rm = %+v", r)
	}
}

func TestAdminQuota_SetsTheRoomsQuota(t *testing.T) {
	w := newFileWorld(t)
	refused(t, w.run(w.client, "", "admin", "quota", w.room, "1G"), "only an administrator may change a workroom's quota")
}

func TestMd5sumAndSha1sum_AnswerAsRcloneAsks(t *testing.T) {
	w := newFileWorld(t)
	w.put(w.freelancer, "my brief.pdf", "hello")
	// rclone first checks the command by summing empty stdin.
	if got := w.runLine(w.freelancer, "", "md5sum"); got.stdout != "d41d8cd98f00b204e9800998ecf8427e  -\n" {
		t.Fatalf("md5sum of nothing = %+v", got)
	}
	m, s := md5.Sum([]byte("hello")), sha1.Sum([]byte("hello"))
	full := "/" + w.room + "-logo-design/my\\ brief.pdf" // rclone escapes for a shell
	if got := w.runLine(w.freelancer, "", "md5sum "+full); got.stdout != hex.EncodeToString(m[:])+"  /"+w.room+"-logo-design/my brief.pdf\n" {
		t.Fatalf("md5sum = %+v", got)
	}
	if got := w.runLine(w.freelancer, "", "sha1sum "+full); !strings.HasPrefix(got.stdout, hex.EncodeToString(s[:])+"  ") {
		t.Fatalf("sha1sum = %+v", got)
	}
	outsider := w.signUp("Eve")
	refused(t, w.runLine(outsider, "", "md5sum "+full), "no such workroom")
}

func TestJobAttach_FilesAppearInTheRoomAtAward(t *testing.T) {
	w := newWorld(t)
	client, freelancer := w.signUp("Carla"), w.signUp("Fred")
	job := itoa(w.okID(client, "job", "post", "--title", "Logo"))
	if r := w.run(client, "the brief", "job", "attach", job, "brief.pdf"); r.status != 0 {
		t.Fatalf("job attach = %+v", r)
	}
	p := itoa(w.okID(freelancer, "propose", job, "--text", "me"))
	if r := w.run(freelancer, "my work", "proposal", "attach", p, "portfolio.pdf"); r.status != 0 {
		t.Fatalf("proposal attach = %+v", r)
	}
	refused(t, w.run(freelancer, "x", "job", "attach", job, "x.pdf"), "only the client who posted job")
	room := itoa(w.okID(client, "award", job, p))
	out := w.ok(freelancer, "files", room)
	if !strings.Contains(out, "job/brief.pdf") || !strings.Contains(out, "proposal/portfolio.pdf") {
		t.Fatalf("files after award:\n%s", out)
	}
	if got := w.run(freelancer, "", "get", room, "job/brief.pdf"); got.stdout != "the brief" {
		t.Fatalf("get = %+v", got)
	}
}

func TestPost_AttachesRoomFilesAndTheMessageListsThem(t *testing.T) {
	w := newFileWorld(t)
	w.put(w.freelancer, "logo.png", "png")
	if r := w.runLine(w.freelancer, "", "post "+w.room+" --attach logo.png here it is"); r.status != 0 {
		t.Fatalf("post = %+v", r)
	}
	if out := w.ok(w.client, "messages", w.room); !strings.Contains(out, "attached: logo.png (v1, 3 B)") {
		t.Fatalf("messages:\n%s", out)
	}
	refused(t, w.runLine(w.freelancer, "", "post "+w.room+" --attach nope.png hi"), "no such file to attach: nope.png")
	line := "post " + w.room
	for i := range workroom.MaxAttachments + 1 {
		line += " --attach f" + itoa(uint64(i)) + ".png"
	}
	refused(t, w.runLine(w.freelancer, "", line+" hi"), "a message carries at most 10 files")
}

// putOnTerminal runs put as a session with a terminal does: keys is what
// the person types, the answer first.
func (w *fileWorld) putOnTerminal(key workroom.Key, path, keys string, flags ...string) result {
	w.t.Helper()
	id, err := w.Svc.Authenticate(w.t.Context(), key)
	if err != nil {
		w.t.Fatal(err)
	}
	id.Terminal = true
	var out, errb strings.Builder
	line := strings.Join(append(append([]string{"put", w.room}, flags...), path), " ")
	status := w.runner.Run(w.t.Context(), id, cmdline.Parse(line), strings.NewReader(keys), &out, &errb)
	return result{status, out.String(), errb.String()}
}

func TestPut_OnATerminalAsksWhenTheNameExists(t *testing.T) {
	w := newFileWorld(t)
	w.put(w.freelancer, "notes.txt", "v1\n")

	r := w.putOnTerminal(w.client, "notes.txt", "xr"+"draft\rtwo\x7fo lines\r\x04")
	if r.status != 0 || !strings.Contains(r.stdout, "notes.txt exists (v1, 3 B, by Fred). [v]ersion / [r]ename / [c]ancel? rename\r\n") ||
		!strings.Contains(r.stdout, "notes (2).txt: stored version 1") {
		t.Fatalf("rename on a terminal = %+v", r)
	}
	if got := w.runLine(w.client, "", "get "+w.room+" notes (2).txt"); got.stdout != "draft\ntwo lines\n" {
		t.Fatalf("the typed text stored as %q", got.stdout)
	}

	if r := w.putOnTerminal(w.client, "notes.txt", "vv2\r\x04"); r.status != 0 || !strings.Contains(r.stdout, "notes.txt: stored version 2") {
		t.Fatalf("version on a terminal = %+v", r)
	}
	for _, keys := range []string{"cnever\r\x04", "vhalf\x03"} {
		if r := w.putOnTerminal(w.client, "notes.txt", keys); r.status != 1 || !strings.Contains(r.stderr, "notes.txt: cancelled; nothing was stored") {
			t.Fatalf("cancelled with %q = %+v", keys, r)
		}
	}
	if r := w.putOnTerminal(w.client, "notes.txt", "v3\r\x04", "--on-conflict", "version"); strings.Contains(r.stdout, "[v]ersion") || !strings.Contains(r.stdout, "stored version 3") {
		t.Fatalf("--on-conflict on a terminal still asked, or did not store: %+v", r)
	}
	if r := w.putOnTerminal(w.client, "new.txt", "fresh\r\x04"); strings.Contains(r.stdout, "[v]ersion") || !strings.Contains(r.stdout, "new.txt: stored version 1") {
		t.Fatalf("a new name on a terminal asked, or did not store: %+v", r)
	}
	out := w.ok(w.client, "files", w.room, "--versions")
	if strings.Contains(out, "v4") || strings.Contains(out, "notes (3).txt") {
		t.Fatalf("a cancelled put left a version:\n%s", out)
	}
}

func TestPut_WithoutATerminalNeverAsks(t *testing.T) {
	w := newFileWorld(t)
	w.put(w.freelancer, "notes.txt", "v1\n")
	if r := w.put(w.client, "notes.txt", "r\x04"); r.status != 0 || strings.Contains(r.stdout, "[v]ersion") || !strings.Contains(r.stdout, "notes.txt: stored version 2") {
		t.Fatalf("piped put = %+v", r)
	}
	if got := w.runLine(w.client, "", "get "+w.room+" notes.txt"); got.stdout != "r\x04" {
		t.Fatalf("piped bytes stored as %q", got.stdout)
	}
}
