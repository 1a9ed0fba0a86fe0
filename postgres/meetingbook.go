package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/workroom/workroom"
)

// MeetingBook keeps meeting mode's live state (workroom.MeetingBook) in
// the database, for every front end over it: a request made on one is
// answered on another, a line from an attendee on any is accepted. Each
// Update is one transaction that locks the room's row in meeting_rooms
// (migrations/0005_meetings.sql) before the service decides, so two
// front ends never both start a meeting, and a request withdrawn on one
// is gone for all.
//
// The book has a connection pool of its own: the service saves a
// meeting's record inside an Update (the store's pool), and a pool shared
// with the store could be taken whole by Updates each waiting for one
// more connection.
type MeetingBook struct {
	pool *pgxpool.Pool
}

// The book's connections.
const (
	// meetingBookConns is the most connections the book holds, unless
	// the URL says (pool_max_conns): an Update holds one for a few round
	// trips, and a meeting line makes one.
	meetingBookConns = 16
	// meetingIdleInTx ends an Update whose front end stopped half way
	// (a frozen process), so the room's row is not locked for ever. A
	// front end that dies outright loses its connection, and its
	// transaction, at once.
	meetingIdleInTx = 10 * time.Second
	// meetingLockTimeout bounds the wait for a room's row: longer than
	// meetingIdleInTx, so a wait behind a frozen front end ends in the
	// row, not in an error.
	meetingLockTimeout = 15 * time.Second
	// lockTries bounds the rounds of finding a room's row gone (emptied
	// by another front end) and making it again.
	lockTries = 10
)

// OpenMeetingBook connects to the database at url (postgres://…) with a
// pool of its own and brings the schema up to date, as Open does.
func OpenMeetingBook(ctx context.Context, url string) (*MeetingBook, error) {
	pool, err := openPool(ctx, url, meetingBookConns, func(cfg *pgxpool.Config) {
		params := cfg.ConnConfig.RuntimeParams
		params["idle_in_transaction_session_timeout"] = strconv.FormatInt(meetingIdleInTx.Milliseconds(), 10)
		params["lock_timeout"] = strconv.FormatInt(meetingLockTimeout.Milliseconds(), 10)
	})
	if err != nil {
		return nil, err
	}
	return &MeetingBook{pool: pool}, nil
}

// Close closes the book's connections.
func (b *MeetingBook) Close() { b.pool.Close() }

// Update implements workroom.MeetingBook. then runs before the commit,
// while the row is still locked, so announcements keep the order of the
// changes on every front end.
func (b *MeetingBook) Update(ctx context.Context, room workroom.RoomID, change func(*workroom.MeetingState) error, then func(*workroom.MeetingState)) error {
	var refused error // change's own error, returned as it is
	err := pgx.BeginTxFunc(ctx, b.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		st, err := lockRoom(ctx, tx, room)
		if err != nil {
			return err
		}
		if refused = change(st); refused != nil {
			return refused
		}
		if err := numberRequests(ctx, tx, st); err != nil {
			return err
		}
		if err := writeRoom(ctx, tx, room, st); err != nil {
			return err
		}
		if then != nil {
			then(st)
		}
		return nil
	})
	switch {
	case refused != nil:
		return refused
	case err != nil:
		return fmt.Errorf("postgres: meetings of room %d: %w", room, err)
	}
	return nil
}

// lockRoom locks the room's row and reads its state, making the row when
// there is none: the lock needs a row to hold. A row made here is this
// transaction's until it commits; another front end's INSERT of it waits
// till then.
func lockRoom(ctx context.Context, tx pgx.Tx, room workroom.RoomID) (*workroom.MeetingState, error) {
	for range lockTries {
		var requests, running []byte
		err := tx.QueryRow(ctx, `SELECT requests, running FROM meeting_rooms WHERE room_id = $1 FOR UPDATE`, int64(room)).Scan(&requests, &running)
		if err == nil {
			return decodeState(requests, running)
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return nil, err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO meeting_rooms (room_id) VALUES ($1) ON CONFLICT DO NOTHING`, int64(room))
		if err != nil {
			return nil, err
		}
		if tag.RowsAffected() == 1 {
			return &workroom.MeetingState{}, nil
		}
		// Another front end made it meanwhile: lock theirs.
	}
	return nil, errors.New("the room's row kept vanishing")
}

// numberRequests gives each new request (ID 0) the sequence's next ID.
func numberRequests(ctx context.Context, tx pgx.Tx, st *workroom.MeetingState) error {
	for i := range st.Requests {
		if st.Requests[i].ID != 0 {
			continue
		}
		var id int64
		if err := tx.QueryRow(ctx, `SELECT nextval('meeting_request_ids')`).Scan(&id); err != nil {
			return err
		}
		st.Requests[i].ID = uint64(id)
	}
	return nil
}

// writeRoom keeps the room's state, or deletes its row once it is empty.
func writeRoom(ctx context.Context, tx pgx.Tx, room workroom.RoomID, st *workroom.MeetingState) error {
	if st.Empty() {
		_, err := tx.Exec(ctx, `DELETE FROM meeting_rooms WHERE room_id = $1`, int64(room))
		return err
	}
	requests, running, err := encodeState(st)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE meeting_rooms SET requests = $2, running = $3, changed = now() WHERE room_id = $1`, int64(room), requests, running)
	return err
}

// State implements workroom.MeetingBook: the state last committed.
func (b *MeetingBook) State(ctx context.Context, room workroom.RoomID) (*workroom.MeetingState, error) {
	var requests, running []byte
	err := b.pool.QueryRow(ctx, `SELECT requests, running FROM meeting_rooms WHERE room_id = $1`, int64(room)).Scan(&requests, &running)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return &workroom.MeetingState{}, nil
	case err != nil:
		return nil, fmt.Errorf("postgres: meetings of room %d: %w", room, err)
	}
	return decodeState(requests, running)
}

// Rooms implements workroom.MeetingBook: a room has a row only while its
// state is not empty.
func (b *MeetingBook) Rooms(ctx context.Context) ([]workroom.RoomID, error) {
	rows, err := b.pool.Query(ctx, `SELECT room_id FROM meeting_rooms ORDER BY room_id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: rooms with meetings: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: rooms with meetings: %w", err)
	}
	out := make([]workroom.RoomID, len(ids))
	for i, id := range ids {
		out[i] = workroom.RoomID(id)
	}
	return out, nil
}

// encodeState is the row's columns: requests as a JSON array, running as
// JSON or NULL.
func encodeState(st *workroom.MeetingState) (requests string, running any, err error) {
	requests = "[]"
	if len(st.Requests) > 0 {
		b, err := json.Marshal(st.Requests)
		if err != nil {
			return "", nil, err
		}
		requests = string(b)
	}
	if st.Running != nil {
		b, err := json.Marshal(st.Running)
		if err != nil {
			return "", nil, err
		}
		running = string(b)
	}
	return requests, running, nil
}

func decodeState(requests, running []byte) (*workroom.MeetingState, error) {
	st := &workroom.MeetingState{}
	if err := json.Unmarshal(requests, &st.Requests); err != nil {
		return nil, fmt.Errorf("postgres: meeting requests: %w", err)
	}
	if running != nil {
		st.Running = &workroom.RunningMeeting{}
		if err := json.Unmarshal(running, st.Running); err != nil {
			return nil, fmt.Errorf("postgres: running meeting: %w", err)
		}
	}
	if len(st.Requests) == 0 {
		st.Requests = nil
	}
	return st, nil
}

var _ workroom.MeetingBook = (*MeetingBook)(nil)
