// Package sftp serves each member's workrooms over SFTP (pkg/sftp's
// request server) through workroom.Service alone:
//
//	/                                           one folder per workroom: <id>-<slug>
//	/<room>/<folders…>/<name>                   the latest version of each file
//	/<room>/.versions/<folders…>/<name>/v<N>-<name>   every version, read-only
//	/<room>/.transcript.txt                     the messages, oldest first, read-only
//
// Writing a name makes a new version when the file is closed; so does a
// rename onto a name (rclone's .partial, WinSCP's .filepart). Every rule
// — who may do what, names, sizes, the quota, the scan — is the
// service's; this package only maps paths and answers.
package sftp

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/pkg/sftp"

	"github.com/workroom/workroom"
)

// Server is the "sftp" subsystem (sshd.Subsystem).
type Server struct {
	svc *workroom.Service
	log *slog.Logger
}

// New returns the SFTP subsystem over svc.
func New(svc *workroom.Service, log *slog.Logger) *Server {
	return &Server{svc: svc, log: log}
}

// maxTxPacket is the largest read answered in one packet: clients that
// ask for more (up to 255 KiB with OpenSSH) get it in one answer.
const maxTxPacket = 256 << 10

// ServeSubsystem serves one SFTP session until the client ends it, its
// connection drops, or ctx ends (access revoked, server stopping): the
// request server is then closed, and uploads still open are aborted
// (TransferError), storing nothing. Once the server is stopping, the
// session ends itself when its uploads are done (finish.go).
func (s *Server) ServeSubsystem(ctx context.Context, id *workroom.Identity, ch io.ReadWriteCloser) error {
	h := &handlers{svc: s.svc, log: s.log, ctx: ctx, id: id, uploads: make(map[string]*upload)}
	in := newHeard(ch)
	rs := sftp.NewRequestServer(in, sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h},
		sftp.WithRSAllocator(), sftp.WithRSMaxTxPacket(maxTxPacket))
	stop := context.AfterFunc(ctx, func() { _ = rs.Close() })
	defer stop()
	served := make(chan struct{})
	defer close(served)
	go h.endWhenFinished(s.svc.Stopping(), served, in, func() { _ = rs.Close() })
	err := rs.Serve()
	if err != nil && !errors.Is(err, io.EOF) && ctx.Err() == nil {
		s.log.Info("sftp: session ended", "user", id.User.ID, "reason", err)
	}
	// The client ended the session or its connection went: either way
	// there is nothing to tell it, and the pipeline sends exit 0 before
	// the channel closes (scp exits 1 otherwise).
	return nil
}

// handlers answer one session's requests; pkg/sftp calls them from
// several workers at once.
type handlers struct {
	svc *workroom.Service
	log *slog.Logger
	// ctx is the session's: it carries the acting identity, and ends when
	// access is revoked. Requests' own contexts carry no identity.
	ctx context.Context
	id  *workroom.Identity

	mu      sync.Mutex
	uploads map[string]*upload // open uploads by room and path, for Setstat by path
	open    atomic.Int64       // uploads started and not yet closed (finish.go)
	scripts map[workroom.RoomID]*transcript
}

var (
	_ sftp.OpenFileWriter       = (*handlers)(nil)
	_ sftp.PosixRenameFileCmder = (*handlers)(nil)
	_ sftp.StatVFSFileCmder     = (*handlers)(nil)
	_ sftp.LstatFileLister      = (*handlers)(nil)
	_ sftp.RealPathFileLister   = (*handlers)(nil)
)
