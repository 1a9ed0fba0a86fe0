package command

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/workroom/workroom/cmdline"

	"github.com/workroom/workroom"
)

// TestFreeText_KeptExactlyOrRefusedWithStdinHint is the quoting table:
// each line as the server receives it (the user's shell has already
// removed the user's own quotes), and the text stored, or the refusal.
func TestFreeText_KeptExactlyOrRefusedWithStdinHint(t *testing.T) {
	w := newWorld(t)
	client, freelancer := w.signUp("Carla"), w.signUp("Fred")
	room := itoa(w.awardedRoom(client, freelancer, "Logo"))
	newJob := func() string { return itoa(w.okID(client, "job", "post", "--title", "Job")) }

	type stored struct {
		Message  workroom.Message  `json:"message"`
		Proposal workroom.Proposal `json:"proposal"`
		Job      workroom.Job      `json:"job"`
		User     workroom.User     `json:"user"`
	}
	for _, tc := range []struct {
		name   string
		line   string // {R} is the room, {J} a new job
		stdin  string
		text   func(stored) string
		want   string // the stored text; or, with refuse, part of the refusal
		refuse bool   // the line is refused with status 2
		who    string // "client" (the default) or "freelancer", "new" (a key with no account)
	}{
		{name: "apostrophes", line: "post {R} It's done, isn't it?", want: "It's done, isn't it?"},
		{name: "unmatched quote", line: "post {R} abc 'def", want: "abc 'def"},
		{name: "double quotes stay", line: `post {R} she said "ok"`, want: `she said "ok"`},
		{name: "double spaces", line: "post {R} two  spaces   here", want: "two  spaces   here"},
		{name: "tabs", line: "post {R} a\tb", want: "a\tb"},
		{name: "unicode", line: "post {R} héllo wörld 🦊 日本語", want: "héllo wörld 🦊 日本語"},
		{name: "backslashes", line: `post {R} C:\temp\new \n`, want: `C:\temp\new \n`},
		{name: "-- inside text", line: "post {R} see -- the docs", want: "see -- the docs"},
		{name: "text starting with a dash", line: "post {R} -5 degrees outside", want: "-5 degrees outside"},
		{name: "unknown flag-like words are text", line: "post {R} use --force wisely", want: "use --force wisely"},
		{name: "flags before the text are flags", line: "post {R} --json hello", want: "hello"},
		{name: "a flag inside the text is refused", line: "post {R} see --json docs", refuse: true, want: "--json inside the text could be the flag or part of the text; send the text on stdin instead: echo 'TEXT' | ssh HOST post ROOM"},
		{name: "a flag after the text is refused", line: "post {R} hello --json", refuse: true, want: "send the text on stdin instead"},
		{name: "-h inside the text is refused", line: "post {R} call me -h now", refuse: true, want: "send the text on stdin instead"},
		{name: "text that is only a flag name, on stdin", line: "post {R}", stdin: "--json\n", want: "--json"},
		{name: "post - reads stdin", line: "post {R} -", stdin: "from stdin", want: "from stdin"},
		{name: "--text runs to the end", line: "propose {J} --text I can do it", who: "freelancer", want: "I can do it"},
		{name: "--text=", line: "propose {J} --text=I can  do it", who: "freelancer", want: "I can  do it"},
		{name: "--text with -- and quotes", line: "propose {J} --text a -- b 'c' \"d\"", who: "freelancer", want: "a -- b 'c' \"d\""},
		{name: "--text ends at a flag", line: "propose {J} --text I can --json", who: "freelancer", want: "I can"},
		{name: "--text that is only a flag name", line: "propose {J} --text --json", who: "freelancer", refuse: true, want: "--text needs text after it; if the text starts with a flag name, send that text on stdin instead, with --text -: echo 'TEXT' | ssh HOST propose JOB [--text -]"},
		{name: "--text given twice", line: "propose {J} --text a --text b", who: "freelancer", refuse: true, want: "--text is given twice"},
		{name: "words after the flag that ended a text", line: "propose {J} --text see --json docs", who: "freelancer", refuse: true, want: "--json ends the text of --text, but words follow it; if --json is part of the text, send that text on stdin instead"},
		{name: "propose reads stdin without --text", line: "propose {J}", stdin: "From stdin --json.\n", who: "freelancer", want: "From stdin --json."},
		{name: "title and description", line: `job post --title Logo design --description A logo, "modern"  and bold --json`, want: `Logo design|A logo, "modern"  and bold`,
			text: func(s stored) string { return s.Job.Title + "|" + s.Job.Description }},
		{name: "description from stdin", line: "job post --title Logo --description -", stdin: "Line one\nline two\n", want: "Logo|Line one\nline two",
			text: func(s stored) string { return s.Job.Title + "|" + s.Job.Description }},
		{name: "only one text from stdin", line: "job post --title - --description -", refuse: true, want: "only one text can come from stdin"},
		{name: "signup name", line: "signup --name Fred  Freelancer --email fred2@example.com", who: "new", want: "Fred  Freelancer",
			text: func(s stored) string { return s.User.Name }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := client
			switch tc.who {
			case "freelancer":
				key = freelancer
			case "new":
				key, _ = newKey(t)
			}
			line := strings.ReplaceAll(tc.line, "{R}", room)
			if strings.Contains(line, "{J}") { // a new job each time: one proposal per freelancer per job
				line = strings.ReplaceAll(line, "{J}", newJob())
			}
			r := w.runLine(key, tc.stdin, "--json "+line)
			if tc.refuse {
				if r.status != 2 || r.stdout != "" || !strings.Contains(oneLine(t, r.stderr), tc.want) {
					t.Fatalf("status %d, stdout %q, stderr %q; want status 2 and %q", r.status, r.stdout, r.stderr, tc.want)
				}
				return
			}
			if r.status != 0 {
				t.Fatalf("status %d, stderr %q", r.status, r.stderr)
			}
			s := decode[stored](t, r.stdout)
			text := tc.text
			if text == nil {
				text = func(s stored) string { return s.Message.Body + s.Proposal.Text }
			}
			if got := text(s); got != tc.want {
				t.Errorf("stored %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFreeText_JobPostExactTitleAndDescription(t *testing.T) {
	w := newWorld(t)
	client := w.signUp("Carla")
	r := w.runLine(client, "", `job post --title Logo design --description A logo, "modern" --json`)
	got := decode[struct{ Job workroom.Job }](t, r.stdout)
	if got.Job.Title != "Logo design" || got.Job.Description != `A logo, "modern"` {
		t.Errorf("job = %q / %q", got.Job.Title, got.Job.Description)
	}
}

func TestStdin_CutOffInputStoresNothing(t *testing.T) {
	w := newWorld(t)
	client, freelancer := w.signUp("Carla"), w.signUp("Fred")
	room := itoa(w.awardedRoom(client, freelancer, "Logo"))
	job := itoa(w.okID(client, "job", "post", "--title", "Another"))
	cut := func() io.Reader {
		return io.MultiReader(strings.NewReader("half a mess"), iotest.ErrReader(io.ErrUnexpectedEOF))
	}
	for _, line := range []string{"post " + room, "propose " + job, "job post --title T --description -"} {
		t.Run(line, func(t *testing.T) {
			key := client
			if strings.HasPrefix(line, "propose") {
				key = freelancer
			}
			id, err := w.Svc.Authenticate(t.Context(), key)
			if err != nil {
				t.Fatal(err)
			}
			var out, errb strings.Builder
			status := w.runner.Run(t.Context(), id, cmdline.Parse(line), cut(), &out, &errb)
			refused(t, result{status, out.String(), errb.String()}, "the input on stdin did not end cleanly")
		})
	}
	if out := w.ok(client, "messages", room); strings.Contains(out, "half") {
		t.Errorf("a cut-off post was stored:\n%s", out)
	}
	if out := w.ok(client, "jobs"); strings.Contains(out, "T\n") {
		t.Errorf("a cut-off job post was stored:\n%s", out)
	}
}

func TestNumbers_DecimalOnly(t *testing.T) {
	w := newWorld(t)
	client, freelancer := w.signUp("Carla"), w.signUp("Fred")
	room := w.awardedRoom(client, freelancer, "Logo")
	for range 10 {
		w.ok(client, "post", itoa(room), "hello")
	}
	// 010 is ten, not octal eight: the page holds the messages older than #10.
	page := decode[workroom.Page](t, w.ok(client, "messages", itoa(room), "--before", "010", "--limit", "03", "--json"))
	if len(page.Messages) != 3 || page.Messages[0].ID != 9 {
		t.Errorf("--before 010 --limit 03 = %+v", page.Messages)
	}
	if out := w.ok(client, "messages", "0"+itoa(room)); !strings.Contains(out, "hello") {
		t.Errorf("messages 0%d = %q", room, out)
	}
	for _, args := range [][]string{
		{"messages", "0x1"}, {"messages", "+1"}, {"messages", "-1"}, {"messages", "1e3"},
		{"messages", "1", "--before", "0x2"}, {"messages", "1", "--limit", "+3"}, {"messages", "1", "--limit", "1e3"},
		{"award", "1", "0x2"}, {"proposals", "0x1"}, {"open", "0x1"}, {"post", "0x1", "hi"},
		{"messages", "99999999999999999999"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := w.run(client, "", args...)
			bad := args[len(args)-1]
			if args[0] == "post" {
				bad = args[1]
			}
			line := oneLine(t, r.stderr)
			if r.status != 2 || !strings.Contains(line, bad) {
				t.Errorf("status %d, stderr %q; want a usage error naming %q", r.status, line, bad)
			}
		})
	}
}

func TestParseID_OneParserForEveryNumber(t *testing.T) {
	for in, want := range map[string]uint64{"0": 0, "7": 7, "010": 10, "18446744073709551615": 1<<64 - 1} {
		if got, err := ParseID("ROOM", in); err != nil || got != want {
			t.Errorf("ParseID(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0x2", "+3", "-1", "1e3", " 1", "1_000", "٣", "18446744073709551616"} {
		_, err := ParseID("ROOM", in)
		var u *usageError
		if !errors.As(err, &u) || !strings.Contains(u.msg, "ROOM") {
			t.Errorf("ParseID(%q) = %v; want a usage error naming ROOM", in, err)
		}
	}
}
