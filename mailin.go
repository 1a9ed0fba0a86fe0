package workroom

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Mail in: people post into a workroom by mail, to the room's address
// (room-N@<mail domain>) or by replying to a notification (its Reply-To,
// reply+KEY@<mail domain>, replykey.go). The mail transport reads the
// SMTP conversation and the MIME, and authenticates the sender (DKIM,
// SPF, DMARC); the service decides everything else, here:
//
//   - MailRecipient, at RCPT, resolves the address to a room and the
//     member who may post there: for a room address the member whose
//     verified address is the envelope sender, for a reply address the
//     member the key belongs to. Anyone else — an unknown room, a room the
//     sender is not in, an unknown or revoked key — gets the same answer,
//     so an outsider learns nothing.
//   - CheckMail, once the mail is read, applies the rules of what the
//     mail says (one From, the member's own address, the subject of a
//     reply, something to post, the files' names and number) before any
//     file is stored.
//   - StageMailFile takes each attachment through the upload pipeline —
//     the file rules, the size limit, the quota, the virus scan — into a
//     blob no version refers to yet.
//   - PostMail records the files, the message, the Message-ID (so a
//     redelivery is not posted twice) and the notifications in one store
//     transaction (Store.PostMail): a refused or interrupted mail leaves
//     nothing visible (its blobs are dropped at once), and a crash leaves
//     at most blobs nothing refers to, which CollectBlobs removes; the
//     sender's server, which got no 250, delivers the mail again.

// MailTargetKind says what an address of the server receives.
type MailTargetKind int

const (
	MailToRoom    MailTargetKind = iota // room-N@: a member posts
	MailToReply                         // reply+KEY@: a member replies to a notification
	MailToBounces                       // bounces@: delivery status notifications
)

// MailTarget is one accepted recipient of a mail: the room and the member
// who posts there. Its fields are the service's; a transport passes it
// back and calls Discard when it does not post it.
type MailTarget struct {
	Kind MailTargetKind
	Room RoomID
	// Address is the recipient as given.
	Address string
	// Subject is the subject a reply must keep (the notifications' of the
	// room); "" for a room address.
	Subject string
	poster  *User
	staged  []stagedFile
}

// stagedFile is an attachment stored as a blob, waiting for PostMail.
type stagedFile struct {
	path    string
	version Version
	release func() // lets go of the blob's hold (BlobHolds)
}

// MailPost is what a mail says, as the transport read it.
type MailPost struct {
	// Envelope is the envelope sender (MAIL FROM).
	Envelope string
	// From is every address of the From header.
	From []string
	// Authenticated is whether DKIM or SPF passed aligned with From's
	// domain (DMARC); Unverified whether nothing authenticated From
	// (posted, marked).
	Authenticated, Unverified bool
	// SubjectKept is whether the subject is the target's Subject, with
	// any Re:/Fwd: prefixes (for a reply).
	SubjectKept bool
	MessageID   string
	// Body is the text to post, quotes and signatures already stripped.
	Body string
	// Files are the attachments' names as the sender gave them, in order.
	Files []string
}

// Rules of mail in, for the transport's replies.
const (
	RuleMailFrom       Rule = "mail_from"       // From is not one address, the member's own
	RuleMailSender     Rule = "mail_sender"     // the envelope sender is not From, and From is unauthenticated
	RuleSubjectChanged Rule = "subject_changed" // a reply changed the notification's subject
	RuleEmptyMail      Rule = "empty_mail"      // nothing to post after stripping, and no files
	RuleDuplicateMail  Rule = "duplicate_mail"  // the room has a message from this Message-ID (a store's refusal)
	RuleUnknownAddress Rule = "unknown_address" // no such mailbox, or not one the sender may use
	RuleMailRate       Rule = "mail_rate"       // the member posts faster than Limits.Messages allows
)

