package storetest

import (
	"strings"
	"testing"

	"github.com/workroom/workroom"
)

// testReplyKeys: enqueuing a mail with a reply key stores it once per
// member and room, later mails carry the stored one, and revoking drops it.
func testReplyKeys(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	send := func(key string) workroom.Mail {
		t.Helper()
		mails := []workroom.Mail{{To: "bob@example.com", Created: t0, NextTry: t0,
			ReplyKey: &workroom.ReplyKey{Key: key, RoomID: r.ID, UserID: bob.ID, Created: t0}}}
		_, _, err := s.AppendMessage(ctx, &workroom.Message{RoomID: r.ID, AuthorID: ada.ID, Body: "hi", Created: t0}, mails)
		must(t, err)
		return mails[0]
	}
	first := send("aaaa")
	if first.ReplyKey.Key != "aaaa" {
		t.Fatalf("first mail carries key %q, want its own aaaa", first.ReplyKey.Key)
	}
	if second := send("bbbb"); second.ReplyKey.Key != "aaaa" {
		t.Fatalf("second mail carries key %q, want the stored aaaa", second.ReplyKey.Key)
	}
	pending, err := s.PendingMail(ctx, t0, all)
	must(t, err)
	if len(pending) != 2 || pending[1].ReplyKey == nil || pending[1].ReplyKey.Key != "aaaa" {
		t.Fatalf("outbox holds %+v, want two mails with key aaaa", pending)
	}
	k, err := s.ReplyKey(ctx, "aaaa")
	must(t, err)
	if k.RoomID != r.ID || k.UserID != bob.ID {
		t.Fatalf("ReplyKey = %+v, want bob's in room %d", k, r.ID)
	}
	_, err = s.ReplyKey(ctx, "bbbb")
	wantCode(t, err, workroom.ENOTFOUND)

	must(t, s.RevokeReplyKey(ctx, r.ID, bob.ID))
	_, err = s.ReplyKey(ctx, "aaaa")
	wantCode(t, err, workroom.ENOTFOUND)
	must(t, s.RevokeReplyKey(ctx, r.ID, bob.ID)) // none left: no error
	if third := send("cccc"); third.ReplyKey.Key != "cccc" {
		t.Fatalf("after revoking, a mail carries %q, want its new key cccc", third.ReplyKey.Key)
	}
}

// testUndeliverable: a bounce marks the account that verified the
// address; verifying again clears it; an unverified address is nobody's.
func testUndeliverable(t *testing.T, s workroom.Store) {
	ada := newUser(t, s, "ada")
	_, err := s.MarkUndeliverable(ctx, "ada@example.com")
	wantCode(t, err, workroom.ENOTFOUND) // not verified yet
	must(t, markVerified(s, ada.ID))
	u, err := s.MarkUndeliverable(ctx, "ADA@Example.com")
	must(t, err)
	if u.ID != ada.ID || !u.EmailUndeliverable {
		t.Fatalf("MarkUndeliverable = %+v, want ada marked", u)
	}
	if u, _ := s.User(ctx, ada.ID); !u.EmailUndeliverable {
		t.Fatal("the mark was not stored")
	}
	must(t, markVerified(s, ada.ID))
	if u, _ := s.User(ctx, ada.ID); u.EmailUndeliverable || !u.EmailVerified {
		t.Fatalf("after verifying again: %+v, want verified and deliverable", u)
	}
}

// testPostMail: files, message, Message-ID and mails together; a
// redelivery or a quota refusal changes nothing.
func testPostMail(t *testing.T, s workroom.Store) {
	ada, bob := newUser(t, s, "ada"), newUser(t, s, "bob")
	r := newRoom(t, s, ada, bob)
	posting := func(mid string, sizes ...int64) *workroom.MailPosting {
		p := &workroom.MailPosting{MessageID: mid,
			Message: &workroom.Message{RoomID: r.ID, AuthorID: bob.ID, Body: "by mail", Source: workroom.SourceEmail, Created: t0},
			Mails:   []workroom.Mail{{To: "ada@example.com", Created: t0, NextTry: t0}}}
		for i, n := range sizes {
			p.Files = append(p.Files, workroom.VersionCommit{Room: r.ID, Path: mid + string(rune('a'+i)) + ".pdf",
				Version: version(mid+string(rune('a'+i)), n, bob), DefaultQuota: 1000})
		}
		return p
	}
	p := posting("m1", 100, 200)
	_, members, err := s.PostMail(ctx, p)
	must(t, err)
	if p.Message.ID != 1 || len(p.Message.Attachments) != 2 || p.Message.Attachments[1].Version.N != 1 || len(members) != 2 {
		t.Fatalf("posted %+v with %d members, want message 1 with two files at version 1", p.Message, len(members))
	}
	if id, err := s.MailPosted(ctx, r.ID, "m1"); err != nil || id != 1 {
		t.Fatalf("MailPosted(m1) = %d, %v; want 1", id, err)
	}
	_, err = s.MailPosted(ctx, r.ID+1, "m1")
	wantCode(t, err, workroom.ENOTFOUND) // per room
	if used(t, s, r) != 300 {
		t.Fatalf("used %d, want 300", used(t, s, r))
	}
	pending, _ := s.PendingMail(ctx, t0, all)

	_, _, err = s.PostMail(ctx, posting("m1", 50))
	wantRefusal(t, err, workroom.ECONFLICT, workroom.RuleDuplicateMail)
	_, _, err = s.PostMail(ctx, posting("m2", 400, 400))
	wantRefusal(t, err, workroom.ELIMIT, workroom.RuleQuota)

	msgs, _ := s.Page(ctx, r.ID, 0, all)
	files, _ := s.Files(ctx, r.ID, "", all)
	after, _ := s.PendingMail(ctx, t0, all)
	if len(msgs) != 1 || len(files) != 2 || used(t, s, r) != 300 || len(after) != len(pending) {
		t.Fatalf("after a duplicate and an over-quota mail: %d messages, %d files, %d used, %d mails; want 1, 2, 300, %d",
			len(msgs), len(files), used(t, s, r), len(after), len(pending))
	}
	_, _, err = s.PostMail(ctx, posting("", 10))
	must(t, err)                                 // no Message-ID: no dedupe
	long := posting(strings.Repeat("m", 40<<10)) // a sender picks the Message-ID
	_, _, err = s.PostMail(ctx, long)
	must(t, err)
	if id, err := s.MailPosted(ctx, r.ID, long.MessageID); err != nil || id != long.Message.ID {
		t.Fatalf("MailPosted(a 40 KiB Message-ID) = %d, %v; want %d", id, err, long.Message.ID)
	}
}
