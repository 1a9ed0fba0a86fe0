package command

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/workroom/workroom"
)

func TestTable_AlignsColumnsByTerminalCells(t *testing.T) {
	var b bytes.Buffer
	tb := newTable(&b, "ID", "NAME", "ROLE")
	tb.row(1, "Ada", "client")
	tb.row(2, "🦊🍞 Fox", "freelancer")
	tb.row(3, "山田太郎", "guest")
	tb.row(4, "e\u0301te\u0301", "team")
	if err := tb.flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	// Every ROLE value starts in the same terminal cell as the heading.
	col := strings.Index(lines[0], "ROLE")
	for _, l := range lines[1:] {
		fields := strings.Fields(l)
		role := fields[len(fields)-1]
		at := ansi.StringWidth(l[:strings.LastIndex(l, role)])
		if at != col {
			t.Errorf("in %q, %s starts at cell %d, want %d\n%s", l, role, at, col, b.String())
		}
	}
}

func TestWhen_ShowsTimesInTheUsersZone(t *testing.T) {
	w := newWorld(t)
	carla, fred := w.signUp("Carla"), w.signUp("Fred")
	job := itoa(w.okID(carla, "job", "post", "--title", "Logo"))
	w.ok(fred, "settings", "--tz", "America/New_York")
	w.Advance(3 * time.Hour)
	if out := w.ok(fred, "jobs", "--open"); !strings.Contains(out, "3 h ago") {
		t.Errorf("a job posted 3 h ago shows as:\n%s", out)
	}
	w.Advance(2 * 24 * time.Hour)
	posted := w.Now().Add(-(2*24 + 3) * time.Hour)
	wantNY := posted.In(mustZone(t, "America/New_York")).Format("2006-01-02 15:04 MST")
	if out := w.ok(fred, "jobs", "--open"); !strings.Contains(out, wantNY) {
		t.Errorf("jobs --open in New York =\n%s\nwant %q", out, wantNY)
	}
	if out := w.ok(carla, "jobs"); !strings.Contains(out, posted.UTC().Format("2006-01-02 15:04")+" UTC") {
		t.Errorf("jobs for an account with no zone =\n%s\nwant the date in UTC", out)
	}
	// --json stays RFC 3339 UTC.
	got := decode[struct{ Jobs []map[string]any }](t, w.ok(fred, "jobs", "--open", "--json"))
	if created, _ := got.Jobs[0]["created"].(string); !strings.HasSuffix(created, "Z") {
		t.Errorf("jobs --json created = %q, want RFC 3339 UTC", created)
	}
	_ = job
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skip("no zone database:", err)
	}
	return loc
}

func TestSettings_ShowsAndSetsTheTimeZone(t *testing.T) {
	w := newWorld(t)
	ada := w.signUp("Ada")
	if out := w.ok(ada, "settings"); !strings.Contains(out, "time zone  UTC") || !strings.Contains(out, "settings --tz ZONE") {
		t.Errorf("settings =\n%s", out)
	}
	if out := w.ok(ada, "settings", "--tz", "Asia/Tokyo", "--json"); !strings.Contains(out, `"tz": "Asia/Tokyo"`) {
		t.Errorf("settings --tz --json = %s", out)
	}
	if out := w.ok(ada, "settings"); !strings.Contains(out, "time zone  Asia/Tokyo") || !strings.Contains(out, " JST") {
		t.Errorf("settings after --tz =\n%s", out)
	}
	refused(t, w.run(ada, "", "settings", "--tz", "Mars/Base"), `unknown time zone "Mars/Base"; give an IANA name such as Europe/Berlin`)
}

