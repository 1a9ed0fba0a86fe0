package command

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
)

// Carla broadcasts into her two rooms and one she is not in: a line per
// room, the outsider's worded as a missing room, exit 1 with the count on
// stderr; both of hers hold the text, as typed, with source broadcast.
func TestBroadcast_PrintsALinePerRoomAndExits1WhenOneRefused(t *testing.T) {
	w := newWorld(t)
	carla, fred, gina := w.signUp("Carla"), w.signUp("Fred"), w.signUp("Gina")
	r1 := w.awardedRoom(carla, fred, "Logo")
	r2 := w.awardedRoom(carla, gina, "Site")
	theirs := w.awardedRoom(fred, gina, "Private")

	r := w.runLine(carla, "", "broadcast "+itoa(r1)+" "+itoa(theirs)+" "+itoa(r2)+" --text Away  next week")
	if r.status != 1 {
		t.Fatalf("status %d, want 1 (one room refused); stderr %q", r.status, r.stderr)
	}
	want := itoa(r1) + "  posted as message 2\n" +
		itoa(theirs) + "  not posted: no such workroom: " + itoa(theirs) + "\n" +
		itoa(r2) + "  posted as message 2\n"
	if r.stdout != want {
		t.Fatalf("stdout\n%s\nwant\n%s", r.stdout, want)
	}
	if got := oneLine(t, r.stderr); got != "1 of 3 workrooms refused the broadcast (see the line for each); it went into 2" {
		t.Fatalf("stderr %q", got)
	}
	for _, room := range []uint64{r1, r2} {
		page := decode[workroom.Page](t, w.ok(carla, "messages", itoa(room), "--json"))
		if m := page.Messages[0]; m.Body != "Away  next week" || m.Source != workroom.SourceBroadcast {
			t.Fatalf("room %d's newest message %+v, want the broadcast as typed", room, m)
		}
	}
}

func TestBroadcast_AllInReadsStdinAndExits0WithJSON(t *testing.T) {
	w := newWorld(t)
	carla, fred := w.signUp("Carla"), w.signUp("Fred")
	r1, r2 := w.awardedRoom(carla, fred, "Logo"), w.awardedRoom(carla, fred, "Site")
	r := w.run(carla, "Hello --json in the text\n", "broadcast", itoa(r1), itoa(r2), "--json")
	if r.status != 0 || r.stderr != "" {
		t.Fatalf("status %d, stderr %q", r.status, r.stderr)
	}
	got := decode[struct {
		Rooms []struct {
			RoomID  uint64            `json:"room_id"`
			Posted  bool              `json:"posted"`
			Message *workroom.Message `json:"message"`
		} `json:"rooms"`
		Posted, Refused int
	}](t, r.stdout)
	if got.Posted != 2 || got.Refused != 0 || len(got.Rooms) != 2 || !got.Rooms[1].Posted || got.Rooms[1].Message.Body != "Hello --json in the text" {
		t.Fatalf("broadcast --json = %+v", got)
	}
}

func TestBroadcast_UsageAndWholeRefusals(t *testing.T) {
	w := newWorld(t)
	carla, fred := w.signUp("Carla"), w.signUp("Fred")
	room := w.awardedRoom(carla, fred, "Logo")
	if r := w.run(carla, "", "broadcast", "--text", "hi"); r.status != 2 || !strings.Contains(r.stderr, "broadcast needs ROOM") {
		t.Fatalf("no rooms: status %d, stderr %q", r.status, r.stderr)
	}
	if r := w.run(carla, "", "broadcast", "x", "--text", "hi"); r.status != 2 || !strings.Contains(r.stderr, "ROOM must be a number") {
		t.Fatalf("bad room: status %d, stderr %q", r.status, r.stderr)
	}
	many := []string{"broadcast"}
	for i := range workroom.MaxBroadcastRooms + 1 {
		many = append(many, itoa(uint64(i+1)))
	}
	refused(t, w.run(carla, "", append(many, "--text", "hi")...), "at most 50 workrooms")
	refused(t, w.run(carla, "", "broadcast", itoa(room)), "the message is empty")
}
