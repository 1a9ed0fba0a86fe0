package workroom_test

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// invisibleOnly are texts that draw nothing: each must be refused as empty
// wherever text is required.
var invisibleOnly = []struct{ name, text string }{
	{"spaces", "   \n\t "},
	{"zero-width spaces", "\u200b\u200b\u200b"},
	{"braille blank", "\u2800\u2800"},
	{"NULs", "\x00\x00"},
	{"word joiner and BOM", "\u2060\ufeff"},
	{"tags", "\U000E0041\U000E0042"},
	{"hangul filler", "\u3164"},
	{"combining mark alone", "\u0301"},
	{"bidi override", "\u202e \u202c"},
	{"ideographic space", "\u3000"},
	{"variation selector", "\ufe0f"},
}

func TestHasVisibleText(t *testing.T) {
	for _, tt := range invisibleOnly {
		if workroom.HasVisibleText(tt.text) {
			t.Errorf("%s: HasVisibleText(%q) = true", tt.name, tt.text)
		}
	}
	for _, s := range []string{"a", " .", "\u200b!", "❤️", "日本", "é"} {
		if !workroom.HasVisibleText(s) {
			t.Errorf("HasVisibleText(%q) = false", s)
		}
	}
}

// TestText_InvisibleOnlyIsRefusedAsEmpty: messages, proposals, titles and
// descriptions.
func TestText_InvisibleOnlyIsRefusedAsEmpty(t *testing.T) {
	w := newWorld(t)
	client, free := w.SignUp(t, "client"), w.SignUp(t, "free")
	room := w.Room(t, client, free, "Logo")
	job, err := w.Svc.PostJob(workroomtest.As(client), "Second", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range invisibleOnly {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.Svc.Post(workroomtest.As(free), room.ID, tt.text, workroom.SourceCommand)
			wantEmpty(t, "message", err)
			_, err = w.Svc.Propose(workroomtest.As(free), job.ID, tt.text)
			wantEmpty(t, "proposal", err)
			_, err = w.Svc.PostJob(workroomtest.As(client), tt.text, "")
			wantCode(t, err, workroom.EINVALID) // as empty, or as not one line (NULs)
			if strings.TrimSpace(tt.text) != "" {
				_, err = w.Svc.PostJob(workroomtest.As(client), "Title", tt.text)
				wantEmpty(t, "description", err)
			}
		})
	}
	if _, err := w.Svc.Post(workroomtest.As(free), room.ID, "\u200bhi", workroom.SourceCommand); err != nil {
		t.Fatalf("text with a visible character refused: %v", err)
	}
}

func wantEmpty(t *testing.T, what string, err error) {
	t.Helper()
	wantCode(t, err, workroom.EINVALID)
	if msg := err.Error(); !strings.Contains(msg, "empty") && !strings.Contains(msg, "no visible text") {
		t.Fatalf("%s refused with %q, want it called empty", what, msg)
	}
}

func TestSignUp_NameRules(t *testing.T) {
	tests := []struct {
		name, input, want, says string // want "" when refused
	}{
		{"plain", "Carol", "Carol", ""},
		{"NFC", "Cafe\u0301", "Caf\u00e9", ""},
		{"emoji with joiner and selector", "Ada 👩\u200d💻 ❤\ufe0f", "Ada 👩\u200d💻 ❤\ufe0f", ""},
		{"zero-width space", "Car\u200bol", "", "invisible character U+200B"},
		{"zero-width joiner between letters", "Car\u200dol", "", "invisible character U+200D"},
		{"tag characters", "Carol\U000E0041", "", "invisible character U+E0041"},
		{"variation selector after a letter", "Carol\ufe0f", "", "invisible character U+FE0F"},
		{"braille blank", "Carol\u2800", "", "invisible character U+2800"},
		{"bidi override", "\u202eloraC", "", "invisible character U+202E"},
		{"soft hyphen", "Ca\u00adrol", "", "invisible character U+00AD"},
		{"hangul filler only", "\u3164", "", "invisible character U+3164"},
		{"combining marks only", "\u0301\u0301", "", "no visible character"},
		{"ideographic space only", "\u3000", "", "the name is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			u, err := w.Svc.SignUp(t.Context(), workroomtest.Key("k"), tt.input, "ada@example.com")
			if tt.want != "" {
				if err != nil || u.Name != tt.want {
					t.Fatalf("SignUp(%q) = %+v, %v; want name %q", tt.input, u, err, tt.want)
				}
				return
			}
			wantCode(t, err, workroom.EINVALID)
			if !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("SignUp(%q) says %q, want %q", tt.input, err, tt.says)
			}
		})
	}
}

// TestText_NULIsRefusedByName: a NUL inside otherwise fine text is
// refused, naming it, for a message and a draft alike — whichever store
// keeps them (PostgreSQL's text cannot hold U+0000; bbolt could, so the
// rule is the service's).
func TestText_NULIsRefusedByName(t *testing.T) {
	w := newWorld(t)
	client, free := w.SignUp(t, "client"), w.SignUp(t, "free")
	room := w.Room(t, client, free, "Logo")
	_, err := w.Svc.Post(workroomtest.As(free), room.ID, "before\x00after", workroom.SourceCommand)
	wantCode(t, err, workroom.EINVALID)
	if !strings.Contains(workroom.ErrorMessage(err), "NUL") {
		t.Errorf("message with a NUL: %v; want it named", err)
	}
	err = w.Svc.SaveDraft(workroomtest.As(free), room.ID, "draft\x00")
	if !strings.Contains(workroom.ErrorMessage(err), "NUL") {
		t.Errorf("draft with a NUL: %v; want it named", err)
	}
}
