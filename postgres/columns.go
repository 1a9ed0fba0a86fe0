package postgres

import (
	"context"
	"encoding/json"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/workroom/workroom"
)

// The column lists each scanner reads, in its order. Queries name their
// columns rather than SELECT *, so a later migration's column changes
// nothing here.

// scanner is a row: pgx.Row and pgx.Rows both scan.
type scanner interface{ Scan(dest ...any) error }

// querier is what a read needs: the pool (a single statement is its own
// snapshot) or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// collect runs a query and scans every row with scan.
func collect[T any](ctx context.Context, q querier, scan func(scanner, *T) error, sql string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, unavailable(err)
		}
		out = append(out, v)
	}
	return out, unavailable(rows.Err())
}

// below is a page's upper bound: ids below before, or every id when
// before is 0. A bound rather than "$1 = 0 OR id < $1" keeps the newest
// page an index range scan under a cached generic plan.
func below(before uint64) int64 {
	if before == 0 || before > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(before)
}

// statusOpen is workroom.JobOpen as SQL text: the partial index of open
// jobs (jobs_open) is used only by queries that spell it as a literal.
const statusOpen = "'" + string(workroom.JobOpen) + "'"

const userCols = `id, name, email, email_verified, email_lost, email_undeliverable, disabled, created, tz`

func scanUser(row scanner, u *workroom.User) error {
	return row.Scan(&u.ID, &u.Name, &u.Email, &u.EmailVerified, &u.EmailLost, &u.EmailUndeliverable, &u.Disabled, &u.Created, &u.TZ)
}

const keyCols = `fingerprint, user_id, authorized, added, comment`

func scanKey(row scanner, k *workroom.Key) error {
	return row.Scan(&k.Fingerprint, &k.UserID, &k.Authorized, &k.Added, &k.Comment)
}

const jobCols = `id, client_id, client_name, title, description, status, created, proposals, coalesce(room_id, 0), coalesce(proposal_id, 0)`

func scanJob(row scanner, j *workroom.Job) error {
	return row.Scan(&j.ID, &j.ClientID, &j.ClientName, &j.Title, &j.Description, &j.Status, &j.Created, &j.Proposals, &j.RoomID, &j.ProposalID)
}

const proposalCols = `id, job_id, freelancer_id, freelancer_name, text, created`

func scanProposal(row scanner, p *workroom.Proposal) error {
	return row.Scan(&p.ID, &p.JobID, &p.FreelancerID, &p.FreelancerName, &p.Text, &p.Created)
}

const roomCols = `id, job_id, title, created, last_activity, last_seq, activity, completed`

// roomColsOf is roomCols of the rooms table under the alias r.
const roomColsOf = `r.id, r.job_id, r.title, r.created, r.last_activity, r.last_seq, r.activity, r.completed`

func scanRoom(row scanner, r *workroom.Room) error {
	var completed *time.Time
	if err := row.Scan(&r.ID, &r.JobID, &r.Title, &r.Created, &r.LastActivity, &r.LastSeq, &r.Activity, &completed); err != nil {
		return err
	}
	r.Completed = timeOrZero(completed)
	return nil
}

const memberCols = `room_id, user_id, name, role, joined, last_read, unread, notify_off`

func scanMember(row scanner, m *workroom.Member) error {
	return row.Scan(&m.RoomID, &m.UserID, &m.Name, &m.Role, &m.Joined, &m.LastRead, &m.Unread, &m.NotifyOff)
}

const messageCols = `room_id, id, author_id, author_name, body, source, created, attachments, unverified`

func scanMessage(row scanner, m *workroom.Message) error {
	var attached []byte
	if err := row.Scan(&m.RoomID, &m.ID, &m.AuthorID, &m.AuthorName, &m.Body, &m.Source, &m.Created, &attached, &m.Unverified); err != nil {
		return err
	}
	return unmarshalIfAny(attached, &m.Attachments)
}

const mailCols = `id, message_id, from_addr, to_addr, subject, body, in_reply_to, refs, sender, reply_key, created, attempts, next_try, last_error`

func scanMail(row scanner, m *workroom.Mail) error {
	var key []byte
	if err := row.Scan(&m.ID, &m.MessageID, &m.From, &m.To, &m.Subject, &m.Body, &m.InReplyTo, &m.References, &m.Sender, &key, &m.Created, &m.Attempts, &m.NextTry, &m.LastError); err != nil {
		return err
	}
	return unmarshalIfAny(key, &m.ReplyKey)
}

const replyKeyCols = `key, room_id, user_id, created`

func scanReplyKey(row scanner, k *workroom.ReplyKey) error {
	return row.Scan(&k.Key, &k.RoomID, &k.UserID, &k.Created)
}

const invitationCols = `room_id, email, role, invited_by, created`

func scanInvitation(row scanner, inv *workroom.Invitation) error {
	return row.Scan(&inv.RoomID, &inv.Email, &inv.Role, &inv.InvitedBy, &inv.Created)
}

// jsonOrNull is v as JSON for a jsonb column, or NULL when empty is true.
func jsonOrNull(v any, empty bool) ([]byte, error) {
	if empty {
		return nil, nil
	}
	return json.Marshal(v)
}

// unmarshalIfAny decodes a jsonb column's value into v; NULL leaves v
// as it is (its zero value).
func unmarshalIfAny(buf []byte, v any) error {
	if buf == nil {
		return nil
	}
	return json.Unmarshal(buf, v)
}

// timeOrNull is a time for a nullable column: NULL for the zero time.
func timeOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
