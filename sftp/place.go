package sftp

import (
	"path"
	"strconv"
	"strings"

	"github.com/workroom/workroom"
)

// kind is what a path names in the SFTP view.
type kind int

const (
	atRoot       kind = iota // "/": the user's workrooms
	atRoom                   // "/<room>": the top of a room's area
	atArea                   // "/<room>/<path>": a file or folder of the area
	atVersions               // "/<room>/.versions/…"
	atTranscript             // "/<room>/.transcript.txt"
)

// place is where a path leads: the room and the path inside it.
type place struct {
	kind kind
	room *workroom.Membership
	// inner is the path inside the room as the service takes it
	// (".versions/…" and the transcript included, so that the service's
	// own read-only rule refuses writes); rest is the part after
	// ".versions/" for atVersions.
	inner, rest string
}

// locate resolves a path a client sent (pkg/sftp has made it absolute
// and cleaned it: no "." or ".."). The first name must be one of the
// user's room folders exactly as RoomFolder spells it; anything else is
// errNotFound, the same for a room that does not exist and a room the
// user is not in.
func (h *handlers) locate(p string) (place, error) {
	p = strings.Trim(path.Clean("/"+p), "/")
	if p == "" {
		return place{kind: atRoot}, nil
	}
	top, inner, _ := strings.Cut(p, "/")
	m, err := h.room(top)
	if err != nil {
		return place{}, err
	}
	pl := place{room: m, inner: inner}
	switch {
	case inner == "":
		pl.kind = atRoom
	case inner == workroom.TranscriptName:
		pl.kind = atTranscript
	case inner == workroom.VersionsFolder || strings.HasPrefix(inner, workroom.VersionsFolder+"/"):
		pl.kind = atVersions
		pl.rest = strings.TrimPrefix(strings.TrimPrefix(inner, workroom.VersionsFolder), "/")
	default:
		pl.kind = atArea
	}
	return pl, nil
}

// room returns the user's room whose folder is named top.
func (h *handlers) room(top string) (*workroom.Membership, error) {
	digits, _, _ := strings.Cut(top, "-")
	id, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || id == 0 || strconv.FormatUint(id, 10) != digits {
		return nil, errNotFound
	}
	m, err := h.svc.Room(h.ctx, workroom.RoomID(id))
	if err != nil {
		return nil, h.status(err)
	}
	if workroom.RoomFolder(&m.Room) != top {
		return nil, errNotFound
	}
	return m, nil
}

// canWrite is whether the user may upload into the room: guests see
// everything read-only.
func (pl place) canWrite() bool {
	return pl.room != nil && pl.room.Role.Can(workroom.ActionUpload)
}

// key names an open upload for Setstat by path.
func (pl place) key() string {
	return strconv.FormatUint(uint64(pl.room.ID), 10) + "/" + pl.inner
}
