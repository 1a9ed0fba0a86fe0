package workroom_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/live"
	"github.com/workroom/workroom/store"
)

// fixture is a service on a real bbolt file with a clock the test moves.
type fixture struct {
	t   *testing.T
	svc *workroom.Service
	hub *live.Hub
	mu  sync.Mutex
	now time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "workroom.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	f := &fixture{t: t, hub: live.New(), now: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	f.svc = workroom.NewService(db, f.hub, workroom.Config{
		MailDomain: "test.localhost",
		Admins:     []string{"SHA256:admin-key", "boss@example.com"},
		Now:        f.clock,
	}, slog.New(slog.DiscardHandler))
	return f
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// signUp creates an account and returns a context acting as it.
func (f *fixture) signUp(name string) (context.Context, *workroom.User) {
	f.t.Helper()
	u, err := f.svc.SignUp(context.Background(), key(name), name, name+"@example.com")
	if err != nil {
		f.t.Fatal(err)
	}
	return workroom.NewContextWithUser(context.Background(), u), u
}

func key(name string) workroom.Key {
	return workroom.Key{Fingerprint: "SHA256:" + name, Authorized: "ssh-ed25519 AAAA" + name}
}

var codeLine = regexp.MustCompile(`(?m)^Verification code: (\d{6})$`)

// lastCode returns the code in the newest verification mail to addr.
func (f *fixture) lastCode(addr string) string {
	f.t.Helper()
	mails, err := f.svc.PendingMail(context.Background(), 100)
	if err != nil {
		f.t.Fatal(err)
	}
	code := ""
	for _, m := range mails {
		if m.To == addr {
			if c := codeLine.FindStringSubmatch(m.Body); c != nil {
				code = c[1]
			}
		}
	}
	if code == "" {
		f.t.Fatalf("no verification mail to %s among %d", addr, len(mails))
	}
	return code
}

// room makes client post a job, freelancer propose and client award.
func (f *fixture) room(client, freelancer context.Context) *workroom.Room {
	f.t.Helper()
	j, err := f.svc.PostJob(client, "Logo design", "a fox")
	if err != nil {
		f.t.Fatal(err)
	}
	p, err := f.svc.Propose(freelancer, j.ID, "I draw foxes")
	if err != nil {
		f.t.Fatal(err)
	}
	r, err := f.svc.Award(client, j.ID, p.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := workroom.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

func TestSignUp_ValidatesNameAndEmail(t *testing.T) {
	tests := []struct {
		name, user, email, code, says string
	}{
		{"ok", "Ada Lovelace", "ada@example.com", "", ""},
		{"blank name", "  ", "ada@example.com", workroom.EINVALID, "name is required"},
		{"control in name", "Ada\x1b[2J", "ada@example.com", workroom.EINVALID, "control characters"},
		{"overlong name", strings.Repeat("a", workroom.MaxNameLength+1), "ada@example.com", workroom.EINVALID, "longer than 64"},
		{"no email", "Ada", "", workroom.EINVALID, "email is required"},
		{"not an address", "Ada", "ada", workroom.EINVALID, "not an email address"},
		{"display name", "Ada", "Ada <ada@example.com>", workroom.EINVALID, "not an email address"},
		{"header injection", "Ada", "ada@example.com\r\nBcc: x@y.z", workroom.EINVALID, "not an email address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.svc.SignUp(context.Background(), key("k"), tt.user, tt.email)
			wantCode(t, err, tt.code)
			if err != nil && !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("error %q does not say %q", err, tt.says)
			}
		})
	}
}

func TestSignUp_RefusesTakenKeyAndEmail(t *testing.T) {
	f := newFixture(t)
	f.signUp("ada")
	_, err := f.svc.SignUp(context.Background(), key("ada"), "Other", "other@example.com")
	wantCode(t, err, workroom.ECONFLICT)
	_, err = f.svc.SignUp(context.Background(), key("new"), "Other", "ADA@Example.com")
	wantCode(t, err, workroom.ECONFLICT)
}

func TestAuthenticate_KnownUnknownAndAdmin(t *testing.T) {
	f := newFixture(t)
	_, ada := f.signUp("ada")
	id, err := f.svc.Authenticate(context.Background(), key("ada"))
	if err != nil || id.User == nil || id.User.ID != ada.ID {
		t.Fatalf("Authenticate(ada) = %+v, %v", id, err)
	}
	id, err = f.svc.Authenticate(context.Background(), key("stranger"))
	if err != nil || id.User != nil {
		t.Fatalf("Authenticate(unknown) = %+v, %v; want identity without user", id, err)
	}
	if f.svc.IsAdmin(id) {
		t.Fatal("unknown key is admin")
	}
	f.signUp("admin-key")
	id, _ = f.svc.Authenticate(context.Background(), key("admin-key"))
	if !f.svc.IsAdmin(id) {
		t.Fatal("configured admin fingerprint is not admin")
	}
}

