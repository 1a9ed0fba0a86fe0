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
	MarkVerified(ctx context.Context, id UserID) error

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
	// the room with its members. ECONFLICT when the job is not open
	// (RuleJobClosed).
	Award(ctx context.Context, job JobID, proposal ProposalID, r *Room, members []Member) error

	Room(ctx context.Context, id RoomID) (*Room, error)
	// RoomsOf returns up to limit of a user's rooms with role, unread
	// count and whether they keep a draft, most recently active first: those whose Activity is below
	// before (0: from the most recent). Every activity (a message, the
	// award) gives a room the next Activity, higher than any before it.
	RoomsOf(ctx context.Context, id UserID, before uint64, limit int) ([]Membership, error)
	Member(ctx context.Context, room RoomID, user UserID) (*Member, error)
	// Members returns a room's members, in the order they joined.
	Members(ctx context.Context, id RoomID) ([]Member, error)

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
	// MarkRead moves each member's read mark forward to its Upto (never
	// back, never past the room's newest message) and recounts their
	// unread messages, all in one transaction. A mark for a member or room
	// that no longer exists is skipped.
	MarkRead(ctx context.Context, marks []ReadMark) error

	// PendingMail returns up to limit mails with NextTry at or before now,
	// oldest first.
	PendingMail(ctx context.Context, now time.Time, limit int) ([]Mail, error)
	DeleteMail(ctx context.Context, id uint64) error
	DeferMail(ctx context.Context, id uint64, attempts int, next time.Time, lastErr string) error
}