func TestProposals_MineListsJobStatusAndDate(t *testing.T) {
	w := newWorld(t)
	carla, fred := w.signUp("Carla"), w.signUp("Fred")
	logo := itoa(w.okID(carla, "job", "post", "--title", "Logo"))
	flyer := itoa(w.okID(carla, "job", "post", "--title", "Flyer"))
	p := itoa(w.okID(fred, "propose", logo, "--text", "me"))
	w.okID(fred, "propose", flyer, "--text", "me too")
	room := itoa(w.okID(carla, "award", logo, p))

	out := w.ok(fred, "proposals", "--mine")
	want := "ID  JOB  STATUS  ROOM  SUBMITTED  TITLE\n" +
		"2   " + flyer + "    open    -     just now   Flyer\n" +
		"1   " + logo + "    hired   " + room + "     just now   Logo\n"
	if out != want {
		t.Errorf("proposals --mine =\n%s\nwant\n%s", out, want)
	}
	page := decode[workroom.MyProposalPage](t, w.ok(fred, "proposals", "--mine", "--limit", "1", "--json"))
	if len(page.Proposals) != 1 || page.Before == 0 || page.Proposals[0].Status != workroom.ProposalOpen {
		t.Errorf("proposals --mine --limit 1 --json = %+v", page)
	}
	if out := w.ok(fred, "proposals", "--mine", "--limit", "1"); !strings.HasSuffix(out, "older proposals: proposals --mine --limit 1 --before 2\n") {
		t.Errorf("proposals --mine --limit 1 =\n%s", out)
	}
	// My own proposal on a job that is no longer open is still mine to see.
	if out := w.ok(fred, "proposals", logo); !strings.Contains(out, "Fred") || strings.Contains(out, "Award one") {
		t.Errorf("proposals %s for its freelancer =\n%s", logo, out)
	}
	if out := w.ok(w.signUp("Olga"), "proposals", "--mine"); !strings.Contains(out, "You have made no proposals") {
		t.Errorf("proposals --mine with none = %q", out)
	}
}

func TestJobsOpen_MarksJobsIProposedOn(t *testing.T) {
	w := newWorld(t)
	carla, fred := w.signUp("Carla"), w.signUp("Fred")
	logo := itoa(w.okID(carla, "job", "post", "--title", "Logo"))
	w.okID(carla, "job", "post", "--title", "Flyer")
	w.okID(fred, "propose", logo, "--text", "me")
	out := w.ok(fred, "jobs", "--open")
	for _, row := range strings.Split(out, "\n")[1:] {
		if strings.HasSuffix(row, "Logo") != strings.Contains(row, " yes ") && row != "" {
			t.Errorf("row %q: PROPOSED is wrong\n%s", row, out)
		}
	}
	got := decode[struct{ Jobs []map[string]any }](t, w.ok(fred, "jobs", "--open", "--json"))
	if got.Jobs[1]["proposed"] != true || got.Jobs[0]["proposed"] != nil {
		t.Errorf("jobs --open --json = %+v, want proposed: true on the Logo job only", got.Jobs)
	}
}

func TestHelp_ShowsTheAddressTheClientReached(t *testing.T) {
	w := newWorld(t)
	for server, want := range map[string]string{
		"203.0.113.7:2022": "usage: ssh -p 2022 203.0.113.7 COMMAND",
		"[::1]:2222":       "usage: ssh -p 2222 ::1 COMMAND",
		"198.51.100.1:22":  "usage: ssh 198.51.100.1 COMMAND",
		"":                 "usage: ssh -p 2222 HOST COMMAND",
	} {
		var out, errb bytes.Buffer
		w.runner.Run(context.Background(), &workroom.Identity{Server: server}, lineOf("help"), nil, &out, &errb)
		if !strings.HasPrefix(out.String(), want) {
			t.Errorf("help for a client that reached %q begins %q, want %q", server, strings.SplitN(out.String(), "\n", 2)[0], want)
		}
	}
}

