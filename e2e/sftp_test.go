package e2e_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom/clamd/clamdtest"
	"github.com/workroom/workroom/workroomtest"
)

// fileRoom is a room made by the commands, with Carla (client) and Fred
// (freelancer) in it; dir is its SFTP folder.
type fileRoom struct {
	srv         *server
	carla, fred *user
	id, dir     string
}

func newFileRoom(t *testing.T, srv *server) *fileRoom {
	t.Helper()
	r := &fileRoom{srv: srv, carla: newUser(t, srv, "carla"), fred: newUser(t, srv, "fred")}
	r.carla.signUp()
	r.fred.signUp()
	job := firstNumber(t, r.carla.ok("job", "post", "--title", "Logo design"))
	prop := firstNumber(t, r.fred.ok("propose", job, "--text", "I can"))
	r.id = firstNumber(t, r.carla.ok("award", job, prop))
	r.dir = "/" + r.id + "-logo-design"
	return r
}

// clientOpts are the OpenSSH options for u's key alone, without a port.
func (u *user) clientOpts() []string {
	return []string{"-i", u.key, "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "PasswordAuthentication=no"}
}

// tool runs a program with a deadline and returns its output and status.
func tool(t *testing.T, env []string, stdin string, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r
}

// sftpBatch runs OpenSSH's sftp in batch mode.
func (u *user) sftpBatch(t *testing.T, batch string) result {
	t.Helper()
	args := append([]string{"-P", u.srv.port}, u.clientOpts()...)
	return tool(t, nil, batch, "sftp", append(args, "-b", "-", "127.0.0.1")...)
}

// scp runs OpenSSH's scp (SFTP mode, the default of OpenSSH 9).
func (u *user) scp(t *testing.T, from, to string) result {
	t.Helper()
	args := append([]string{"-P", u.srv.port}, u.clientOpts()...)
	return tool(t, nil, "", "scp", append(args, from, to)...)
}

// lftp runs lftp's commands against the server over sftp://.
func (u *user) lftp(t *testing.T, commands string) result {
	t.Helper()
	connect := "ssh -a -x " + strings.Join(u.clientOpts(), " ")
	script := fmt.Sprintf("set sftp:connect-program %q; set net:max-retries 1; set cmd:fail-exit yes; open -u %s, sftp://127.0.0.1:%s; %s",
		connect, u.name, u.srv.port, commands)
	return tool(t, nil, "", "lftp", "-c", script)
}

// rclone runs rclone with a remote "wr:" configured by environment.
func (u *user) rclone(t *testing.T, args ...string) result {
	t.Helper()
	env := []string{"RCLONE_CONFIG_WR_TYPE=sftp", "RCLONE_CONFIG_WR_HOST=127.0.0.1", "RCLONE_CONFIG_WR_PORT=" + u.srv.port,
		"RCLONE_CONFIG_WR_USER=" + u.name, "RCLONE_CONFIG_WR_KEY_FILE=" + u.key, "RCLONE_CONFIG=/dev/null"}
	return tool(t, env, "", "rclone", args...)
}

func mustTool(t *testing.T, what string, r result) string {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("%s: exit %d\nstdout: %s\nstderr: %s", what, r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

func need(t *testing.T, programs ...string) {
	t.Helper()
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s is not installed (scripts/install-test-deps installs it)", p)
		}
	}
}

// randomFile writes n random bytes into dir/name and returns them.
func randomFile(t *testing.T, dir, name string, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	_, _ = rand.Read(b)
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return b
}

func sameFile(t *testing.T, what, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s: %d bytes (%v), want %d byte-exact", what, len(got), err, len(want))
	}
}

