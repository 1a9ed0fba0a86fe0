package e2e_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestE2E_TextIsKeptAsTypedWithOpenSSH runs the README tour's lines with
// the OpenSSH client, each word as the user's shell hands it to ssh (the
// shell has removed the user's own quotes), and reads back exactly what
// was typed.
func TestE2E_TextIsKeptAsTypedWithOpenSSH(t *testing.T) {
	srv := startServer(t)
	client, free := newUser(t, srv, "carla"), newUser(t, srv, "fred")
	client.signUp()
	// ssh host freelancer signup --name Fred Freelancer --email …
	free.ok("signup", "--name", "Fred", "Freelancer", "--email", free.email)
	free.ok("verify", free.code())

	job := firstNumber(t, client.ok("job", "post", "--title", "Logo", "design", "--description", `A logo, "modern"`))
	// ssh host propose 1 --text "I can do this in a week."
	proposal := firstNumber(t, free.ok("propose", job, "--text", "I can do this in a week."))
	room := firstNumber(t, client.ok("award", job, proposal))
	// ssh host post 1 "It's done, isn't it?"
	free.ok("post", room, "It's done, isn't it?")
	if r := free.run("", "post", room, "see --json docs"); r.code != 2 || !strings.Contains(r.stderr, "stdin") {
		t.Fatalf("a flag inside the text: exit %d, %q; want exit 2 naming stdin", r.code, r.stderr)
	}

	var page struct {
		Messages []struct {
			Author string `json:"author"`
			Body   string `json:"body"`
		} `json:"messages"`
	}
	if err := json.Unmarshal([]byte(client.ok("messages", room, "--json")), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) != 2 || page.Messages[0].Body != "It's done, isn't it?" || page.Messages[0].Author != "Fred Freelancer" {
		t.Errorf("messages = %+v, want Fred's above the hired notice", page.Messages)
	}
	var props struct {
		Proposals []struct {
			Text string `json:"text"`
		} `json:"proposals"`
	}
	if err := json.Unmarshal([]byte(client.ok("proposals", job, "--json")), &props); err != nil {
		t.Fatal(err)
	}
	if len(props.Proposals) != 1 || props.Proposals[0].Text != "I can do this in a week." {
		t.Errorf("proposals = %+v", props.Proposals)
	}
	var jobs struct {
		Jobs []struct {
			Title       string `json:"title"`
			Description string `json:"description"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal([]byte(client.ok("jobs", "--json")), &jobs); err != nil {
		t.Fatal(err)
	}
	if len(jobs.Jobs) != 1 || jobs.Jobs[0].Title != "Logo design" || jobs.Jobs[0].Description != `A logo, "modern"` {
		t.Errorf("jobs = %+v", jobs.Jobs)
	}
}
