package workroom_test

import (
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest/meetingtest"
)

// The book of one process meets the contract; its "front ends" are
// services sharing it, as front ends share a database.
func TestMemoryMeetings_Contract(t *testing.T) {
	meetingtest.Run(t, func(*testing.T) func() workroom.MeetingBook {
		b := workroom.NewMemoryMeetings()
		return func() workroom.MeetingBook { return b }
	})
}
