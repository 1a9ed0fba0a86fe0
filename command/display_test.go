package command

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/termsafe"
	"github.com/workroom/workroom/workroomtest"
)

// hostile is text someone wrote for the field, carrying what must never
// reach another person's terminal as itself: an OSC 52 clipboard write
// (ESC … BEL), a C1 CSI (U+009B) and a bidi override (U+202E).
func hostile(field string) string {
	return field + "\x1b]52;c;ZXZpbA==\x07 \u009b2J \u202eend"
}

// rawControls are the characters of hostile that must not be on the wire.
var rawControls = []string{"\x1b", "\x07", "\u009b", "\u202e"}

// hostileScene is a marketplace where everything Eve wrote is hostile:
// her name, her job's title and description, her proposal on Ada's job,
// and her message in the room Ada awarded her; Ada's job has a hostile
// title too, which becomes the room's title. Names and titles with
// control characters are refused when written, so those are put in the
// store as it may hold them; the rest goes through the commands.
type hostileScene struct {
	*world
	ada, eve       workroom.Key
	adaJob, room   uint64
	eveJob, eveBid uint64
}

func newHostileScene(t *testing.T) *hostileScene {
	t.Helper()
	w := newWorld(t, workroomtest.WithStore(workroomtest.UsersAsStored(func(u *workroom.User) {
		if u.Name == "Eve" {
			u.Name = hostile("name")
		}
	})))
	s := &hostileScene{world: w, ada: w.signUp("Ada"), eve: w.signUp("Eve")}
	s.adaJob = uint64(w.JobAsStored(t, w.identity(s.ada), hostile("title"), hostile("description")).ID)
	s.eveJob = uint64(w.JobAsStored(t, w.identity(s.eve), hostile("title"), hostile("description")).ID)
	s.eveBid = w.okID(s.eve, "propose", itoa(s.adaJob), "--text", hostile("proposal"))
	s.room = w.okID(s.ada, "award", itoa(s.adaJob), itoa(s.eveBid))
	w.okID(s.eve, "post", itoa(s.room), hostile("body"))
	return s
}

// identity is who key signs in as.
func (w *world) identity(key workroom.Key) *workroom.Identity {
	w.t.Helper()
	id, err := w.Svc.Authenticate(context.Background(), key)
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// displaySurfaces are the commands that print what others wrote, with who
// runs them and which hostile fields each shows as plain text and in JSON.
func displaySurfaces(s *hostileScene) []struct {
	name        string
	as          workroom.Key
	args        []string
	plain, json []string
} {
	return []struct {
		name        string
		as          workroom.Key
		args        []string
		plain, json []string
	}{
		{"rooms", s.ada, []string{"rooms"}, []string{"title"}, []string{"title"}},
		{"messages", s.ada, []string{"messages", itoa(s.room)}, []string{"name", "body"}, []string{"name", "body"}},
		{"jobs --open", s.ada, []string{"jobs", "--open"}, []string{"name", "title"}, []string{"name", "title", "description"}},
		{"jobs", s.eve, []string{"jobs"}, []string{"title"}, []string{"name", "title", "description"}},
		{"proposals", s.ada, []string{"proposals", itoa(s.adaJob)}, []string{"name", "proposal"}, []string{"name", "proposal"}},
		{"whoami", s.eve, []string{"whoami"}, []string{"name"}, []string{"name"}},
	}
}

func TestPlainOutput_RendersOtherPeoplesTextInert(t *testing.T) {
	s := newHostileScene(t)
	for _, tt := range displaySurfaces(s) {
		t.Run(tt.name, func(t *testing.T) {
			out := s.ok(tt.as, tt.args...)
			for _, raw := range rawControls {
				if strings.Contains(out, raw) {
					t.Errorf("%s wrote %q to the terminal:\n%s", tt.name, raw, out)
				}
			}
			for _, field := range tt.plain {
				if want := termsafe.Line(hostile(field)); !strings.Contains(out, want) {
					t.Errorf("%s does not show the %s as %q:\n%s", tt.name, field, want, out)
				}
			}
		})
	}
}

func TestJSONOutput_EscapesControlsAndKeepsTheText(t *testing.T) {
	s := newHostileScene(t)
	for _, tt := range displaySurfaces(s) {
		t.Run(tt.name, func(t *testing.T) {
			out := s.ok(tt.as, append(tt.args, "--json")...)
			for _, raw := range rawControls {
				if strings.Contains(out, raw) {
					t.Errorf("%s --json holds a raw %q:\n%s", tt.name, raw, out)
				}
			}
			got := stringsOf(decode[any](t, out))
			for _, field := range tt.json {
				if !got[hostile(field)] {
					t.Errorf("%s --json does not decode to the %s as written, %q:\n%s", tt.name, field, hostile(field), out)
				}
			}
		})
	}
}

// stringsOf is the set of every string value in a decoded JSON document.
func stringsOf(v any) map[string]bool {
	set := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			set[v] = true
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return set
}

func TestJSONSafe_EscapesEveryControlTermsafeReplaces(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"C1 CSI", "a\u009bb", `a\u009bb`},
		{"C1 NEL", "a\u0085b", `a\u0085b`},
		{"DEL", "a\x7fb", `a\u007fb`},
		{"bidi override", "a\u202eb", `a\u202eb`},
		{"bidi embedding", "a\u202ab", `a\u202ab`},
		{"bidi isolate", "a\u2066b\u2069", `a\u2066b\u2069`},
		{"bidi marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
		{"C0 (encoding/json)", "a\x1b[2Jb\x07", `a\u001b[2Jb\u0007`},
		{"line separator (encoding/json)", "a\u2028b", `a\u2028b`},
		{"plain text untouched", "héllo 👋 \uFFFD", "héllo 👋 \uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			s := &session{json: true, out: &out}
			if err := s.emit(map[string]string{"s": tt.in}, nil); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), `"s": "`+tt.want+`"`) {
				t.Errorf("emit(%q) = %s, want the value encoded as %q", tt.in, out.String(), tt.want)
			}
			var back map[string]string
			if err := json.Unmarshal([]byte(out.String()), &back); err != nil || back["s"] != tt.in {
				t.Errorf("emit(%q) decodes to %q (%v)", tt.in, back["s"], err)
			}
		})
	}
}