// errNoMailbox is the one answer for a reply address that does not take
// mail: unknown, revoked, or its member gone.
func errNoMailbox(address string) *Error {
	return Errorf(ENOTFOUND, "no such mailbox: %s", address).Because(RuleUnknownAddress)
}

// MailRecipient resolves a recipient of a mail from envelope sender from.
// errNoRoom for a room address when the room does not exist, the sender
// is no member's verified address, or that member may not post — one
// answer for all three; errNoMailbox for an unknown or revoked reply
// address, or another domain's address.
func (s *Service) MailRecipient(ctx context.Context, from, rcpt string) (*MailTarget, error) {
	local, domain, ok := strings.Cut(strings.ToLower(strings.TrimSpace(rcpt)), "@")
	if !ok || domain != strings.ToLower(s.cfg.MailDomain) {
		return nil, errNoMailbox(rcpt)
	}
	switch {
	case local == BouncesLocal:
		return &MailTarget{Kind: MailToBounces, Address: rcpt}, nil
	case strings.HasPrefix(local, roomLocalPrefix):
		return s.roomRecipient(ctx, from, rcpt, strings.TrimPrefix(local, roomLocalPrefix))
	case strings.HasPrefix(local, replyLocalPrefix):
		return s.replyRecipient(ctx, rcpt, strings.TrimPrefix(local, replyLocalPrefix))
	}
	return nil, errNoMailbox(rcpt)
}

// roomRecipient resolves room-N@ for the member whose verified address
// sent it.
func (s *Service) roomRecipient(ctx context.Context, from, rcpt, num string) (*MailTarget, error) {
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil || n == 0 || strconv.FormatUint(n, 10) != num {
		return nil, errNoMailbox(rcpt)
	}
	id := RoomID(n)
	u, err := s.store.UserByEmail(ctx, from)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, errNoRoom(id)
	case err != nil:
		return nil, err
	case u.Disabled || u.EmailLost:
		return nil, errNoRoom(id)
	}
	if _, _, err := s.authorize(NewContextWithUser(ctx, u), id, ActionPost); err != nil {
		if ErrorCode(err) == EFORBIDDEN {
			return nil, err
		}
		return nil, errNoRoom(id)
	}
	return &MailTarget{Kind: MailToRoom, Room: id, Address: rcpt, poster: u}, nil
}

// replyRecipient resolves reply+KEY@ for the member the key belongs to.
func (s *Service) replyRecipient(ctx context.Context, rcpt, key string) (*MailTarget, error) {
	if !isReplyKey(key) {
		return nil, errNoMailbox(rcpt)
	}
	k, err := s.store.ReplyKey(ctx, key)
	if ErrorCode(err) == ENOTFOUND {
		return nil, errNoMailbox(rcpt)
	} else if err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, k.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled || !u.EmailVerified || u.EmailLost {
		return nil, errNoMailbox(rcpt)
	}
	if _, _, err := s.authorize(NewContextWithUser(ctx, u), k.RoomID, ActionPost); err != nil {
		return nil, errNoMailbox(rcpt)
	}
	r, err := s.store.Room(ctx, k.RoomID)
	if err != nil {
		return nil, err
	}
	return &MailTarget{Kind: MailToReply, Room: r.ID, Address: rcpt, Subject: notifySubject(r), poster: u}, nil
}

