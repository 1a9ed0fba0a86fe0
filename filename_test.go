package workroom_test

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
)

func TestCheckFileName_RefusesByRule(t *testing.T) {
	for _, c := range []struct {
		path string
		code string
		rule workroom.Rule
		want string // the exact words, when people see them
	}{
		{"report.exe", workroom.EINVALID, workroom.RuleExecutable, "report.exe: .exe files must be zipped before upload"},
		{"tools/SETUP.BAT", workroom.EINVALID, workroom.RuleExecutable, "SETUP.BAT: .bat files must be zipped before upload"},
		{"Run.Exe", workroom.EINVALID, workroom.RuleExecutable, ""},
		{"README", workroom.EINVALID, workroom.RuleNoExtension, "README: a file name needs an extension (like .pdf or .zip) so people know what it holds"},
		{"notes.", workroom.EINVALID, workroom.RuleNoExtension, ""},
		{"../other/secret.txt", workroom.EINVALID, workroom.RuleBadPath, ""},
		{"a/../../b.txt", workroom.EINVALID, workroom.RuleBadPath, ""},
		{"a\x00b.txt", workroom.EINVALID, workroom.RuleBadPath, ""},
		{"line\nbreak.txt", workroom.EINVALID, workroom.RuleBadPath, ""},
		{`dir\x.txt`, workroom.EINVALID, workroom.RuleBadPath, ""},
		{".hidden.txt", workroom.EINVALID, workroom.RuleBadPath, ""},
		{"a//b.txt", workroom.EINVALID, workroom.RuleBadPath, ""},
		{strings.Repeat("a", 300) + ".txt", workroom.EINVALID, workroom.RuleBadPath, ""},
		{strings.Repeat("d/", 20) + "x.txt", workroom.EINVALID, workroom.RuleBadPath, ""},
		{".versions/x.txt", workroom.EFORBIDDEN, workroom.RuleReadOnly, ".versions is read-only: the server keeps it"},
		{"/.transcript.txt", workroom.EFORBIDDEN, workroom.RuleReadOnly, ""},
		{"\xff.txt", workroom.EINVALID, workroom.RuleBadPath, ""},
	} {
		_, err := workroom.CheckFileName(c.path)
		if workroom.ErrorCode(err) != c.code || workroom.ErrorRule(err) != c.rule {
			t.Errorf("%q: %v (code %q rule %q), want %s %s", c.path, err, workroom.ErrorCode(err), workroom.ErrorRule(err), c.code, c.rule)
			continue
		}
		if c.want != "" && err.Error() != c.want {
			t.Errorf("%q says %q, want %q", c.path, err.Error(), c.want)
		}
	}
}

func TestCheckFileName_AcceptsAndNormalises(t *testing.T) {
	for in, want := range map[string]string{
		"/designs/logo.png/":   "designs/logo.png",
		"report.exe.zip":       "report.exe.zip",
		"Cafe\u0301 menu.pdf":  "Caf\u00e9 menu.pdf", // NFD in, NFC stored
		"versions/.x/../a.txt": "",                   // refused, checked above
	} {
		got, err := workroom.CheckFileName(in)
		if want == "" {
			if err == nil {
				t.Errorf("%q accepted as %q", in, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"500M": 500 << 20, "1G": 1 << 30, "1.5GB": 3 << 29, "2048": 2048, "10MiB": 10 << 20, "1k": 1024} {
		if got, err := workroom.ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "-1G", "1X"} {
		if _, err := workroom.ParseSize(bad); workroom.ErrorCode(err) != workroom.EINVALID {
			t.Errorf("ParseSize(%q) = %v, want EINVALID", bad, err)
		}
	}
	if got := workroom.FormatSize(workroom.MaxFileSize); got != "100 MB" {
		t.Errorf("FormatSize(MaxFileSize) = %q", got)
	}
}
