package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/postgres"
)

// shareMeetings is meeting mode for a front end among several over one
// PostgreSQL database (serve with the store there): cfg.Meetings becomes
// the book in the database at url, so a request made on one front end is
// answered on another and a meeting's attendees may be on any. With the
// embedded store, cfg.Meetings stays nil (the process's own memory) and
// none of this runs.
//
// It returns sweep, to start once the service exists and run until ctx
// ends: every interval (workroom.MeetingSweepInterval) it takes out of
// their meetings the people no front end shows any more — those of a
// front end that died (Service.SweepMeetings). closeBook is for after
// the service is closed.
func shareMeetings(ctx context.Context, url string, interval time.Duration, cfg *workroom.Config, log *slog.Logger) (sweep func(*workroom.Service), closeBook func(), err error) {
	book, err := postgres.OpenMeetingBook(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	cfg.Meetings = book
	sweep = func(svc *workroom.Service) {
		every(ctx, interval, func() {
			if err := svc.SweepMeetings(ctx); err != nil && ctx.Err() == nil {
				log.Error("meeting sweep", "err", err)
			}
		})
	}
	return sweep, book.Close, nil
}
