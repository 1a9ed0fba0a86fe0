package workroom_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

var bg = context.Background()

// replyKeyOf returns the reply key of the newest notification to email.
func replyKeyOf(t *testing.T, w *workroomtest.World, email string) string {
	t.Helper()
	got := notificationsTo(t, w, email)
	if len(got) == 0 || got[len(got)-1].ReplyKey == nil {
		t.Fatalf("no notification with a reply key to %s", email)
	}
	return got[len(got)-1].ReplyKey.Key
}

func TestNotification_CarriesOneReplyKeyPerMemberAndBouncesAddress(t *testing.T) {
	w := workroomtest.New(t)
	ada, bob := verified(t, w, "Ada"), verified(t, w, "Bob")
	r := w.Room(t, ada, bob, "Logo")
	w.Post(t, ada, r.ID, "one")
	first := replyKeyOf(t, w, workroomtest.Email("Bob"))
	w.Post(t, ada, r.ID, "two")
	if again := replyKeyOf(t, w, workroomtest.Email("Bob")); again != first {
		t.Fatalf("second notification has key %s, want the first's %s", again, first)
	}
	if len(first) != 32 || strings.ToLower(first) != first {
		t.Fatalf("key %q is not 128 bits of lowercase hex", first)
	}
	m := notificationsTo(t, w, workroomtest.Email("Bob"))[0]
	if !strings.Contains(m.Body, "Reply to this mail to post your answer in the workroom (keep the subject") {
		t.Errorf("the notification does not say a reply posts:\n%s", m.Body)
	}
	if m.Sender != "bounces@"+workroomtest.MailDomain {
		t.Fatalf("envelope sender %q, want bounces@%s", m.Sender, workroomtest.MailDomain)
	}
}

func TestMailRecipient_OutsiderLearnsNothing(t *testing.T) {
	w := workroomtest.New(t)
	ada, bob, eve := verified(t, w, "Ada"), verified(t, w, "Bob"), verified(t, w, "Eve")
	r := w.Room(t, ada, bob, "Logo")
	_ = eve
	rcpt := func(n workroom.RoomID) string { return "room-" + itoa(n) + "@" + workroomtest.MailDomain }
	_, notIn := w.Svc.MailRecipient(bg, workroomtest.Email("Eve"), rcpt(r.ID))
	_, missing := w.Svc.MailRecipient(bg, workroomtest.Email("Eve"), rcpt(r.ID+7))
	_, stranger := w.Svc.MailRecipient(bg, "nobody@example.org", rcpt(r.ID))
	if notIn == nil || workroom.ErrorCode(notIn) != workroom.ENOTFOUND ||
		strings.ReplaceAll(notIn.Error(), itoa(r.ID), "N") != strings.ReplaceAll(missing.Error(), itoa(r.ID+7), "N") ||
		stranger.Error() != notIn.Error() {
		t.Fatalf("refusals differ: not in %v, missing %v, stranger %v", notIn, missing, stranger)
	}
	tg, err := w.Svc.MailRecipient(bg, strings.ToUpper(workroomtest.Email("Bob")), strings.ToUpper(rcpt(r.ID)))
	if err != nil || tg.Kind != workroom.MailToRoom || tg.Room != r.ID {
		t.Fatalf("member's mail: %+v, %v", tg, err)
	}
}