// CheckMail applies the rules of what a mail to t says, before any file
// is stored. It returns duplicate true when the room has a message from a
// mail with p.MessageID already (accept, post nothing). Refusals:
// EINVALID (RuleMailFrom) unless From is exactly one address;
// EFORBIDDEN (RuleMailFrom) when it is not the member's verified address
// (case-insensitive); EFORBIDDEN (RuleMailSender) when the envelope
// sender differs from From and From was not authenticated; EINVALID
// (RuleSubjectChanged) for a reply that changed the subject; EINVALID
// (RuleEmptyMail) with nothing to post; ELIMIT (RuleTooManyAttachments)
// over MaxAttachments; the file rules for a name; EFORBIDDEN when the
// member may not upload and the mail has files.
func (s *Service) CheckMail(ctx context.Context, t *MailTarget, p *MailPost) (duplicate bool, err error) {
	if t.Kind == MailToBounces || t.poster == nil {
		return false, Errorf(EINVALID, "%s takes no posts", t.Address)
	}
	if err := s.checkMailSender(t, p); err != nil {
		return false, err
	}
	if t.Kind == MailToReply && !p.SubjectKept {
		return false, Errorf(EINVALID, "the subject was changed; a reply must keep the notification's subject (%q, Re: is fine), or post in the workroom instead", t.Subject).Because(RuleSubjectChanged)
	}
	ctx = NewContextWithUser(ctx, t.poster)
	if _, _, err := s.authorize(ctx, t.Room, ActionPost); err != nil {
		return false, err
	}
	if _, err := mailBody(p); err != nil {
		return false, err
	}
	if err := s.checkMailFiles(ctx, t, p.Files); err != nil {
		return false, err
	}
	if p.MessageID != "" {
		_, err := s.store.MailPosted(ctx, t.Room, p.MessageID)
		switch ErrorCode(err) {
		case "":
			return true, nil
		case ENOTFOUND:
		default:
			return false, err
		}
	}
	return false, nil
}

// checkMailSender checks that From names the member, and that a
// different envelope sender is backed by an authenticated From.
func (s *Service) checkMailSender(t *MailTarget, p *MailPost) error {
	if len(p.From) != 1 {
		return Errorf(EINVALID, "the From header must name exactly one address; this mail's names %d", len(p.From)).Because(RuleMailFrom)
	}
	from := p.From[0]
	if !strings.EqualFold(from, t.poster.Email) {
		if t.Kind == MailToReply {
			return Errorf(EFORBIDDEN, "%s is not the address this reply address was sent to; reply from the mailbox that got the notification", printable(from)).Because(RuleMailFrom)
		}
		return Errorf(EFORBIDDEN, "From (%s) is not the address the mail was sent from; send from your registered address only", printable(from)).Because(RuleMailFrom)
	}
	// Forwarders and mailing services rewrite the envelope sender; that
	// is fine when From itself is authenticated (DKIM or SPF aligned
	// with its domain), and a forgery otherwise.
	if !strings.EqualFold(p.Envelope, from) && !p.Authenticated {
		return Errorf(EFORBIDDEN, "the envelope sender (%s) is not From (%s), and From could not be authenticated (no aligned DKIM or SPF pass); send from your registered address directly", printable(p.Envelope), printable(from)).Because(RuleMailSender)
	}
	return nil
}

// mailBody returns the text a mail posts; EINVALID (RuleEmptyMail) when
// nothing is left and no files came.
func mailBody(p *MailPost) (string, error) {
	body, err := checkText("message", p.Body, MaxBodyLength, false)
	if err != nil {
		return "", err
	}
	if body == "" && len(p.Files) == 0 {
		return "", Errorf(EINVALID, "nothing is left to post once quoted text and signatures are removed, and no files are attached; write your reply above the quote").Because(RuleEmptyMail)
	}
	return body, nil
}

// checkMailFiles checks the number and names of a mail's files.
func (s *Service) checkMailFiles(ctx context.Context, t *MailTarget, names []string) error {
	if len(names) == 0 {
		return nil
	}
	if len(names) > MaxAttachments {
		return Errorf(ELIMIT, "%s: a mail carries at most %d files and this one has %d; send the rest in another mail, or zip them", printable(names[MaxAttachments]), MaxAttachments, len(names)).Because(RuleTooManyAttachments)
	}
	if _, _, err := s.authorize(ctx, t.Room, ActionUpload); err != nil {
		return Errorf(ErrorCode(err), "%s: %s; send the mail without files", printable(names[0]), ErrorMessage(err)).Because(ErrorRule(err))
	}
	for _, n := range names {
		if _, err := mailFileName(n); err != nil {
			return err
		}
	}
	return nil
}