func TestE2E_EachClientUploadsTwoVersionsAndDownloadsTheOldOne(t *testing.T) {
	need(t, "sftp", "scp", "lftp", "rclone")
	srv := startServerWith(t, t.TempDir(), "--no-scan")
	r := newFileRoom(t, srv)
	local := t.TempDir()
	host := "127.0.0.1:"
	for _, c := range []struct {
		name   string
		upload func(src, dst string) result
		get    func(src, dst string) result
	}{
		{"sftp", func(src, dst string) result { return r.fred.sftpBatch(t, fmt.Sprintf("put %s %s\n", src, dst)) },
			func(src, dst string) result { return r.fred.sftpBatch(t, fmt.Sprintf("get %s %s\n", src, dst)) }},
		{"scp", func(src, dst string) result { return r.fred.scp(t, src, host+dst) },
			func(src, dst string) result { return r.fred.scp(t, host+src, dst) }},
		{"lftp", func(src, dst string) result { return r.fred.lftp(t, fmt.Sprintf("put %s -o %s", src, dst)) },
			func(src, dst string) result { return r.fred.lftp(t, fmt.Sprintf("get %s -o %s", src, dst)) }},
		{"rclone", func(src, dst string) result { return r.fred.rclone(t, "copyto", src, "wr:"+dst) },
			func(src, dst string) result { return r.fred.rclone(t, "copyto", "wr:"+src, dst) }},
	} {
		name := c.name + ".bin"
		v1 := randomFile(t, local, c.name+"-1", 300_000)
		v2 := randomFile(t, local, c.name+"-2", 200_001)
		mustTool(t, c.name+" put v1", c.upload(filepath.Join(local, c.name+"-1"), r.dir+"/"+name))
		mustTool(t, c.name+" put v2", c.upload(filepath.Join(local, c.name+"-2"), r.dir+"/"+name))
		out := filepath.Join(local, c.name+"-v1-back")
		mustTool(t, c.name+" get v1", c.get(r.dir+"/.versions/"+name+"/v1-"+name, out))
		sameFile(t, c.name+" v1 from .versions", out, v1)
		latest := filepath.Join(local, c.name+"-latest")
		mustTool(t, c.name+" get latest", c.get(r.dir+"/"+name, latest))
		sameFile(t, c.name+" latest", latest, v2)
	}
	var page struct {
		Files []struct {
			Path     string `json:"path"`
			Versions []struct {
				Size int64 `json:"size"`
			} `json:"versions"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(r.carla.ok("files", r.id, "--json")), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Files) != 4 {
		t.Fatalf("files: %+v", page.Files)
	}
	for _, f := range page.Files {
		if len(f.Versions) != 2 || f.Versions[0].Size != 300_000 || f.Versions[1].Size != 200_001 {
			t.Errorf("%s: versions %+v", f.Path, f.Versions)
		}
	}
}

func TestE2E_RcloneSyncTwiceTransfersNothingTheSecondTime(t *testing.T) {
	need(t, "rclone")
	srv := startServerWith(t, t.TempDir(), "--no-scan")
	r := newFileRoom(t, srv)
	local := t.TempDir()
	randomFile(t, local, "a.txt", 1000)
	randomFile(t, local, "designs/logo.png", 50_000)
	randomFile(t, local, "designs/old/draft.pdf", 70_000)
	dst := "wr:" + r.dir + "/sync"
	first := r.fred.rclone(t, "sync", local, dst, "-v", "--stats", "0")
	mustTool(t, "first sync", first)
	if n := strings.Count(first.stderr, "Copied (new)"); n != 3 {
		t.Fatalf("first sync copied %d files:\n%s", n, first.stderr)
	}
	second := r.fred.rclone(t, "sync", local, dst, "-v", "--stats", "0")
	mustTool(t, "second sync", second)
	if strings.Contains(second.stderr, "Copied") || strings.Contains(second.stderr, "Updated modification time") {
		t.Errorf("the second sync transferred or touched something:\n%s", second.stderr)
	}
	check := r.fred.rclone(t, "check", local, dst)
	mustTool(t, "check", check)
	if !strings.Contains(check.stderr, "0 differences found") || strings.Contains(check.stderr, "no hashes") || strings.Contains(check.stderr, "No common hash") {
		t.Errorf("check did not pass with hashes:\n%s", check.stderr)
	}
	if !strings.Contains(check.stderr, "3 matching files") {
		t.Errorf("check: %s", check.stderr)
	}
}

func TestE2E_LftpMirrorTwiceTransfersNothingTheSecondTime(t *testing.T) {
	need(t, "lftp")
	srv := startServerWith(t, t.TempDir(), "--no-scan")
	r := newFileRoom(t, srv)
	local := t.TempDir()
	randomFile(t, local, "a.txt", 1000)
	randomFile(t, local, "designs/logo.png", 50_000)
	randomFile(t, local, "designs/old/draft.pdf", 70_000)
	// Old times, so that a server that dropped them would list other ones.
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, f := range []string{"a.txt", "designs/logo.png", "designs/old/draft.pdf"} {
		if err := os.Chtimes(filepath.Join(local, f), old, old); err != nil {
			t.Fatal(err)
		}
	}
	mirror := fmt.Sprintf("mirror -R -v %s %s/mirror", local, r.dir)
	first := mustTool(t, "first mirror", r.fred.lftp(t, mirror))
	if n := strings.Count(first, "Transferring file"); n != 3 {
		t.Fatalf("first mirror transferred %d files:\n%s", n, first)
	}
	before := versionCount(t, r, old)
	if before != 3 {
		t.Fatalf("after the first mirror: %d versions, want 3", before)
	}
	second := r.fred.lftp(t, mirror)
	mustTool(t, "second mirror", second)
	if strings.Contains(second.stdout, "Transferring") || strings.Contains(second.stdout, "Removing") {
		t.Errorf("the second mirror transferred something:\n%s", second.stdout)
	}
	if after := versionCount(t, r, old); after != before {
		t.Errorf("the second mirror added versions: %d, was %d", after, before)
	}
}

// versionCount is how many versions files --versions --json lists; each
// must carry the modification time modified, as the client set it.
func versionCount(t *testing.T, r *fileRoom, modified time.Time) int {
	t.Helper()
	var page struct {
		Files []struct {
			Path     string `json:"path"`
			Versions []struct {
				Modified time.Time `json:"modified"`
			} `json:"versions"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(r.carla.ok("files", r.id, "--versions", "--json")), &page); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range page.Files {
		for _, v := range f.Versions {
			if !v.Modified.Equal(modified) {
				t.Errorf("%s: modified %v, want the client's %v", f.Path, v.Modified, modified)
			}
		}
		n += len(f.Versions)
	}
	return n
}

func TestE2E_VirusRefusedOnEveryWayInAndScannerDownRefuses(t *testing.T) {
	need(t, "sftp", "scp", "lftp", "rclone")
	clam := clamdtest.Start(t)
	srv := startServerWith(t, t.TempDir(), "--clamd", clam.Addr)
	r := newFileRoom(t, srv)
	local := t.TempDir()
	eicar := filepath.Join(local, "eicar.txt")
	if err := os.WriteFile(eicar, []byte(clamdtest.EICAR), 0o644); err != nil {
		t.Fatal(err)
	}
	zipped := filepath.Join(local, "eicar.zip")
	writeZip(t, zipped, "eicar.com", clamdtest.EICAR)
	// Each way in takes a local file and the name to store it as.
	ways := map[string]func(src, name string) result{
		"sftp": func(src, name string) result {
			return r.fred.sftpBatch(t, fmt.Sprintf("put %s %s/%s\n", src, r.dir, name))
		},
		"scp":    func(src, name string) result { return r.fred.scp(t, src, "127.0.0.1:"+r.dir+"/"+name) },
		"lftp":   func(src, name string) result { return r.fred.lftp(t, fmt.Sprintf("put %s -o %s/%s", src, r.dir, name)) },
		"rclone": func(src, name string) result { return r.fred.rclone(t, "copyto", src, "wr:"+r.dir+"/"+name) },
		"put": func(src, name string) result {
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			return r.fred.run(string(b), "put", r.id, name)
		},
	}
	// lftp and put show the server's words; sftp, scp and rclone print
	// their own ("Failure").
	showsText := map[string]bool{"lftp": true, "put": true}
	for name, up := range ways {
		for _, src := range []string{eicar, zipped} {
			res := up(src, name+"-"+filepath.Base(src))
			if res.code == 0 {
				t.Errorf("%s stored %s: %s%s", name, filepath.Base(src), res.stdout, res.stderr)
			}
			if showsText[name] && !strings.Contains(res.stderr, "a virus was found") {
				t.Errorf("%s does not show the refusal of %s: %s", name, filepath.Base(src), res.stderr)
			}
		}
	}
	randomFile(t, local, "clean.txt", 1000)
	mustTool(t, "clean upload", r.fred.sftpBatch(t, fmt.Sprintf("put %s %s/clean.txt\n", filepath.Join(local, "clean.txt"), r.dir)))
	clam.Stop()
	for name, up := range ways {
		res := up(eicar, name+"-down.txt")
		if res.code == 0 {
			t.Errorf("%s stored with the scanner down", name)
		}
		if showsText[name] && !strings.Contains(res.stderr, "virus scanner cannot be reached") {
			t.Errorf("%s does not show the refusal: %s", name, res.stderr)
		}
	}
	if files := r.carla.ok("files", r.id); strings.Contains(files, "eicar") || strings.Contains(files, "-down") || !strings.Contains(files, "clean.txt") {
		t.Errorf("files after refusals:\n%s", files)
	}
}

// writeZip writes a zip archive at path holding one file, name, with body.
func writeZip(t *testing.T, path, name, body string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err == nil {
		_, err = w.Write([]byte(body))
	}
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = os.WriteFile(path, buf.Bytes(), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestE2E_KilledDuringAnSFTPUploadLeavesNothingPartial(t *testing.T) {
	need(t, "sftp")
	data := t.TempDir()
	srv := startServerWith(t, data, "--no-scan")
	r := newFileRoom(t, srv)
	local := t.TempDir()
	randomFile(t, local, "small.txt", 5000)
	mustTool(t, "small upload", r.fred.sftpBatch(t, fmt.Sprintf("put %s %s/small.txt\n", filepath.Join(local, "small.txt"), r.dir)))
	randomFile(t, local, "big.bin", 40<<20)
	// Slowed to ~2 MB/s so the kill lands mid-upload.
	args := append([]string{"-P", srv.port, "-l", "16000"}, r.fred.clientOpts()...)
	cmd := exec.Command("sftp", append(args, "-b", "-", "127.0.0.1")...)
	cmd.Stdin = strings.NewReader(fmt.Sprintf("put %s %s/big.bin\n", filepath.Join(local, "big.bin"), r.dir))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	workroomtest.WaitUntil(t, "part of the upload is on the server", func() bool {
		entries, _ := os.ReadDir(filepath.Join(data, "tmp"))
		for _, e := range entries {
			if i, err := e.Info(); err == nil && i.Size() > 1<<20 {
				return true
			}
		}
		return false
	})
	_ = srv.cmd.Process.Kill()
	<-srv.done
	srv2 := startServerWith(t, data, "--no-scan")
	r.carla.srv = srv2
	var page struct {
		Files []struct {
			Path     string `json:"path"`
			Versions []struct {
				Size   int64  `json:"size"`
				SHA256 string `json:"sha256"`
			} `json:"versions"`
		} `json:"files"`
		Usage struct {
			Used int64 `json:"used"`
		} `json:"usage"`
	}
	if err := json.Unmarshal([]byte(r.carla.ok("files", r.id, "--json")), &page); err != nil {
		t.Fatal(err)
	}
	sum, seen := int64(0), map[string]bool{}
	for _, f := range page.Files {
		if f.Path == "big.bin" {
			t.Errorf("a killed upload is listed: %+v", f)
		}
		for _, v := range f.Versions {
			if !seen[v.SHA256] {
				seen[v.SHA256] = true
				sum += v.Size
			}
		}
	}
	if len(page.Files) != 1 || page.Usage.Used != sum {
		t.Errorf("files %+v, used %d, sum of listed versions %d", page.Files, page.Usage.Used, sum)
	}
}
