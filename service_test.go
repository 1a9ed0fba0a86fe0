package workroom_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// ctx is the context of the calls these tests make to the store directly.
var ctx = context.Background()

// newWorld is the service the rules are tested on: an admin named by key
// fingerprint and one named by email.
func newWorld(t *testing.T) *workroomtest.World {
	return workroomtest.New(t, workroomtest.WithAdmins("SHA256:admin-key", "boss@example.com"))
}

// roomsOf is the first page of the actor's workrooms.
func roomsOf(t *testing.T, w *workroomtest.World, ctx context.Context) []workroom.Membership {
	t.Helper()
	page, err := w.Svc.Rooms(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return page.Rooms
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := workroom.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

// wantRule checks the rule a refusal names, by which each transport adds
// its own how-to.
func wantRule(t *testing.T, err error, rule workroom.Rule) {
	t.Helper()
	if got := workroom.ErrorRule(err); got != rule {
		t.Fatalf("error %v: rule %q, want %q", err, got, rule)
	}
}

func TestSignUp_ValidatesNameAndEmail(t *testing.T) {
	tests := []struct {
		name, user, email, code, says string
		rule                          workroom.Rule
	}{
		{"ok", "Ada Lovelace", "ada@example.com", "", "", ""},
		{"blank name", "  ", "ada@example.com", workroom.EINVALID, "the name is empty", workroom.RuleNameMissing},
		{"control in name", "Ada\x1b[2J", "ada@example.com", workroom.EINVALID, "control characters", ""},
		{"overlong name", strings.Repeat("a", workroom.MaxNameLength+1), "ada@example.com", workroom.EINVALID, "longer than 64", ""},
		{"no email", "Ada", "", workroom.EINVALID, "the email address is empty", workroom.RuleEmailMissing},
		{"not an address", "Ada", "ada", workroom.EINVALID, "not an email address", ""},
		{"display name", "Ada", "Ada <ada@example.com>", workroom.EINVALID, "not an email address", ""},
		{"header injection", "Ada", "ada@example.com\r\nBcc: x@y.z", workroom.EINVALID, "not an email address", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			_, err := w.Svc.SignUp(context.Background(), workroomtest.Key("k"), tt.user, tt.email)
			wantCode(t, err, tt.code)
			wantRule(t, err, tt.rule)
			if err != nil && !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("error %q does not say %q", err, tt.says)
			}
		})
	}
}

func TestSignUp_RefusesTakenKeyAndVerifiedEmail(t *testing.T) {
	w := newWorld(t)
	ada := w.SignUp(t, "ada")
	if err := w.Svc.Verify(workroomtest.As(ada), w.Code(t, "ada@example.com")); err != nil {
		t.Fatal(err)
	}
	_, err := w.Svc.SignUp(context.Background(), workroomtest.Key("ada"), "Other", "other@example.com")
	wantCode(t, err, workroom.ECONFLICT)
	_, err = w.Svc.SignUp(context.Background(), workroomtest.Key("new"), "Other", "ADA@Example.com")
	wantCode(t, err, workroom.ECONFLICT)
}

func TestAuthenticate_KnownUnknownAndAdmin(t *testing.T) {
	w := newWorld(t)
	ada := w.SignUp(t, "ada").User
	id, err := w.Svc.Authenticate(context.Background(), workroomtest.Key("ada"))
	if err != nil || id.User == nil || id.User.ID != ada.ID {
		t.Fatalf("Authenticate(ada) = %+v, %v", id, err)
	}
	id, err = w.Svc.Authenticate(context.Background(), workroomtest.Key("stranger"))
	if err != nil || id.User != nil {
		t.Fatalf("Authenticate(unknown) = %+v, %v; want identity without user", id, err)
	}
	if w.Svc.IsAdmin(ctx, id) {
		t.Fatal("unknown key is admin")
	}
	w.SignUp(t, "admin-key")
	id, _ = w.Svc.Authenticate(context.Background(), workroomtest.Key("admin-key"))
	if !w.Svc.IsAdmin(ctx, id) {
		t.Fatal("configured admin fingerprint is not admin")
	}
}

func TestVerificationMail_IsAddressedAndCarriesCode(t *testing.T) {
	w := newWorld(t)
	w.SignUp(t, "ada")
	mails, _ := w.Outbox.Pending(context.Background(), 10)
	if len(mails) != 1 {
		t.Fatalf("%d mails queued, want 1", len(mails))
	}
	m := mails[0]
	if m.To != "ada@example.com" || !strings.Contains(m.From, "@test.localhost") || m.Subject == "" || !strings.HasPrefix(m.MessageID, "<") {
		t.Fatalf("mail = %+v", m)
	}
	if !regexp.MustCompile(`(?m)^Verification code: (\d{10})$`).MatchString(m.Body) {
		t.Fatalf("body has no code line: %q", m.Body)
	}
}

