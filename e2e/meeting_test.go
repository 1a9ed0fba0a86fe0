package e2e_test

import (
	"encoding/json"
	"testing"
)

// TestE2E_TwoPeopleHoldAMeeting: the client and the freelancer each open
// their workroom with OpenSSH on a real PTY; the client asks for a
// meeting, the freelancer accepts, lines cross both ways as they are
// sent, and both land in the workroom's messages with source "meeting".
func TestE2E_TwoPeopleHoldAMeeting(t *testing.T) {
	srv := startServer(t)
	client, free := newUser(t, srv, "carla"), newUser(t, srv, "fred")
	client.signUp()
	free.signUp()
	job := firstNumber(t, client.ok("job", "post", "--title", "Bakery logo"))
	room := firstNumber(t, client.ok("award", job, firstNumber(t, free.ok("propose", job, "--text", "p"))))

	carla := newTmux(t, 100, 30, append([]string{"ssh", "-t"}, client.sshArgs("open", room)...)...)
	fred := newTmux(t, 100, 30, append([]string{"ssh", "-t"}, free.sshArgs("open", room)...)...)
	carla.waitScreen("hired")
	fred.waitScreen("hired")

	// Each screen shows the room once its session entered it: both are
	// present now.
	carla.keys("m")
	carla.waitScreen("waiting for an answer")
	fred.waitScreen("asks for a meeting")
	fred.keys("a")
	carla.waitScreen("Meeting since")
	fred.waitScreen("Meeting since")

	carla.keys("good morning fred", "Enter")
	fred.waitScreen("good morning fred")
	fred.keys("morning carla", "Enter")
	carla.waitScreen("morning carla")

	var page struct {
		Messages []struct {
			Body   string `json:"body"`
			Source string `json:"source"`
		} `json:"messages"`
	}
	if err := json.Unmarshal([]byte(client.ok("messages", room, "--json")), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) < 2 {
		t.Fatalf("messages: %+v", page.Messages)
	}
	for i, want := range []string{"morning carla", "good morning fred"} {
		if m := page.Messages[i]; m.Body != want || m.Source != "meeting" {
			t.Errorf("message %d is %+v, want %q with source meeting", i, m, want)
		}
	}

	fred.keys("Escape")
	carla.waitScreen("The meeting ended: fred left.")
	carla.waitScreen("Meeting ")
	carla.waitScreen("2 lines (x opens)")
}
