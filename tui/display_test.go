package tui

import (
	"bytes"
	"context"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/termsafe"
	"github.com/workroom/workroom/workroomtest"
)

// hostile is text someone wrote for the field, carrying what must never
// reach another person's terminal as itself: an OSC 52 clipboard write, a
// C1 CSI (U+009B) and a bidi override (U+202E); short enough to fit the
// narrowest column it is shown in.
func hostile(field string) string {
	return field + "\x1b]52;c;QQ==\x07\u009bJ\u202e"
}

// rawControls are sequences of hostile that must not be in the program's
// output. (ESC and BEL alone are the program's own.)
var rawControls = []string{"\x1b]52", "\u009b", "\u202e"}

// hostileScene: everything Eve wrote is hostile — her name and address
// (as the store holds them: both are refused when written), her job's
// title and description, her proposals and her message. Ada awarded her
// first job to Eve (the room takes its hostile title) and has a second
// open job with Eve's proposal on it. Bob has no jobs.
type hostileScene struct {
	*fixture
	ada, eve, bob *workroom.Identity
	room          workroom.RoomID
}

func newHostileScene(t *testing.T) *hostileScene {
	t.Helper()
	f := newFixture(t, workroomtest.WithStore(workroomtest.UsersAsStored(func(u *workroom.User) {
		if u.Name == "Eve" {
			u.Name, u.Email = hostile("name"), hostile("email")
		}
	})))
	f.SignUp(t, "Eve")
	s := &hostileScene{fixture: f, ada: f.SignUp(t, "Ada"), bob: f.SignUp(t, "Bob")}
	eve, err := f.Svc.Authenticate(context.Background(), workroomtest.Key("Eve"))
	if err != nil {
		t.Fatal(err)
	}
	s.eve = eve

	awarded := f.JobAsStored(t, s.ada, hostile("title"), hostile("description"))
	p, err := f.Svc.Propose(workroomtest.As(s.eve), awarded.ID, hostile("proposal"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.Svc.Award(workroomtest.As(s.ada), awarded.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	s.room = r.ID
	f.Post(t, s.eve, s.room, hostile("body"))

	open := f.JobAsStored(t, s.ada, hostile("title"), hostile("description"))
	if _, err := f.Svc.Propose(workroomtest.As(s.eve), open.ID, hostile("proposal")); err != nil {
		t.Fatal(err)
	}
	f.JobAsStored(t, s.eve, hostile("title"), hostile("description"))
	return s
}

// shows waits until the screen shows each field's hostile text as its
// inert stand-in.
func shows(tm *term, fields ...string) {
	tm.t.Helper()
	var want []string
	for _, f := range fields {
		want = append(want, termsafe.Line(hostile(f)))
	}
	tm.waitText(want...)
}

func TestScreens_RenderOtherPeoplesTextInert(t *testing.T) {
	tests := []struct {
		name string
		// visit opens the screen and waits until it shows the fields.
		visit func(s *hostileScene, t *testing.T) *term
	}{
		{"room list: title", func(s *hostileScene, t *testing.T) *term {
			tm := s.start(t, s.ada, 0, 120, 30)
			shows(tm, "title")
			return tm
		}},
		{"room list: own address (unverified notice)", func(s *hostileScene, t *testing.T) *term {
			tm := s.start(t, s.eve, 0, 120, 30)
			shows(tm, "email")
			return tm
		}},
		{"header: own name", func(s *hostileScene, t *testing.T) *term {
			tm := s.start(t, s.eve, 0, 120, 30)
			shows(tm, "name")
			return tm
		}},
		{"room view: title, author, body", func(s *hostileScene, t *testing.T) *term {
			tm := s.start(t, s.ada, s.room, 120, 30)
			shows(tm, "title", "name", "body")
			return tm
		}},
		{"jobs: titles and client name", func(s *hostileScene, t *testing.T) *term {
			tm := s.start(t, s.bob, 0, 120, 30)
			tm.waitText("No workrooms yet")
			tm.press("J")
			tm.waitText("Open jobs of others")
			shows(tm, "title", "name")
			return tm
		}},
		{"propose: title, client name, description", func(s *hostileScene, t *testing.T) *term {
			tm := s.start(t, s.bob, 0, 120, 30)
			tm.waitText("No workrooms yet")
			tm.press("J")
			tm.waitText("Open jobs of others")
			tm.press(keyEnter)
			tm.waitText("Propose on job")
			shows(tm, "title", "name", "description")
			return tm
		}},
		{"proposals: title, freelancer name, proposal, award question", func(s *hostileScene, t *testing.T) *term {
			tm := s.start(t, s.ada, 0, 120, 30)
			tm.waitText("LAST ACTIVITY")
			tm.press("J")
			tm.waitText("open · 1 proposal")
			tm.press(keyEnter)
			tm.waitText("Proposals on job")
			shows(tm, "title", "name", "proposal")
			tm.press("a")
			tm.waitText("y/n")
			shows(tm, "name")
			return tm
		}},
		{"verify: own address", func(s *hostileScene, t *testing.T) *term {
			tm := s.start(t, s.eve, 0, 120, 30)
			tm.waitText("LAST ACTIVITY")
			tm.press("v")
			tm.waitText("We mailed a code to")
			shows(tm, "email")
			return tm
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newHostileScene(t)
			tm := tt.visit(s, t)
			out := tm.output()
			for _, raw := range rawControls {
				if bytes.Contains(out, []byte(raw)) {
					t.Errorf("the program wrote %q to the terminal", raw)
				}
			}
		})
	}
}