func TestUnknownCommand_SuggestsTheCloseOne(t *testing.T) {
	w := newWorld(t)
	ada := w.signUp("Ada")
	for typed, want := range map[string]string{
		"roms":     "unknown command roms; did you mean rooms? (run help for the list)",
		"mesages":  "unknown command mesages; did you mean messages?",
		"porpose":  "unknown command porpose; did you mean propose?",
		"frobnish": "unknown command frobnish; run help",
	} {
		r := w.run(ada, "", typed)
		if r.status != exitUsage || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: status %d, stderr %q; want %q", typed, r.status, r.stderr, want)
		}
	}
	if strings.Contains(w.run(ada, "", "frobnish").stderr, "did you mean") {
		t.Error("a word far from every command got a suggestion")
	}
}

func TestMessagesJSON_OmitsBeforeOnTheLastPageAsHelpSays(t *testing.T) {
	w := newWorld(t)
	carla, fred := w.signUp("Carla"), w.signUp("Fred")
	room := itoa(w.awardedRoom(carla, fred, "Logo"))
	w.ok(carla, "post", room, "hello")
	if out := w.ok(fred, "messages", room, "--limit", "1", "--json"); !strings.Contains(out, `"before": 2`) {
		t.Errorf("a page with older messages = %s, want \"before\": 2", out)
	}
	if out := w.ok(fred, "messages", room, "--json"); strings.Contains(out, `"before"`) {
		t.Errorf("the last page = %s, want no before", out)
	}
	if help := w.ok(fred, "help", "messages"); !strings.Contains(help, `"before" field; it is absent on the last page`) {
		t.Errorf("help messages does not say before is absent on the last page:\n%s", help)
	}
}

func TestAwardJSON_ReturnsTheRoomAsRoomsListsIt(t *testing.T) {
	w := newWorld(t)
	carla, fred := w.signUp("Carla"), w.signUp("Fred")
	job := itoa(w.okID(carla, "job", "post", "--title", "Logo"))
	p := itoa(w.okID(fred, "propose", job, "--text", "me"))
	award := decode[struct{ Room map[string]any }](t, w.ok(carla, "award", job, p, "--json"))
	rooms := decode[struct{ Rooms []map[string]any }](t, w.ok(carla, "rooms", "--json"))
	for k := range rooms.Rooms[0] {
		if _, ok := award.Room[k]; !ok {
			t.Errorf("award --json lacks %q, which rooms --json has: %v", k, award.Room)
		}
	}
	if award.Room["role"] != "client" || award.Room["email"] != fmt.Sprintf("room-%v@test.localhost", award.Room["id"]) {
		t.Errorf("award --json room = %v", award.Room)
	}
}

func TestProposals_PrintsATableLikeEveryList(t *testing.T) {
	w := newWorld(t)
	carla, fred := w.signUp("Carla"), w.signUp("Fred")
	job := itoa(w.okID(carla, "job", "post", "--title", "Logo"))
	w.okID(fred, "propose", job, "--text", "two lines\nof text")
	out := w.ok(carla, "proposals", job)
	want := "ID  FREELANCER  SUBMITTED  TEXT\n1   Fred        just now   two lines⏎of text\nAward one with: award " + job + " PROPOSAL\n"
	if out != want {
		t.Errorf("proposals =\n%s\nwant\n%s", out, want)
	}
}

func TestKeys_ListsEachKeysComment(t *testing.T) {
	w := newWorld(t)
	ada := w.signUp("Ada")
	if out := w.ok(ada, "keys"); !strings.Contains(out, "COMMENT") || !strings.Contains(out, "ssh-ed25519  -  ") {
		t.Errorf("keys before a comment =\n%s", out)
	}
	w.ok(ada, "keys", "comment", ada.Fingerprint, "work laptop")
	if out := w.ok(ada, "keys"); !strings.Contains(out, "ssh-ed25519  work laptop  ") {
		t.Errorf("keys after keys comment =\n%s", out)
	}
	if out := w.ok(ada, "keys", "--json"); !strings.Contains(out, `"comment": "work laptop"`) {
		t.Errorf("keys --json = %s", out)
	}
	refused(t, w.run(ada, "", "keys", "comment", "SHA256:nope", "x"), "no key SHA256:nope on your account")
}