// mailFileName checks an attachment's name: the file rules, no folders,
// no invisible characters (a bidi override can make "gpj.exe" read as
// "exe.jpg").
func mailFileName(name string) (string, error) {
	if name == "" {
		return "", Errorf(EINVALID, "an attachment has no file name; give each file a name with an extension").Because(RuleNoExtension)
	}
	if r := invisibleInName(name); r >= 0 {
		return "", Errorf(EINVALID, "%q: a file name cannot hold the invisible character U+%04X; rename the file", printable(name), r).Because(RuleBadPath)
	}
	if strings.ContainsAny(name, `/\`) {
		return "", Errorf(EINVALID, "%q: an attachment is named without folders; rename the file", printable(name)).Because(RuleBadPath)
	}
	return attachmentName(name)
}

// StageMailFile takes one attachment of a mail to t through the upload
// pipeline: the file rules, MaxFileSize, the room's quota, the virus
// scan, into a blob that PostMail records. A second file of the same
// name in one mail is stored as "name (2).ext". The refusals of
// StartUpload, WriteAt and Commit, each naming the file; nothing of a
// refused file stays.
func (s *Service) StageMailFile(ctx context.Context, t *MailTarget, name string, body io.Reader) error {
	if len(t.staged) >= MaxAttachments {
		return Errorf(ELIMIT, "%s: a mail carries at most %d files", printable(name), MaxAttachments).Because(RuleTooManyAttachments)
	}
	p, err := mailFileName(name)
	if err != nil {
		return err
	}
	p = t.freeName(p)
	ctx = NewContextWithUser(ctx, t.poster)
	if _, _, err := s.authorize(ctx, t.Room, ActionUpload); err != nil {
		return err
	}
	up, err := s.startUpload(ctx, t.poster, p, &mailFileTarget{id: t.Room})
	if err != nil {
		return err
	}
	if _, err := io.Copy(&uploadWriter{up: up}, body); err != nil {
		// A refused write names the file; a read error is the mail's,
		// which the transport words.
		up.Abort()
		return err
	}
	v, release, err := up.stage(ctx)
	if err != nil {
		return err
	}
	t.staged = append(t.staged, stagedFile{path: p, version: v, release: release})
	return nil
}

// freeName numbers a name this mail already used.
func (t *MailTarget) freeName(p string) string {
	taken := func(n string) bool {
		for _, f := range t.staged {
			if f.path == n {
				return true
			}
		}
		return false
	}
	for try := 2; taken(p); try++ {
		p = numberedName(p, try)
	}
	return p
}

// Discard lets go of the files staged for t; a transport calls it when
// the mail is not posted (refused, or the connection lost). PostMail
// calls it itself.
func (s *Service) Discard(ctx context.Context, t *MailTarget) {
	for _, f := range t.staged {
		f.release()
		s.dropIfUnused(context.WithoutCancel(ctx), f.version.SHA256)
	}
	t.staged = nil
}

// PostMail posts a mail to t that CheckMail passed, with the files
// StageMailFile staged, as the member, source "email": files, message,
// Message-ID and notifications in one store transaction. duplicate true,
// posting nothing, when the room got a message from the same Message-ID
// meanwhile. The refusals of CheckMail, and ELIMIT (RuleQuota) when the
// files together no longer fit the room's quota. Either way the staged
// files are let go of.
func (s *Service) PostMail(ctx context.Context, t *MailTarget, p *MailPost) (m *Message, duplicate bool, err error) {
	defer s.Discard(ctx, t)
	if t.poster == nil {
		return nil, false, Errorf(EINVALID, "%s takes no posts", t.Address)
	}
	ctx = NewContextWithUser(ctx, t.poster)
	u, _, err := s.authorize(ctx, t.Room, ActionPost)
	if err != nil {
		return nil, false, err
	}
	body, err := mailBody(p)
	if err != nil {
		return nil, false, err
	}
	if err := s.limit(ctx, actPostMessage, s.cfg.Limits.Messages); err != nil {
		if e, ok := asError(err); ok && e.Rule == "" {
			e.Rule = RuleMailRate // a sending server retries this one later
		}
		return nil, false, err
	}
	if len(t.staged) > 0 {
		if _, _, err := s.authorize(ctx, t.Room, ActionUpload); err != nil {
			return nil, false, err
		}
	}
	m = &Message{RoomID: t.Room, AuthorID: u.ID, AuthorName: u.Name, Body: body, Source: SourceEmail, Created: s.now(), Unverified: p.Unverified}
	posting := &MailPosting{Message: m, MessageID: p.MessageID}
	for _, f := range t.staged {
		posting.Files = append(posting.Files, VersionCommit{Room: t.Room, Path: f.path, Version: f.version, DefaultQuota: DefaultRoomQuota})
	}
	r, err := s.store.Room(ctx, t.Room)
	if err != nil {
		return nil, false, err
	}
	// The notification lists the files by path; their versions are the
	// transaction's to assign.
	shown := *m
	for _, f := range t.staged {
		shown.Attachments = append(shown.Attachments, Attachment{Path: f.path})
	}
	posting.Mails = s.notifications(ctx, r, &shown)
	r, members, err := s.store.PostMail(ctx, posting)
	switch {
	case ErrorRule(err) == RuleDuplicateMail:
		s.log.Info("mail already posted", "room", t.Room, "message_id", p.MessageID)
		return nil, true, nil
	case err != nil:
		return nil, false, s.wordMailRefusal(ctx, t, err)
	}
	if len(posting.Mails) > 0 {
		s.mailQueued()
	}
	s.log.Info("posted by mail", "room", t.Room, "user", u.ID, "message", m.ID, "files", len(t.staged), "unverified", m.Unverified)
	s.publishAppended(m, r, members)
	// Open Files views read their area again: the mail's files are in it.
	for _, f := range t.staged {
		s.publishFile(t.Room, &File{RoomID: t.Room, Path: f.path})
	}
	return m, false, nil
}

// wordMailRefusal words the store's refusal of a mail's files.
func (s *Service) wordMailRefusal(ctx context.Context, t *MailTarget, err error) error {
	if len(t.staged) == 0 {
		return err
	}
	names := make([]string, len(t.staged))
	for i, f := range t.staged {
		names[i] = f.path
	}
	return s.wordFileRefusal(ctx, t.Room, strings.Join(names, ", "), err)
}

// MailBounced marks the accounts whose verified address is among the
// failed recipients of a delivery status notification undeliverable:
// notifications stop going to them until they verify the address again.
// It returns how many it marked; addresses no account verified are
// ignored.
func (s *Service) MailBounced(ctx context.Context, failed []string) (int, error) {
	n := 0
	for _, a := range failed {
		u, err := s.store.MarkUndeliverable(ctx, strings.TrimSpace(a))
		switch ErrorCode(err) {
		case "":
			n++
			s.log.Warn("address marked undeliverable", "user", u.ID)
		case ENOTFOUND:
		default:
			return n, err
		}
	}
	return n, nil
}

// mailFileTarget is the upload target of a mail's attachment: it counts
// against the room's quota while it arrives, and is recorded by PostMail,
// never by Commit.
type mailFileTarget struct{ id RoomID }

func (t *mailFileTarget) room() RoomID { return t.id }

func (t *mailFileTarget) record(context.Context, *Upload, Version) (*Committed, error) {
	return nil, fmt.Errorf("a mail's attachment is recorded with its message (PostMail), not on its own")
}

// uploadWriter writes a stream into an upload, in order.
type uploadWriter struct {
	up  *Upload
	off int64
}

func (w *uploadWriter) Write(p []byte) (int, error) {
	n, err := w.up.WriteAt(p, w.off)
	w.off += int64(n)
	return n, err
}
