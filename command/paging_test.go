package command

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// boundedLists are the list commands that may stay unpaged, each with the
// limit that bounds it.
var boundedLists = map[string]string{
	"keys":    "an account holds at most 16 keys",
	"whoami":  "its one list is the account's keys, at most 16",
	"todo":    "a workroom's to-do list holds at most workroom.MaxTodos (500) items",
	"members": "a workroom's members and pending invitations: at most workroom.MaxRoomPeople (50)",
}

// TestEveryListCommand_IsPaged runs every command of the tree, with its
// arguments filled in, against a world where every list has something,
// and fails for any whose --json output holds a list but which has no
// --limit and --before.
func TestEveryListCommand_IsPaged(t *testing.T) {
	var lists []string
	var walkTree func(c *cobra.Command)
	walkTree = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walkTree(sub)
		}
		if !c.Runnable() || !c.HasParent() || c.Name() == "help" {
			return
		}
		path := strings.TrimPrefix(c.CommandPath(), "workroom ")
		if !listsSomething(t, path, c.Use) {
			return
		}
		lists = append(lists, path)
		if _, ok := boundedLists[path]; ok {
			return
		}
		if c.Flags().Lookup("limit") == nil || c.Flags().Lookup("before") == nil {
			t.Errorf("%s prints a list but has no --limit and --before: every list must be paged", path)
		}
	}
	walkTree((&session{Runner: newWorld(t).runner}).root())
	for _, want := range []string{"jobs", "proposals", "rooms", "messages"} {
		if !slices.Contains(lists, want) {
			t.Errorf("%s was not seen to list anything (seen: %v); the test no longer finds lists", want, lists)
		}
	}
}

// listsSomething runs one command as a client with a room, an open job
// with a proposal, and a message, and reports whether its JSON holds an
// array.
func listsSomething(t *testing.T, path, use string) bool {
	w := newWorld(t)
	client, fred := w.signUp("Carla"), w.signUp("Fred")
	room := w.awardedRoom(client, fred, "Logo")
	w.ok(client, "post", itoa(room), "hello")
	job := w.okID(client, "job", "post", "--title", "Site")
	proposal := w.okID(fred, "propose", itoa(job), "--text", "me")
	values := map[string]string{"ROOM": itoa(room), "JOB": itoa(job), "PROPOSAL": itoa(proposal)}
	args := strings.Fields(path)
	for _, word := range strings.Fields(use)[1:] {
		if v, ok := values[word]; ok {
			args = append(args, v)
		}
	}
	r := w.run(client, "", append(args, "--json")...)
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(r.stdout), &obj) != nil {
		return false
	}
	for _, v := range obj {
		if strings.HasPrefix(strings.TrimSpace(string(v)), "[") {
			return true
		}
	}
	return false
}

// TestLists_ComeInPagesWithTheNextCommand walks jobs --open, jobs,
// proposals and rooms three pages and one item deep, by --json's before
// and by the command each plain page prints.
func TestLists_ComeInPagesWithTheNextCommand(t *testing.T) {
	const page, n = 3, 3*3 + 1
	w := newWorld(t)
	carla, fred := w.signUp("Carla"), w.signUp("Fred")
	var jobs []uint64
	for i := range n {
		jobs = append(jobs, w.okID(carla, "job", "post", "--title", fmt.Sprint("Job ", i)))
	}
	for i := range n {
		w.awardedRoom(carla, fred, fmt.Sprint("Room ", i))
	}
	for i := range n {
		w.okID(w.signUp(fmt.Sprint("Free", i)), "propose", itoa(jobs[0]), "--text", "me")
	}
	for _, tc := range []struct {
		args  []string
		field string
		want  int
	}{
		{[]string{"jobs", "--open"}, "jobs", 0}, // Fred's view: Carla's open jobs
		{[]string{"jobs"}, "jobs", 2 * n},       // Carla's: the open jobs and the awarded ones
		{[]string{"proposals", itoa(jobs[0])}, "proposals", n},
		{[]string{"rooms"}, "rooms", n},
	} {
		who := carla
		if tc.args[0] == "jobs" && len(tc.args) > 1 {
			who, tc.want = fred, n
		}
		// JSON: follow before until it is absent.
		var ids []uint64
		before, pages := uint64(0), 0
		for pages < 10 {
			args := append(slices.Clone(tc.args), "--limit", itoa(page), "--json")
			if before != 0 {
				args = append(args, "--before", itoa(before))
			}
			var got map[string]json.RawMessage
			if err := json.Unmarshal([]byte(w.ok(who, args...)), &got); err != nil {
				t.Fatal(err)
			}
			var items []struct{ ID uint64 }
			_ = json.Unmarshal(got[tc.field], &items)
			if len(items) > page {
				t.Fatalf("%v: a page of %d holds %d", args, page, len(items))
			}
			for _, it := range items {
				ids = append(ids, it.ID)
			}
			pages++
			if got["before"] == nil {
				break
			}
			_ = json.Unmarshal(got["before"], &before)
		}
		if len(ids) != tc.want || pages != (tc.want+page-1)/page {
			t.Errorf("%v: %d items in %d pages, want %d in %d", tc.args, len(ids), pages, tc.want, (tc.want+page-1)/page)
		}
		// Plain: the last line is the next page's command; run it.
		line, pages := strings.Join(append(slices.Clone(tc.args), "--limit", itoa(page)), " "), 0
		for pages < 10 {
			out := w.ok(who, strings.Fields(line)...)
			pages++
			last := out[strings.LastIndex(strings.TrimSuffix(out, "\n"), "\n")+1:]
			_, next, ok := strings.Cut(strings.TrimSpace(last), ": ")
			if !ok || !strings.Contains(next, "--before") {
				break
			}
			line = next
		}
		if pages != (tc.want+page-1)/page {
			t.Errorf("%v: followed the printed command through %d pages, want %d", tc.args, pages, (tc.want+page-1)/page)
		}
	}
}

func TestLists_RefuseAnOversizedPage(t *testing.T) {
	w := newWorld(t)
	carla := w.signUp("Carla")
	r := w.run(carla, "", "jobs", "--open", "--limit", itoa(workroom.MaxPageSize+1))
	if r.status != 1 || !strings.Contains(r.stderr, fmt.Sprintf("a page holds at most %d jobs", workroom.MaxPageSize)) {
		t.Fatalf("status %d, stderr %q", r.status, r.stderr)
	}
}