func TestVerify_CodeAttemptsExpiryAndResend(t *testing.T) {
	f := newFixture(t)
	ctx, _ := f.signUp("ada")
	code := f.lastCode("ada@example.com")
	err := f.svc.Verify(ctx, "000000x")
	wantCode(t, err, workroom.EINVALID)
	if !strings.Contains(err.Error(), "4 tries left") {
		t.Fatalf("wrong code says %q, want the tries left", err)
	}
	for range 4 {
		_ = f.svc.Verify(ctx, "bad")
	}
	err = f.svc.Verify(ctx, code)
	wantCode(t, err, workroom.ELIMIT)
	if !strings.Contains(err.Error(), "verify --resend") {
		t.Fatalf("used-up code says %q, want how to get a new one", err)
	}
	wantCode(t, f.svc.ResendVerification(ctx), workroom.ELIMIT) // within a minute of sign-up
	f.advance(2 * time.Minute)
	if err := f.svc.ResendVerification(ctx); err != nil {
		t.Fatal(err)
	}
	fresh := f.lastCode("ada@example.com")
	f.advance(workroom.VerificationTTL + time.Second)
	wantCode(t, f.svc.Verify(ctx, fresh), workroom.ELIMIT) // expired
	f.advance(time.Minute)
	if err := f.svc.ResendVerification(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Verify(ctx, f.lastCode("ada@example.com")); err != nil {
		t.Fatalf("right code refused: %v", err)
	}
	id, _ := f.svc.Authenticate(context.Background(), key("ada"))
	if !id.User.EmailVerified {
		t.Fatal("email not marked verified")
	}
	wantCode(t, f.svc.Verify(ctx, "123456"), workroom.ECONFLICT)
}

func TestVerificationMail_IsAddressedAndCarriesCode(t *testing.T) {
	f := newFixture(t)
	f.signUp("ada")
	mails, _ := f.svc.PendingMail(context.Background(), 10)
	if len(mails) != 1 {
		t.Fatalf("%d mails queued, want 1", len(mails))
	}
	m := mails[0]
	if m.To != "ada@example.com" || !strings.Contains(m.From, "@test.localhost") || m.Subject == "" || !strings.HasPrefix(m.MessageID, "<") {
		t.Fatalf("mail = %+v", m)
	}
	if !codeLine.MatchString(m.Body) {
		t.Fatalf("body has no code line: %q", m.Body)
	}
}

func TestKeys_AddAndRemoveButNeverTheLast(t *testing.T) {
	f := newFixture(t)
	ctx, _ := f.signUp("ada")
	wantCode(t, f.svc.RemoveKey(ctx, "SHA256:ada"), workroom.ECONFLICT)
	if _, err := f.svc.AddKey(ctx, key("ada-laptop")); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.AddKey(ctx, key("ada-laptop"))
	wantCode(t, err, workroom.ECONFLICT)
	wantCode(t, f.svc.RemoveKey(ctx, "SHA256:nope"), workroom.ENOTFOUND)
	if err := f.svc.RemoveKey(ctx, "SHA256:ada"); err != nil {
		t.Fatal(err)
	}
	id, _ := f.svc.Authenticate(context.Background(), key("ada"))
	if id.User != nil {
		t.Fatal("removed key still authenticates as the account")
	}
}

func TestUnknownKey_MaySignUpOnly(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.svc.Rooms(ctx)
	wantCode(t, err, workroom.EFORBIDDEN)
	if !strings.Contains(err.Error(), "signup --name") {
		t.Fatalf("refusal %q does not say how to sign up", err)
	}
	_, err = f.svc.PostJob(ctx, "t", "")
	wantCode(t, err, workroom.EFORBIDDEN)
}

func TestJobs_ProposeAwardRules(t *testing.T) {
	f := newFixture(t)
	client, _ := f.signUp("client")
	free, freeUser := f.signUp("free")
	other, _ := f.signUp("other")

	_, err := f.svc.PostJob(client, " ", "")
	wantCode(t, err, workroom.EINVALID)
	j, err := f.svc.PostJob(client, "Logo", "a fox")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Propose(client, j.ID, "me")
	wantCode(t, err, workroom.EFORBIDDEN) // own job
	open, _ := f.svc.OpenJobs(free)
	if len(open) != 1 || open[0].ID != j.ID {
		t.Fatalf("OpenJobs for freelancer = %+v", open)
	}
	if open, _ := f.svc.OpenJobs(client); len(open) != 0 {
		t.Fatalf("client sees own job among open jobs: %+v", open)
	}
	_, err = f.svc.Propose(free, j.ID, "  ")
	wantCode(t, err, workroom.EINVALID)
	p, err := f.svc.Propose(free, j.ID, "I draw foxes")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Propose(free, j.ID, "again")
	wantCode(t, err, workroom.ECONFLICT)
	op, err := f.svc.Propose(other, j.ID, "me too")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Proposals(free, j.ID)
	wantCode(t, err, workroom.EFORBIDDEN)
	ps, err := f.svc.Proposals(client, j.ID)
	if err != nil || len(ps) != 2 {
		t.Fatalf("Proposals = %+v, %v", ps, err)
	}
	_, err = f.svc.Award(free, j.ID, p.ID)
	wantCode(t, err, workroom.EFORBIDDEN)
	_, err = f.svc.Award(client, j.ID, 999)
	wantCode(t, err, workroom.ENOTFOUND)
	r, err := f.svc.Award(client, j.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Award(client, j.ID, op.ID)
	wantCode(t, err, workroom.ECONFLICT)
	_, err = f.svc.Propose(other, j.ID, "late")
	wantCode(t, err, workroom.ENOTFOUND) // an awarded job is no longer visible to others
	ms, err := f.svc.Members(free, r.ID)
	if err != nil || len(ms) != 2 || ms[1].UserID != freeUser.ID || ms[1].Role != workroom.RoleFreelancer {
		t.Fatalf("Members = %+v, %v", ms, err)
	}
	rooms, _ := f.svc.Rooms(free)
	if len(rooms) != 1 || rooms[0].Email != "room-1@test.localhost" || rooms[0].Role != workroom.RoleFreelancer {
		t.Fatalf("Rooms = %+v", rooms)
	}
}

func TestOutsider_CannotLearnARoomExists(t *testing.T) {
	f := newFixture(t)
	client, _ := f.signUp("client")
	free, _ := f.signUp("free")
	outsider, _ := f.signUp("outsider")
	r := f.room(client, free)
	missing := r.ID + 1000

	calls := map[string]func(workroom.RoomID) error{
		"Room":     func(id workroom.RoomID) error { _, err := f.svc.Room(outsider, id); return err },
		"Members":  func(id workroom.RoomID) error { _, err := f.svc.Members(outsider, id); return err },
		"Messages": func(id workroom.RoomID) error { _, err := f.svc.Messages(outsider, id, 0, 10); return err },
		"Post": func(id workroom.RoomID) error {
			_, err := f.svc.Post(outsider, id, "hi", workroom.SourceCommand)
			return err
		},
		"MarkRead": func(id workroom.RoomID) error { return f.svc.MarkRead(outsider, id, 1) },
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
	f := newFixture(t)
	client, _ := f.signUp("client")
	free, _ := f.signUp("free")
	r := f.room(client, free)
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
			_, err := f.svc.Post(client, r.ID, tt.body, workroom.SourceCommand)
			wantCode(t, err, tt.code)
		})
	}
	_, err := f.svc.Post(client, r.ID, strings.Repeat("a", workroom.MaxBodyLength+1), workroom.SourceCommand)
	if !strings.Contains(err.Error(), "20000") {
		t.Fatalf("overlong refusal %q does not name the limit", err)
	}
}

