package postgres_test

import (
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/postgres"
	"github.com/workroom/workroom/postgres/pgtest"
	"github.com/workroom/workroom/workroomtest/meetingtest"
)

// Each front end opens a book of its own — its own pool, as another
// process would — on one database. The services in the suite keep their
// records in a bbolt store shared in process: the book is what is under
// test.
func TestMeetingBook_Contract(t *testing.T) {
	meetingtest.Run(t, func(t *testing.T) func() workroom.MeetingBook {
		url := pgtest.NewDatabase(t)
		return func() workroom.MeetingBook {
			b, err := postgres.OpenMeetingBook(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(b.Close)
			return b
		}
	})
}