func TestUnknownKey_MaySignUpOnly(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	_, err := w.Svc.Rooms(ctx, 0, 0)
	wantCode(t, err, workroom.EFORBIDDEN)
	wantRule(t, err, workroom.RuleNoAccount) // each transport says how to sign up
	if err.Error() != "this key has no account" {
		t.Fatalf("refusal says %q", err)
	}
	_, err = w.Svc.PostJob(ctx, "t", "")
	wantCode(t, err, workroom.EFORBIDDEN)
}

func TestJobs_ProposeAwardRules(t *testing.T) {
	w := newWorld(t)
	client := workroomtest.As(w.SignUp(t, "client"))
	freeID := w.SignUp(t, "free")
	free, freeUser := workroomtest.As(freeID), freeID.User
	other := workroomtest.As(w.SignUp(t, "other"))

	_, err := w.Svc.PostJob(client, " ", "")
	wantCode(t, err, workroom.EINVALID)
	j, err := w.Svc.PostJob(client, "Logo", "a fox")
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.Svc.Propose(client, j.ID, "me")
	wantCode(t, err, workroom.EFORBIDDEN) // own job
	open, _ := w.Svc.OpenJobs(free, 0, 0)
	if len(open.Jobs) != 1 || open.Jobs[0].ID != j.ID {
		t.Fatalf("OpenJobs for freelancer = %+v", open)
	}
	if open, _ := w.Svc.OpenJobs(client, 0, 0); len(open.Jobs) != 0 {
		t.Fatalf("client sees own job among open jobs: %+v", open)
	}
	_, err = w.Svc.Propose(free, j.ID, "  ")
	wantCode(t, err, workroom.EINVALID)
	p, err := w.Svc.Propose(free, j.ID, "I draw foxes")
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.Svc.Propose(free, j.ID, "again")
	wantCode(t, err, workroom.ECONFLICT)
	op, err := w.Svc.Propose(other, j.ID, "me too")
	if err != nil {
		t.Fatal(err)
	}
	// A freelancer asking for a job's proposals sees their own alone.
	if mine, err := w.Svc.Proposals(free, j.ID, 0, 0); err != nil || len(mine.Proposals) != 1 || mine.Proposals[0].ID != p.ID {
		t.Fatalf("freelancer's Proposals = %+v, %v; want their own proposal alone", mine, err)
	}
	ps, err := w.Svc.Proposals(client, j.ID, 0, 0)
	if err != nil || len(ps.Proposals) != 2 {
		t.Fatalf("Proposals = %+v, %v", ps, err)
	}
	_, err = w.Svc.Award(free, j.ID, p.ID)
	wantCode(t, err, workroom.EFORBIDDEN)
	_, err = w.Svc.Award(client, j.ID, 999)
	wantCode(t, err, workroom.ENOTFOUND)
	r, err := w.Svc.Award(client, j.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.Svc.Award(client, j.ID, op.ID)
	wantCode(t, err, workroom.ECONFLICT)
	_, err = w.Svc.Propose(other, j.ID, "late")
	wantCode(t, err, workroom.ENOTFOUND) // an awarded job is no longer visible to others
	ms, err := w.Svc.Members(free, r.ID)
	if err != nil || len(ms) != 2 || ms[1].UserID != freeUser.ID || ms[1].Role != workroom.RoleFreelancer {
		t.Fatalf("Members = %+v, %v", ms, err)
	}
	rooms := roomsOf(t, w, free)
	if len(rooms) != 1 || rooms[0].Email != "room-1@test.localhost" || rooms[0].Role != workroom.RoleFreelancer {
		t.Fatalf("Rooms = %+v", rooms)
	}
}

func TestOutsider_CannotLearnARoomExists(t *testing.T) {
	w := newWorld(t)
	client, free := w.SignUp(t, "client"), w.SignUp(t, "free")
	outsider := workroomtest.As(w.SignUp(t, "outsider"))
	r := w.Room(t, client, free, "Logo design")
	missing := r.ID + 1000

	calls := map[string]func(workroom.RoomID) error{
		"Room":     func(id workroom.RoomID) error { _, err := w.Svc.Room(outsider, id); return err },
		"Members":  func(id workroom.RoomID) error { _, err := w.Svc.Members(outsider, id); return err },
		"Messages": func(id workroom.RoomID) error { _, err := w.Svc.Messages(outsider, id, 0, 10); return err },
		"Post": func(id workroom.RoomID) error {
			_, err := w.Svc.Post(outsider, id, "hi", workroom.SourceCommand)
			return err
		},
		"MarkRead": func(id workroom.RoomID) error { return w.Svc.MarkRead(outsider, id, 1) },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			real, none := call(r.ID), call(missing)
			wantCode(t, real, workroom.ENOTFOUND)
			wantCode(t, none, workroom.ENOTFOUND)
			if strings.ReplaceAll(real.Error(), itoa(r.ID), "N") != strings.ReplaceAll(none.Error(), itoa(missing), "N") {
				t.Fatalf("real room says %q, missing room says %q", real, none)
			}
		})
	}
}

func itoa(id workroom.RoomID) string { return strconv.FormatUint(uint64(id), 10) }