func TestMessages_NewestFirstPagingAndUnread(t *testing.T) {
	f := newFixture(t)
	client, _ := f.signUp("client")
	free, _ := f.signUp("free")
	r := f.room(client, free)
	for i := range 7 {
		if _, err := f.svc.Post(client, r.ID, "m"+strconv.Itoa(i+1), workroom.SourceCommand); err != nil {
			t.Fatal(err)
		}
	}
	rooms, _ := f.svc.Rooms(free)
	if rooms[0].Unread != 7 {
		t.Fatalf("freelancer unread = %d, want 7", rooms[0].Unread)
	}
	if rooms, _ := f.svc.Rooms(client); rooms[0].Unread != 0 {
		t.Fatalf("author's own messages count as unread: %d", rooms[0].Unread)
	}
	var bodies []string
	before := uint64(0)
	for {
		p, err := f.svc.Messages(free, r.ID, before, 3)
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
	if got := strings.Join(bodies, ","); got != "m7,m6,m5,m4,m3,m2,m1" {
		t.Fatalf("paged %s", got)
	}
	if rooms, _ := f.svc.Rooms(free); rooms[0].Unread != 0 {
		t.Fatalf("reading the newest page left %d unread", rooms[0].Unread)
	}
	_, err := f.svc.Messages(free, r.ID, 0, workroom.MaxPageSize+1)
	wantCode(t, err, workroom.EINVALID)
}

func TestPost_ReachesMembersLiveSessions(t *testing.T) {
	f := newFixture(t)
	client, _ := f.signUp("client")
	free, freeUser := f.signUp("free")
	_, outsiderUser := f.signUp("outsider")
	r := f.room(client, free)
	sub := f.svc.Subscribe(freeUser)
	defer sub.Close()
	other := f.svc.Subscribe(outsiderUser)
	defer other.Close()
	m, err := f.svc.Post(client, r.ID, "live", workroom.SourceTerminal)
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
	f := newFixture(t)
	client, clientUser := f.signUp("client")
	free, freeUser := f.signUp("free")
	subs := []workroom.Subscription{f.svc.Subscribe(clientUser), f.svc.Subscribe(freeUser)}
	r := f.room(client, free)
	for i, sub := range subs {
		select {
		case ev := <-sub.Events():
			if ev.Kind != workroom.EventRoom || ev.RoomID != r.ID {
				t.Fatalf("session %d got %+v, want a room event for %d", i, ev, r.ID)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("session %d got no event for the award", i)
		}
		sub.Close()
	}
}
