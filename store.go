package workroom

import "time"

// Store keeps everything the service knows. Each method is atomic on its
// own, and is a use case rather than a generic transaction, so another
// backend can implement it with its own primitive. Methods return *Error
// with ENOTFOUND for what does not exist and ECONFLICT where a stated
// invariant refuses the write; any other error is internal. The shared
// contract tests in store/storetest say exactly what each must do.
type Store interface {
	// CreateUser assigns u.ID and stores the user with their first key and
	// pending verification, and enqueues the verification mail. ECONFLICT
	// when the key or the email (case-insensitive) is taken.
	CreateUser(u *User, k Key, v Verification, m *Mail) error
	User(UserID) (*User, error)
	KeyByFingerprint(fingerprint string) (*Key, error)
	// Keys returns a user's keys, oldest first.
	Keys(UserID) ([]Key, error)
	// AddKey stores k for k.UserID; ECONFLICT when the fingerprint is taken.
	AddKey(k Key) error
	RemoveKey(id UserID, fingerprint string) error
	// SetDisabled sets whether the account is disabled; ENOTFOUND when
	// there is no such user.
	SetDisabled(id UserID, disabled bool) error

	// Verification returns the user's pending verification; ENOTFOUND when
	// there is none (the address is verified).
	Verification(UserID) (*Verification, error)
	// SetVerification replaces the pending verification and enqueues m.
	SetVerification(id UserID, v Verification, m *Mail) error
	// VerifyAttempt counts one attempt and returns the verification as it
	// is after counting; ENOTFOUND when there is none.
	VerifyAttempt(UserID) (*Verification, error)
	// MarkVerified marks the email verified and drops the verification.
	MarkVerified(UserID) error

	// CreateJob assigns j.ID and stores the job.
	CreateJob(j *Job) error
	Job(JobID) (*Job, error)
	// JobsByClient returns a client's jobs, newest first.
	JobsByClient(UserID) ([]Job, error)
	// OpenJobs returns all open jobs, newest first.
	OpenJobs() ([]Job, error)
	// CreateProposal assigns p.ID and stores it, counting it on the job.
	// ECONFLICT when the job is no longer open or the freelancer already
	// proposed on it.
	CreateProposal(p *Proposal) error
	Proposal(ProposalID) (*Proposal, error)
	// Proposals returns a job's proposals, oldest first.
	Proposals(JobID) ([]Proposal, error)
	// Award marks the job awarded to the proposal, assigns r.ID and creates
	// the room with its members. ECONFLICT when the job is not open.
	Award(job JobID, proposal ProposalID, r *Room, members []Member) error

	Room(RoomID) (*Room, error)
	// RoomsOf returns a user's rooms with role and unread count, most
	// recently active first.
	RoomsOf(UserID) ([]Membership, error)
	Member(RoomID, UserID) (*Member, error)
	// Members returns a room's members, in the order they joined.
	Members(RoomID) ([]Member, error)

	// AppendMessage assigns m.ID (the room's next sequence, gapless), stores
	// it, updates the room's last activity and every other member's unread
	// count, and enqueues the mails — all or nothing.
	AppendMessage(m *Message, mails []Mail) error
	// Page returns up to limit messages with IDs below before (0: from the
	// newest), newest first.
	Page(id RoomID, before uint64, limit int) ([]Message, error)
	// MarkRead moves the member's read mark forward to upto (never back) and
	// recounts their unread messages; it reports whether anything changed.
	MarkRead(id RoomID, user UserID, upto uint64) (bool, error)

	// PendingMail returns up to limit mails with NextTry at or before now,
	// oldest first.
	PendingMail(now time.Time, limit int) ([]Mail, error)
	DeleteMail(id uint64) error
	DeferMail(id uint64, attempts int, next time.Time, lastErr string) error
}
