package mailtext

import "testing"

func TestUnflow(t *testing.T) {
	tests := []struct {
		name, in string
		delSp    bool
		want     string
	}{
		{"soft breaks joined", "a long line that \nwraps here\nnew line", false, "a long line that wraps here\nnew line"},
		{"delsp drops the space", "Japa\nnese \ntext", true, "Japa\nnesetext"},
		{"quotes joined within depth", "> quoted and \n> wrapped\n>> deeper \n>> too\nmine", false, "> quoted and wrapped\n>> deeper too\nmine"},
		{"depth change ends a paragraph", "> soft \nnot quoted", false, "> soft \nnot quoted"},
		{"space-stuffing undone", " From here\n >not a quote", false, "From here\n>not a quote"},
		{"signature mark never joined", "text\n-- \nErik", false, "text\n-- \nErik"},
	}
	for _, tt := range tests {
		if got := unflow(tt.in, tt.delSp); got != tt.want {
			t.Errorf("%s: unflow(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestParse_UnflowsFormatFlowed(t *testing.T) {
	raw := "From: a@example.com\nContent-Type: text/plain; charset=UTF-8; format=flowed\n\nThe kerning needs \nmore work.\n\n-- \nErik\n"
	m, _, err := parseBytes(t, []byte(raw), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := StripReply(m.Text); got != "The kerning needs more work." {
		t.Fatalf("StripReply(Text) = %q", got)
	}
}
