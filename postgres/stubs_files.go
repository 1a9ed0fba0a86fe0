package postgres

// Methods not written yet: each refuses until its helper lands it.
// Delete a stub when you write the method.

import (
	"context"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/workroom/workroom"
)

var _ = io.EOF
var _ = time.Time{}

func (db *DB) SaveMeeting(ctx context.Context, m *workroom.Meeting) error { return errTODO }
func (db *DB) Meetings(ctx context.Context, room workroom.RoomID, lo, hi uint64) ([]workroom.Meeting, error) {
	return nil, errTODO
}
func (db *DB) AddTodo(ctx context.Context, t *workroom.Todo, max int) error { return errTODO }
func (db *DB) UpdateTodo(ctx context.Context, room workroom.RoomID, id workroom.TodoID, c workroom.TodoChange) (*workroom.Todo, error) {
	return nil, errTODO
}
func (db *DB) Todos(ctx context.Context, room workroom.RoomID) ([]workroom.Todo, error) {
	return nil, errTODO
}
func (db *DB) CommitVersion(ctx context.Context, c workroom.VersionCommit) (f *workroom.File, added bool, err error) {
	return nil, false, errTODO
}
func (db *DB) File(ctx context.Context, room workroom.RoomID, path string) (*workroom.File, error) {
	return nil, errTODO
}
func (db *DB) Files(ctx context.Context, room workroom.RoomID, after string, limit int) ([]workroom.File, error) {
	return nil, errTODO
}
func (db *DB) Folders(ctx context.Context, room workroom.RoomID) ([]string, error) {
	return nil, errTODO
}
func (db *DB) Usage(ctx context.Context, room workroom.RoomID, defaultQuota int64) (workroom.Usage, error) {
	return workroom.Usage{}, errTODO
}
func (db *DB) SetQuota(ctx context.Context, room workroom.RoomID, quota int64) error { return errTODO }
func (db *DB) DeleteFile(ctx context.Context, room workroom.RoomID, path string, onlyBy workroom.UserID) (*workroom.File, error) {
	return nil, errTODO
}
func (db *DB) RenameFile(ctx context.Context, room workroom.RoomID, from, to string, onlyBy workroom.UserID) (*workroom.File, error) {
	return nil, errTODO
}
func (db *DB) SetModTime(ctx context.Context, room workroom.RoomID, path string, t time.Time) (*workroom.File, error) {
	return nil, errTODO
}
func (db *DB) CreateFolder(ctx context.Context, f workroom.Folder) error { return errTODO }
func (db *DB) RemoveFolder(ctx context.Context, room workroom.RoomID, path string) error {
	return errTODO
}
func (db *DB) BlobUsed(ctx context.Context, sum string) (bool, error) { return false, errTODO }
func (db *DB) AttachToJob(ctx context.Context, job workroom.JobID, a workroom.Attachment, max int) error {
	return errTODO
}
func (db *DB) AttachToProposal(ctx context.Context, p workroom.ProposalID, a workroom.Attachment, max int) error {
	return errTODO
}
func (db *DB) JobAttachments(ctx context.Context, job workroom.JobID) ([]workroom.Attachment, error) {
	return nil, errTODO
}
func (db *DB) ProposalAttachments(ctx context.Context, p workroom.ProposalID) ([]workroom.Attachment, error) {
	return nil, errTODO
}
func (db *DB) MailPosted(ctx context.Context, room workroom.RoomID, messageID string) (uint64, error) {
	return 0, errTODO
}
func (db *DB) PostMail(ctx context.Context, p *workroom.MailPosting) (*workroom.Room, []workroom.Member, error) {
	return nil, nil, errTODO
}
func (db *DB) CompleteRoom(ctx context.Context, id workroom.RoomID, at time.Time) (*workroom.Room, error) {
	return nil, errTODO
}
func (db *DB) CompletedRooms(ctx context.Context) ([]workroom.Room, error) { return nil, errTODO }
func (db *DB) LastActivity(ctx context.Context, id workroom.RoomID) (time.Time, error) {
	return time.Time{}, errTODO
}
func (db *DB) DropRoomFiles(ctx context.Context, id workroom.RoomID, idleSince time.Time) ([]workroom.File, error) {
	return nil, errTODO
}
func (db *DB) UnhiredProposalFiles(ctx context.Context) ([]workroom.UnhiredFiles, error) {
	return nil, errTODO
}
func (db *DB) DropProposalFiles(ctx context.Context, id workroom.ProposalID) ([]workroom.Attachment, error) {
	return nil, errTODO
}
func (db *DB) BlobUnusedSince(ctx context.Context, sum string, now time.Time) (time.Time, error) {
	return time.Time{}, errTODO
}
func (db *DB) ForgetBlob(ctx context.Context, sum string) error { return errTODO }
func (db *DB) Backup(ctx context.Context, w io.Writer) error    { return errTODO }

// copyAwardFiles puts the job post's attachments (folder "job") and the
// hired proposal's (folder "proposal") into the new room's file area, in
// Award's transaction. (pgfiles writes it; pgcore's Award calls it.)
func (db *DB) copyAwardFiles(ctx context.Context, tx pgx.Tx, job workroom.JobID, proposal workroom.ProposalID, room workroom.RoomID, at time.Time) error {
	return nil
}
