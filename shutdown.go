package workroom

import "sync"

// Stopping the server is graceful: Shutdown tells every live session,
// and from then on a session starts no new upload (StartUpload and the
// attachment starts refuse with EUNAVAILABLE, RuleServerStopping) while
// the uploads already running may finish, so a transport can wait for
// them within its grace (the SFTP server ends a session once its uploads
// are done) instead of cutting them off. A mail already received is not
// refused: its files are part of finishing it (StageMailFile).

// RuleServerStopping: the server is shutting down; try again in a moment.
const RuleServerStopping Rule = "server_stopping"

// stopping is closed once, by Shutdown.
type stopping struct {
	once sync.Once
	ch   chan struct{}
}

// Shutdown tells every live session that the server is stopping, and
// refuses new uploads from now on. Calling it again does nothing more.
func (s *Service) Shutdown() {
	s.stop.once.Do(func() {
		close(s.stop.ch)
		s.hub.PublishAll(Event{Kind: EventShutdown})
	})
}

// Stopping is closed once Shutdown has been called.
func (s *Service) Stopping() <-chan struct{} { return s.stop.ch }

// refuseWhenStopping refuses to start new work once Shutdown was called.
func (s *Service) refuseWhenStopping(what string) error {
	select {
	case <-s.stop.ch:
		return Errorf(EUNAVAILABLE, "%s: the server is stopping and takes no new uploads; upload again in a moment", what).Because(RuleServerStopping)
	default:
		return nil
	}
}