func TestMailRecipient_NotifyOffRevokesTheReplyKey(t *testing.T) {
	w := workroomtest.New(t)
	ada, bob := verified(t, w, "Ada"), verified(t, w, "Bob")
	r := w.Room(t, ada, bob, "Logo")
	w.Post(t, ada, r.ID, "one")
	key := replyKeyOf(t, w, workroomtest.Email("Bob"))
	addr := workroom.ReplyAddress(key, workroomtest.MailDomain)
	tg, err := w.Svc.MailRecipient(bg, "anyone@example.org", addr)
	if err != nil || tg.Kind != workroom.MailToReply || tg.Subject != "[workroom] Logo" {
		t.Fatalf("reply address: %+v, %v", tg, err)
	}
	if err := w.Svc.SetNotify(workroomtest.As(bob), r.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err = w.Svc.MailRecipient(bg, workroomtest.Email("Bob"), addr)
	_, unknown := w.Svc.MailRecipient(bg, workroomtest.Email("Bob"), workroom.ReplyAddress(strings.Repeat("ab", 16), workroomtest.MailDomain))
	if workroom.ErrorCode(err) != workroom.ENOTFOUND || strings.Replace(err.Error(), key, "K", 1) != strings.Replace(unknown.Error(), strings.Repeat("ab", 16), "K", 1) {
		t.Fatalf("revoked key: %v; unknown key: %v; want the same ENOTFOUND", err, unknown)
	}
}

// mailTo resolves rcpt for bob and posts p with files through the mail
// path, as the SMTP server does.
func mailTo(t *testing.T, w *workroomtest.World, from, rcpt string, p *workroom.MailPost, files map[string]string) (*workroom.Message, bool, error) {
	t.Helper()
	tg, err := w.Svc.MailRecipient(bg, from, rcpt)
	if err != nil {
		t.Fatal(err)
	}
	for n := range files {
		p.Files = append(p.Files, n)
	}
	if dup, err := w.Svc.CheckMail(bg, tg, p); err != nil || dup {
		w.Svc.Discard(bg, tg)
		return nil, dup, err
	}
	for _, n := range p.Files {
		if err := w.Svc.StageMailFile(bg, tg, n, strings.NewReader(files[n])); err != nil {
			w.Svc.Discard(bg, tg)
			return nil, false, err
		}
	}
	return w.Svc.PostMail(bg, tg, p)
}

func TestPostMail_PostsTextAndFilesOnceAsTheMember(t *testing.T) {
	w := workroomtest.New(t)
	ada, bob := verified(t, w, "Ada"), verified(t, w, "Bob")
	r := w.Room(t, ada, bob, "Logo")
	rcpt := "room-" + itoa(r.ID) + "@" + workroomtest.MailDomain
	bobMail := workroomtest.Email("Bob")
	post := func() *workroom.MailPost {
		return &workroom.MailPost{Envelope: bobMail, From: []string{bobMail}, MessageID: "abc@example.com", Body: "here it is", Unverified: true}
	}
	m, dup, err := mailTo(t, w, bobMail, rcpt, post(), map[string]string{"brief.pdf": "%PDF"})
	if err != nil || dup {
		t.Fatal(err, dup)
	}
	if m.Source != workroom.SourceEmail || m.AuthorID != bob.User.ID || !m.Unverified || len(m.Attachments) != 1 || m.Attachments[0].Path != "brief.pdf" {
		t.Fatalf("posted %+v", m)
	}
	if _, dup, err := mailTo(t, w, bobMail, rcpt, post(), map[string]string{"brief.pdf": "%PDF"}); err != nil || !dup {
		t.Fatalf("redelivery: dup %v, err %v; want a duplicate", dup, err)
	}
	if n := byMail(t, w, ada, r.ID); n != 1 {
		t.Fatalf("%d messages by mail after a redelivery, want 1", n)
	}
}

func TestPostMail_RefusedMailStoresNothing(t *testing.T) {
	w := workroomtest.New(t)
	ada, bob := verified(t, w, "Ada"), verified(t, w, "Bob")
	r := w.Room(t, ada, bob, "Logo")
	if err := w.DB.SetQuota(bg, r.ID, 30); err != nil {
		t.Fatal(err)
	}
	rcpt := "room-" + itoa(r.ID) + "@" + workroomtest.MailDomain
	bobMail := workroomtest.Email("Bob")
	for name, files := range map[string]map[string]string{
		"one file over quota":       {"big.pdf": strings.Repeat("x", 40)},
		"two files together over":   {"a.pdf": strings.Repeat("a", 20), "b.pdf": strings.Repeat("b", 20)},
		"a good file and an .exe":   {"a.pdf": "a", "setup.exe": "MZ"},
		"a traversal name":          {"../../etc/passwd.txt": "root"},
		"a bidi override in a name": {"gpj\u202e.exe": "x"},
	} {
		p := &workroom.MailPost{Envelope: bobMail, From: []string{bobMail}, Body: "files"}
		_, _, err := mailTo(t, w, bobMail, rcpt, p, files)
		if err == nil {
			t.Errorf("%s: posted", name)
		}
	}
	files, _ := w.DB.Files(bg, r.ID, "", 100)
	u, _ := w.DB.Usage(bg, r.ID, 0)
	if n := byMail(t, w, ada, r.ID); n != 0 || len(files) != 0 || u.Used != 0 {
		t.Fatalf("after refusals: %d messages, %d files, %d bytes used; want none", n, len(files), u.Used)
	}
	// A refused mail's blobs go at once: a collection a grace later
	// finds none.
	if _, err := w.Svc.CollectBlobs(bg); err != nil {
		t.Fatal(err)
	}
	w.Advance(workroom.BlobGrace + time.Hour)
	if sums, _ := w.Svc.CollectBlobs(bg); len(sums) != 0 {
		t.Fatalf("%d blobs were left behind", len(sums))
	}
}

func TestMailBounced_StopsNotificationsUntilVerifiedAgain(t *testing.T) {
	w := workroomtest.New(t)
	ada, bob := verified(t, w, "Ada"), verified(t, w, "Bob")
	r := w.Room(t, ada, bob, "Logo")
	if n, err := w.Svc.MailBounced(bg, []string{"BOB@example.com", "stranger@example.org"}); err != nil || n != 1 {
		t.Fatalf("MailBounced = %d, %v; want 1 marked", n, err)
	}
	before := len(notificationsTo(t, w, workroomtest.Email("Bob")))
	w.Post(t, ada, r.ID, "hello")
	if n := len(notificationsTo(t, w, workroomtest.Email("Bob"))) - before; n != 0 {
		t.Fatalf("undeliverable Bob got %d notifications", n)
	}
	w.Advance(2 * 60e9)
	if err := w.Svc.ResendVerification(workroomtest.As(bob)); err != nil {
		t.Fatal(err)
	}
	if err := w.Svc.Verify(workroomtest.As(bob), w.Code(t, workroomtest.Email("Bob"))); err != nil {
		t.Fatal(err)
	}
	w.Post(t, ada, r.ID, "again")
	if n := len(notificationsTo(t, w, workroomtest.Email("Bob"))) - before; n != 1 {
		t.Fatalf("after verifying again Bob has %d notifications, want 1", n)
	}
}

// byMail counts the room's messages that came by mail.
func byMail(t *testing.T, w *workroomtest.World, reader *workroom.Identity, room workroom.RoomID) int {
	t.Helper()
	page, err := w.Svc.Messages(workroomtest.As(reader), room, 0, workroom.MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range page.Messages {
		if m.Source == workroom.SourceEmail {
			n++
		}
	}
	return n
}
