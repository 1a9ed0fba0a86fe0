package workroom

import (
	"context"
	"time"
)

// Store keeps everything the service knows. Each method is atomic on its
// own, and is a use case rather than a generic transaction, so another
// backend can implement it with its own primitive. Methods refuse with
// Refusal(code, rule) and no words of their own — ENOTFOUND for what does
// not exist, ECONFLICT (or the code the method names) with the rule named
// below where a stated invariant refuses the write — and the service
// words the refusal for people; any other error is internal. The shared
// contract tests in store/storetest say exactly what each must do.
type Store interface {
	// LifecycleStore is completion, retention, the user list and backup
	// (store_lifecycle.go).
	LifecycleStore

	// CreateUser assigns u.ID and stores the user with their first key and
	// pending verification, and enqueues the verification mail. ECONFLICT
	// when the key is taken (RuleKeyRegistered) or an account verified the
	// email, case-insensitive (RuleAddressOwned); others merely signing up
	// with it are no obstacle.
	CreateUser(ctx context.Context, u *User, k Key, v Verification, m *Mail) error
	User(ctx context.Context, id UserID) (*User, error)
	// UserByEmail returns the account that verified address
	// (case-insensitive); ENOTFOUND when no account verified it, even if
	// some signed up with it.
	UserByEmail(ctx context.Context, address string) (*User, error)
	KeyByFingerprint(ctx context.Context, fingerprint string) (*Key, error)
	// Keys returns a user's keys, oldest first.
	Keys(ctx context.Context, id UserID) ([]Key, error)
	RemoveKey(ctx context.Context, id UserID, fingerprint string) error
	// SetDisabled sets whether the account is disabled; ENOTFOUND when
	// there is no such user.
	SetDisabled(ctx context.Context, id UserID, disabled bool) error
	// SetTimeZone sets the user's TZ (an IANA name, "" for UTC);
	// ENOTFOUND when there is no such user.
	SetTimeZone(ctx context.Context, id UserID, zone string) error
	// SetKeyComment sets the comment of one of the user's keys; ENOTFOUND
	// when the user has no such key.
	SetKeyComment(ctx context.Context, id UserID, fingerprint, comment string) error

	// CreateLinkCode stores c after dropping c.UserID's codes expired at
	// c.Created, and enqueues m (nil: no mail). ELIMIT when the user holds
	// max unexpired codes (RuleTooManyLinkCodes); ENOTFOUND when there is
	// no such user.
	CreateLinkCode(ctx context.Context, c LinkCode, max int, m *Mail) error
	// LinkKey uses the code whose hash is given: it deletes the code and
	// stores k for the code's user, whom it returns. ENOTFOUND when no
	// code has the hash or it expired before now (an expired code is
	// deleted); ECONFLICT when k's fingerprint is registered
	// (RuleKeyRegistered), ELIMIT when the user has maxKeys keys
	// (RuleTooManyKeys), EFORBIDDEN when the account is disabled
	// (RuleDisabled) — in those three cases the code stays usable.
	LinkKey(ctx context.Context, hash string, k Key, now time.Time, maxKeys int) (*User, error)

	// Verification returns the user's pending verification; ENOTFOUND when
	// there is none (the address is verified or lost).
	Verification(ctx context.Context, id UserID) (*Verification, error)
	// SetVerification replaces the pending verification and enqueues m.
	SetVerification(ctx context.Context, id UserID, v Verification, m *Mail) error
	// SetEmail gives a user whose address is not verified a new address
	// with the pending verification v, clears EmailLost, and enqueues m.
	// ECONFLICT when the user's own address is verified
	// (RuleAddressVerified) or an account verified the new one
	// (RuleAddressOwned).
	SetEmail(ctx context.Context, id UserID, address string, v Verification, m *Mail) error
	// MarkVerified marks the user's email verified, drops the
	// verification, and takes the address from every other account that
	// signed up with it unverified (their EmailLost is set, their pending
	// verification dropped). ECONFLICT, changing nothing, when another
	// account verified the address first (RuleAddressTaken).
	MarkVerified(ctx context.Context, id UserID, now time.Time) (joined []Membership, err error)

	// Tally counts one event against the count called name, whose window
	// opens at the first event counted and lasts window. It returns the
	// count including this event and when the window ends; once max events
	// are counted in the window it counts nothing more and returns max+1.
	Tally(ctx context.Context, name string, now time.Time, window time.Duration, max int) (count int, resets time.Time, err error)

	// CreateJob assigns j.ID and stores the job.
	CreateJob(ctx context.Context, j *Job) error
	Job(ctx context.Context, id JobID) (*Job, error)
	// JobsByClient returns up to limit of a client's jobs with IDs below
	// before (0: from the newest), newest first.
	JobsByClient(ctx context.Context, id UserID, before JobID, limit int) ([]Job, error)
	// OpenJobs returns up to limit open jobs of clients other than except,
	// with IDs below before (0: from the newest), newest first.
	OpenJobs(ctx context.Context, except UserID, before JobID, limit int) ([]Job, error)
	// CreateProposal assigns p.ID and stores it, counting it on the job.
	// ECONFLICT when the job is no longer open (RuleJobClosed) or the
	// freelancer already proposed on it (RuleAlreadyProposed).
	CreateProposal(ctx context.Context, p *Proposal) error
	Proposal(ctx context.Context, id ProposalID) (*Proposal, error)
	// Proposals returns up to limit of a job's proposals with IDs below
	// before (0: from the newest), newest first.
	Proposals(ctx context.Context, id JobID, before ProposalID, limit int) ([]Proposal, error)
	// ProposalsBy returns up to limit of a freelancer's proposals with IDs
	// below before (0: from the newest), newest first.
	ProposalsBy(ctx context.Context, id UserID, before ProposalID, limit int) ([]Proposal, error)
	// ProposalOn returns the freelancer's proposal on a job; ENOTFOUND
	// when they made none.
	ProposalOn(ctx context.Context, job JobID, freelancer UserID) (*Proposal, error)
	// Award marks the job awarded to the proposal, assigns r.ID and creates
	// the room with its members, and puts the job post's attachments
	// (folder "job") and the proposal's (folder "proposal") into the
	// room's file area, by reference to the same blobs. ECONFLICT when
	// the job is not open (RuleJobClosed).
	Award(ctx context.Context, job JobID, proposal ProposalID, r *Room, members []Member) error

	Room(ctx context.Context, id RoomID) (*Room, error)
	// RoomsOf returns up to limit of a user's rooms with role, unread
	// count and whether they keep a draft, most recently active first: those whose Activity is below
	// before (0: from the most recent). Every activity (a message, the
	// award) gives a room the next Activity, higher than any before it.
	RoomsOf(ctx context.Context, id UserID, before uint64, limit int) ([]Membership, error)
	Member(ctx context.Context, room RoomID, user UserID) (*Member, error)
	// SetNotify sets whether a member gets mail for the room's new
	// messages (Member.NotifyOff is its opposite); ENOTFOUND when the user
	// is not a member.
	SetNotify(ctx context.Context, room RoomID, user UserID, on bool) error
	// Members returns a room's members, in the order they joined.
	Members(ctx context.Context, id RoomID) ([]Member, error)
	// AddMember makes a user a member of a room, as activity of the room,
	// and enqueues mail (nil: none); it returns the room as the
	// transaction left it. ECONFLICT (RuleAlreadyMember) when the user is
	// a member; ENOTFOUND when there is no such room.
	AddMember(ctx context.Context, m Member, mail *Mail) (*Room, error)
	// RemoveMember takes a user out of a room: the membership, its place
	// in their room list, their draft and their reply key for the room go. ENOTFOUND when the user is
	// not a member.
	RemoveMember(ctx context.Context, room RoomID, user UserID) error
	// Invite keeps an invitation for an address (replacing one for the
	// same address, case-insensitive) and enqueues mail. ENOTFOUND when
	// there is no such room.
	Invite(ctx context.Context, inv Invitation, mail *Mail) error
	// Invitations returns a room's pending invitations, by address.
	Invitations(ctx context.Context, room RoomID) ([]Invitation, error)
	// CancelInvitation drops the invitation for an address
	// (case-insensitive); ENOTFOUND when there is none.
	CancelInvitation(ctx context.Context, room RoomID, email string) error

	// AppendMessage assigns m.ID (the room's next sequence, gapless), stores
	// it, updates the room's last activity and every other member's unread
	// count, drops the author's draft of the room, and enqueues the mails —
	// all or nothing. It returns the room and its members as the
	// transaction left them, so the service can tell each member their row
	// without reading it again.
	AppendMessage(ctx context.Context, m *Message, mails []Mail) (*Room, []Member, error)
	// Page returns up to limit messages with IDs below before (0: from the
	// newest), newest first.
	Page(ctx context.Context, id RoomID, before uint64, limit int) ([]Message, error)
	// SaveDraft keeps a member's unsent text for a room, replacing the
	// one before; "" drops it. ENOTFOUND when the user is not a member.
	SaveDraft(ctx context.Context, room RoomID, user UserID, text string) error
	// Draft returns the member's draft of a room; "" when there is none.
	Draft(ctx context.Context, room RoomID, user UserID) (string, error)
	// SaveMeeting stores a meeting's record, assigning m.ID when it is 0
	// and replacing the record with that ID otherwise. ENOTFOUND when
	// there is no such room.
	SaveMeeting(ctx context.Context, m *Meeting) error
	// Meetings returns a room's meetings that may hold lines with IDs
	// from lo to hi: those with From <= hi that run still (Ended zero) or
	// whose Upto >= lo. Oldest first.
	Meetings(ctx context.Context, room RoomID, lo, hi uint64) ([]Meeting, error)
	// MarkRead moves each member's read mark forward to its Upto (never
	// back, never past the room's newest message) and recounts their
	// unread messages, all in one transaction. A mark for a member or room
	// that no longer exists is skipped.
	MarkRead(ctx context.Context, marks []ReadMark) error
	// SetLastSeen records when each user's last live session ended, all
	// in one transaction; a time older than the one stored is skipped.
	SetLastSeen(ctx context.Context, seen []LastSeen) error
	// LastSeen returns when each of the users was last seen; a user never
	// recorded is absent from the map.
	LastSeen(ctx context.Context, users []UserID) (map[UserID]time.Time, error)

	// AddTodo assigns t.ID (the room's next item number) and stores the
	// item. ELIMIT (RuleTooManyTodos) when the room's list holds max
	// items; ENOTFOUND when there is no such room.
	AddTodo(ctx context.Context, t *Todo, max int) error
	// UpdateTodo applies c to one item and returns it as it is now.
	// ENOTFOUND when the room has no such item; EINVALID (RuleNotMember)
	// when c assigns someone who is not a member of the room.
	UpdateTodo(ctx context.Context, room RoomID, id TodoID, c TodoChange) (*Todo, error)
	// RemoveTodo takes one item off a room's list and returns it as it
	// was. ENOTFOUND when the room has no such item. Its number is not
	// given to another item.
	RemoveTodo(ctx context.Context, room RoomID, id TodoID) (*Todo, error)
	// Todos returns every item of a room's list, by id.
	Todos(ctx context.Context, room RoomID) ([]Todo, error)

	// PendingMail returns up to limit mails with NextTry at or before now,
	// oldest first, and changes nothing: a look at the outbox (tests, an
	// operator). A sender takes mail with ClaimMail.
	PendingMail(ctx context.Context, now time.Time, limit int) ([]Mail, error)
	// ClaimMail takes up to limit mails with NextTry at or before now,
	// oldest first, for one sender: in the same transaction it sets each
	// one's NextTry to until (the lease) and returns them so. A sender
	// racing on the same store (another front end) gets other mails, and
	// a claimed mail is due again at until when its sender died before
	// recording the outcome (DeleteMail, DeferMail) — or sooner, when
	// the store ends the leases with the process that held them (bbolt,
	// which one process opens). PendingMail does not see it due either.
	ClaimMail(ctx context.Context, now, until time.Time, limit int) ([]Mail, error)
	DeleteMail(ctx context.Context, id uint64) error
	DeferMail(ctx context.Context, id uint64, attempts int, next time.Time, lastErr string) error
	// CommitVersion records c.Version as the next version of c.Path in
	// c.Room (creating the file; the store assigns Version.N), in one
	// transaction with the quota check: the bytes count against the
	// room's quota unless a version in the room already holds the same
	// SHA-256. It returns the file as the transaction left it, and added
	// false — changing nothing — when the latest version already has the
	// same SHA-256. ELIMIT (RuleQuota) when the room's usage would exceed
	// its quota (c.DefaultQuota when none was set); ECONFLICT
	// (RuleFileExists) when c.IfAbsent and a file has the path;
	// ECONFLICT (RuleNotAFile) when the path is a folder or lies under a
	// file; ENOTFOUND when there is no such room.
	CommitVersion(ctx context.Context, c VersionCommit) (f *File, added bool, err error)
	// File returns one file with its versions; ENOTFOUND when the path
	// holds none.
	File(ctx context.Context, room RoomID, path string) (*File, error)
	// Files returns up to limit of a room's files with paths after
	// after ("" from the first), in path order (bytewise).
	Files(ctx context.Context, room RoomID, after string, limit int) ([]File, error)
	// Folders returns every folder of a room in path order: those made
	// with CreateFolder and those holding files.
	Folders(ctx context.Context, room RoomID) ([]string, error)
	// Usage returns the room's bytes used (identical content once) and
	// its quota (defaultQuota when none was set); ENOTFOUND when there is
	// no such room.
	Usage(ctx context.Context, room RoomID, defaultQuota int64) (Usage, error)
	// SetQuota sets the room's quota; ENOTFOUND when there is no such
	// room.
	SetQuota(ctx context.Context, room RoomID, quota int64) error
	// DeleteFile removes a file and all its versions from the room and
	// returns what it removed; blobs nothing else refers to become
	// unused (BlobUsed). onlyBy, when not 0, refuses with EFORBIDDEN
	// (RuleNotYourFile), changing nothing, unless every version is
	// theirs. ENOTFOUND when the path holds no file.
	DeleteFile(ctx context.Context, room RoomID, path string, onlyBy UserID) (*File, error)
	// RenameFile moves a file to another path in the room. Onto a free
	// path the file moves with its versions. Onto an existing file, the
	// moved file's latest version becomes the target's next version
	// (none when the target's latest has the same SHA-256) and the moved
	// file is gone. It returns the file at to. onlyBy as for DeleteFile,
	// checked on the moved file when a rename onto a file drops it;
	// ENOTFOUND when from holds no file; ECONFLICT (RuleNotAFile) when
	// to is a folder or under a file.
	RenameFile(ctx context.Context, room RoomID, from, to string, onlyBy UserID) (*File, error)
	// SetModTime sets the modification time of a file's latest version;
	// ENOTFOUND when the path holds no file.
	SetModTime(ctx context.Context, room RoomID, path string, t time.Time) (*File, error)
	// CreateFolder makes an empty folder (and the folders above it).
	// ECONFLICT (RuleFileExists) when a file or folder has the path;
	// ECONFLICT (RuleNotAFile) when it lies under a file.
	CreateFolder(ctx context.Context, f Folder) error
	// RemoveFolder removes an empty folder; ENOTFOUND when there is
	// none; ECONFLICT (RuleFolderNotEmpty) when it holds anything.
	RemoveFolder(ctx context.Context, room RoomID, path string) error
	// BlobUsed reports whether any version, job or proposal refers to
	// the blob.
	BlobUsed(ctx context.Context, sum string) (bool, error)
	// AttachToJob adds a file to a job post. ELIMIT
	// (RuleTooManyAttachments) when it has max; ECONFLICT
	// (RuleFileExists) when it has one by that name; ECONFLICT
	// (RuleJobClosed) when the job was awarded; ENOTFOUND for no job.
	AttachToJob(ctx context.Context, job JobID, a Attachment, max int) error
	// AttachToProposal adds a file to a proposal, like AttachToJob.
	AttachToProposal(ctx context.Context, p ProposalID, a Attachment, max int) error
	// JobAttachments returns a job post's files in the order attached.
	JobAttachments(ctx context.Context, job JobID) ([]Attachment, error)
	// ProposalAttachments returns a proposal's files in the order
	// attached.
	ProposalAttachments(ctx context.Context, p ProposalID) ([]Attachment, error)

	// ReplyKey returns the reply key; ENOTFOUND when there is none (never
	// made, or revoked). Enqueuing a Mail with a ReplyKey (AppendMessage,
	// PostMail) stores that key unless the member has one for the room,
	// whose key the mail then carries instead.
	ReplyKey(ctx context.Context, key string) (*ReplyKey, error)
	// RevokeReplyKey deletes the member's reply key for the room; no key
	// is no error.
	RevokeReplyKey(ctx context.Context, room RoomID, user UserID) error
	// MarkUndeliverable sets EmailUndeliverable on the account that
	// verified address (case-insensitive) and returns it; ENOTFOUND when
	// no account verified it. MarkVerified clears the mark.
	MarkUndeliverable(ctx context.Context, address string) (*User, error)
	// MailPosted returns the ID of the message a mail with that
	// Message-ID became in the room; ENOTFOUND when none did.
	MailPosted(ctx context.Context, room RoomID, messageID string) (uint64, error)
	// PostMail stores a message that came by mail, all or nothing: each
	// of p.Files as the next version of its path (as CommitVersion, the
	// quota checked over them all), the message with each file attached
	// at the version recorded (appended to p.Message.Attachments, in
	// order), p.MessageID as posted in the room, and p.Mails enqueued —
	// as AppendMessage does for the rest. ECONFLICT (RuleDuplicateMail),
	// changing nothing, when the room already has a message from a mail
	// with p.MessageID ("" skips that check); ELIMIT (RuleQuota) and
	// ECONFLICT (RuleNotAFile) as CommitVersion; ENOTFOUND for no room.
	PostMail(ctx context.Context, p *MailPosting) (*Room, []Member, error)
}

// MailPosting is a message from a mail with its files (Store.PostMail).
type MailPosting struct {
	Message   *Message
	Files     []VersionCommit
	MessageID string
	Mails     []Mail
}

// VersionCommit is a version to record (Store.CommitVersion).
type VersionCommit struct {
	Room         RoomID
	Path         string
	Version      Version
	DefaultQuota int64
	// IfAbsent refuses rather than add a version to an existing file.
	IfAbsent bool
}
