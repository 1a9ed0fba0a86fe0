package postgres

// Methods not written yet: each refuses until its helper lands it.
// Delete a stub when you write the method.

import (
	"context"
	"io"
	"time"

	"github.com/workroom/workroom"
)

var _ = io.EOF
var _ = time.Time{}

func (db *DB) CreateUser(ctx context.Context, u *workroom.User, k workroom.Key, v workroom.Verification, m *workroom.Mail) error {
	return errTODO
}
func (db *DB) User(ctx context.Context, id workroom.UserID) (*workroom.User, error) {
	return nil, errTODO
}
func (db *DB) UserByEmail(ctx context.Context, address string) (*workroom.User, error) {
	return nil, errTODO
}
func (db *DB) KeyByFingerprint(ctx context.Context, fingerprint string) (*workroom.Key, error) {
	return nil, errTODO
}
func (db *DB) Keys(ctx context.Context, id workroom.UserID) ([]workroom.Key, error) {
	return nil, errTODO
}
func (db *DB) RemoveKey(ctx context.Context, id workroom.UserID, fingerprint string) error {
	return errTODO
}
func (db *DB) SetDisabled(ctx context.Context, id workroom.UserID, disabled bool) error {
	return errTODO
}
func (db *DB) SetTimeZone(ctx context.Context, id workroom.UserID, zone string) error { return errTODO }
func (db *DB) SetKeyComment(ctx context.Context, id workroom.UserID, fingerprint, comment string) error {
	return errTODO
}
func (db *DB) CreateLinkCode(ctx context.Context, c workroom.LinkCode, max int, m *workroom.Mail) error {
	return errTODO
}
func (db *DB) LinkKey(ctx context.Context, hash string, k workroom.Key, now time.Time, maxKeys int) (*workroom.User, error) {
	return nil, errTODO
}
func (db *DB) Verification(ctx context.Context, id workroom.UserID) (*workroom.Verification, error) {
	return nil, errTODO
}
func (db *DB) SetVerification(ctx context.Context, id workroom.UserID, v workroom.Verification, m *workroom.Mail) error {
	return errTODO
}
func (db *DB) SetEmail(ctx context.Context, id workroom.UserID, address string, v workroom.Verification, m *workroom.Mail) error {
	return errTODO
}
func (db *DB) MarkVerified(ctx context.Context, id workroom.UserID, now time.Time) (joined []workroom.Membership, err error) {
	return nil, errTODO
}
func (db *DB) Tally(ctx context.Context, name string, now time.Time, window time.Duration, max int) (count int, resets time.Time, err error) {
	return 0, time.Time{}, errTODO
}
func (db *DB) CreateJob(ctx context.Context, j *workroom.Job) error              { return errTODO }
func (db *DB) Job(ctx context.Context, id workroom.JobID) (*workroom.Job, error) { return nil, errTODO }
func (db *DB) JobsByClient(ctx context.Context, id workroom.UserID, before workroom.JobID, limit int) ([]workroom.Job, error) {
	return nil, errTODO
}
func (db *DB) OpenJobs(ctx context.Context, except workroom.UserID, before workroom.JobID, limit int) ([]workroom.Job, error) {
	return nil, errTODO
}
func (db *DB) CreateProposal(ctx context.Context, p *workroom.Proposal) error { return errTODO }
func (db *DB) Proposal(ctx context.Context, id workroom.ProposalID) (*workroom.Proposal, error) {
	return nil, errTODO
}
func (db *DB) Proposals(ctx context.Context, id workroom.JobID, before workroom.ProposalID, limit int) ([]workroom.Proposal, error) {
	return nil, errTODO
}
func (db *DB) ProposalsBy(ctx context.Context, id workroom.UserID, before workroom.ProposalID, limit int) ([]workroom.Proposal, error) {
	return nil, errTODO
}
func (db *DB) ProposalOn(ctx context.Context, job workroom.JobID, freelancer workroom.UserID) (*workroom.Proposal, error) {
	return nil, errTODO
}
func (db *DB) Award(ctx context.Context, job workroom.JobID, proposal workroom.ProposalID, r *workroom.Room, members []workroom.Member) error {
	return errTODO
}
func (db *DB) Room(ctx context.Context, id workroom.RoomID) (*workroom.Room, error) {
	return nil, errTODO
}
func (db *DB) RoomsOf(ctx context.Context, id workroom.UserID, before uint64, limit int) ([]workroom.Membership, error) {
	return nil, errTODO
}
func (db *DB) Member(ctx context.Context, room workroom.RoomID, user workroom.UserID) (*workroom.Member, error) {
	return nil, errTODO
}
func (db *DB) SetNotify(ctx context.Context, room workroom.RoomID, user workroom.UserID, on bool) error {
	return errTODO
}
func (db *DB) Members(ctx context.Context, id workroom.RoomID) ([]workroom.Member, error) {
	return nil, errTODO
}
func (db *DB) AddMember(ctx context.Context, m workroom.Member, mail *workroom.Mail) (*workroom.Room, error) {
	return nil, errTODO
}
func (db *DB) RemoveMember(ctx context.Context, room workroom.RoomID, user workroom.UserID) error {
	return errTODO
}
func (db *DB) Invite(ctx context.Context, inv workroom.Invitation, mail *workroom.Mail) error {
	return errTODO
}
func (db *DB) Invitations(ctx context.Context, room workroom.RoomID) ([]workroom.Invitation, error) {
	return nil, errTODO
}
func (db *DB) CancelInvitation(ctx context.Context, room workroom.RoomID, email string) error {
	return errTODO
}
func (db *DB) AppendMessage(ctx context.Context, m *workroom.Message, mails []workroom.Mail) (*workroom.Room, []workroom.Member, error) {
	return nil, nil, errTODO
}
func (db *DB) Page(ctx context.Context, id workroom.RoomID, before uint64, limit int) ([]workroom.Message, error) {
	return nil, errTODO
}
func (db *DB) SaveDraft(ctx context.Context, room workroom.RoomID, user workroom.UserID, text string) error {
	return errTODO
}
func (db *DB) Draft(ctx context.Context, room workroom.RoomID, user workroom.UserID) (string, error) {
	return "", errTODO
}
func (db *DB) MarkRead(ctx context.Context, marks []workroom.ReadMark) error   { return errTODO }
func (db *DB) SetLastSeen(ctx context.Context, seen []workroom.LastSeen) error { return errTODO }
func (db *DB) LastSeen(ctx context.Context, users []workroom.UserID) (map[workroom.UserID]time.Time, error) {
	return nil, errTODO
}
func (db *DB) PendingMail(ctx context.Context, now time.Time, limit int) ([]workroom.Mail, error) {
	return nil, errTODO
}
func (db *DB) DeleteMail(ctx context.Context, id uint64) error { return errTODO }
func (db *DB) DeferMail(ctx context.Context, id uint64, attempts int, next time.Time, lastErr string) error {
	return errTODO
}
func (db *DB) ReplyKey(ctx context.Context, key string) (*workroom.ReplyKey, error) {
	return nil, errTODO
}
func (db *DB) RevokeReplyKey(ctx context.Context, room workroom.RoomID, user workroom.UserID) error {
	return errTODO
}
func (db *DB) MarkUndeliverable(ctx context.Context, address string) (*workroom.User, error) {
	return nil, errTODO
}
func (db *DB) Users(ctx context.Context, before workroom.UserID, limit int) ([]workroom.UserSummary, error) {
	return nil, errTODO
}

// errTODO is what an unwritten method returns.
var errTODO = workroom.Errorf(workroom.EUNAVAILABLE, "not written yet")