func TestPost_BodyRules(t *testing.T) {
	w := newWorld(t)
	clientID, freeID := w.SignUp(t, "client"), w.SignUp(t, "free")
	client := workroomtest.As(clientID)
	r := w.Room(t, clientID, freeID, "Logo design")
	tests := []struct {
		name, body, code string
	}{
		{"plain", "hello", ""},
		{"at the limit", strings.Repeat("é", workroom.MaxBodyLength), ""},
		{"over the limit", strings.Repeat("a", workroom.MaxBodyLength+1), workroom.EINVALID},
		{"empty", "", workroom.EINVALID},
		{"whitespace only", " \n\t ", workroom.EINVALID},
		{"invalid utf-8", "a\xffb", workroom.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.Svc.Post(client, r.ID, tt.body, workroom.SourceCommand)
			wantCode(t, err, tt.code)
		})
	}
	_, err := w.Svc.Post(client, r.ID, strings.Repeat("a", workroom.MaxBodyLength+1), workroom.SourceCommand)
	if !strings.Contains(err.Error(), "20000") {
		t.Fatalf("overlong refusal %q does not name the limit", err)
	}
}

func TestMessages_NewestFirstPagingAndUnread(t *testing.T) {
	w := newWorld(t)
	clientID, freeID := w.SignUp(t, "client"), w.SignUp(t, "free")
	client, free := workroomtest.As(clientID), workroomtest.As(freeID)
	r := w.Room(t, clientID, freeID, "Logo design")
	for i := range 7 {
		if _, err := w.Svc.Post(client, r.ID, "m"+strconv.Itoa(i+1), workroom.SourceCommand); err != nil {
			t.Fatal(err)
		}
	}
	rooms := roomsOf(t, w, free)
	if rooms[0].Unread != 8 {
		t.Fatalf("freelancer unread = %d, want 8 (the hired notice and 7 messages)", rooms[0].Unread)
	}
	if rooms := roomsOf(t, w, client); rooms[0].Unread != 0 {
		t.Fatalf("author's own messages count as unread: %d", rooms[0].Unread)
	}
	var bodies []string
	before := uint64(0)
	for {
		p, err := w.Svc.Messages(free, r.ID, before, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Messages {
			bodies = append(bodies, m.Body)
		}
		if p.Before == 0 {
			break
		}
		before = p.Before
	}
	if got := strings.Join(bodies[:7], ","); got != "m7,m6,m5,m4,m3,m2,m1" || len(bodies) != 8 {
		t.Fatalf("paged %s", got)
	}
	if rooms := roomsOf(t, w, free); rooms[0].Unread != 0 {
		t.Fatalf("reading the newest page left %d unread", rooms[0].Unread)
	}
	_, err := w.Svc.Messages(free, r.ID, 0, workroom.MaxPageSize+1)
	wantCode(t, err, workroom.EINVALID)
}

func TestPost_ReachesMembersLiveSessions(t *testing.T) {
	w := newWorld(t)
	clientID, freeID := w.SignUp(t, "client"), w.SignUp(t, "free")
	client := workroomtest.As(clientID)
	outsider := w.SignUp(t, "outsider")
	r := w.Room(t, clientID, freeID, "Logo design")
	sub := subscribe(t, w, freeID)
	other := subscribe(t, w, outsider)
	m, err := w.Svc.Post(client, r.ID, "live", workroom.SourceTerminal)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-sub.Events():
		if ev.Kind != workroom.EventMessage || ev.Message.ID != m.ID {
			t.Fatalf("event = %+v", ev)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("member's session got no event")
	}
	select {
	case ev := <-other.Events():
		t.Fatalf("outsider's session got %+v", ev)
	default:
	}
}

func TestPermissionMatrix(t *testing.T) {
	all := []workroom.Action{workroom.ActionRead, workroom.ActionPost, workroom.ActionUpload, workroom.ActionDeleteOwn, workroom.ActionDeleteAny, workroom.ActionManagePeople, workroom.ActionComplete}
	want := map[workroom.Role]string{ // one letter per action above: y or n
		workroom.RoleClient:     "yyyyyyy",
		workroom.RoleFreelancer: "yyyynnn",
		workroom.RoleTeam:       "yyyynnn",
		workroom.RoleGuest:      "yynnnnn",
		workroom.Role("nobody"): "nnnnnnn",
	}
	for role, row := range want {
		for i, a := range all {
			if got := role.Can(a); got != (row[i] == 'y') {
				t.Errorf("%s can %s = %v, want %v", role, a, got, !got)
			}
		}
	}
}

func TestAward_TellsBothMembersLiveSessions(t *testing.T) {
	w := newWorld(t)
	client, free := w.SignUp(t, "client"), w.SignUp(t, "free")
	subs := []*workroom.Session{subscribe(t, w, client), subscribe(t, w, free)}
	r := w.Room(t, client, free, "Logo design")
	for i, sub := range subs {
		// The client's session first hears of the proposal (EventJob).
		ev := next(t, sub, workroom.EventRoom)
		if ev.RoomID != r.ID || ev.Row == nil || ev.Row.ID != r.ID {
			t.Fatalf("session %d got %+v, want a room event for %d with its row", i, ev, r.ID)
		}
		sub.Close()
	}
}
