package sftp

import (
	"bytes"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/pkg/sftp"

	"github.com/workroom/workroom"
)

// Fileread opens a file for reading: the latest version of an area file,
// an older one under .versions, or the transcript.
func (h *handlers) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	pl, err := h.locate(r.Filepath)
	if err != nil {
		return nil, err
	}
	switch pl.kind {
	case atArea:
		return h.openVersion(pl, pl.inner, 0)
	case atVersions:
		file, n, ok := h.versionFile(pl)
		if !ok {
			return nil, errNotFound
		}
		return h.openVersion(pl, file, n)
	case atTranscript:
		t, err := h.transcript(pl.room)
		if err != nil {
			return nil, err
		}
		return bytes.NewReader(t.text), nil
	}
	return nil, fail(r.Filepath + " is a folder; open a file in it")
}

func (h *handlers) openVersion(pl place, p string, n int) (io.ReaderAt, error) {
	_, _, b, err := h.svc.OpenVersion(h.ctx, pl.room.ID, p, n)
	if err != nil {
		return nil, h.status(err)
	}
	return b, nil
}

// versionFile reads ".versions/<path>/v<N>-<name>": the file's path and
// N; false when the last name is not of that form for that file.
func (h *handlers) versionFile(pl place) (string, int, bool) {
	file, base := path.Dir(pl.rest), path.Base(pl.rest)
	if file == "." || !strings.HasPrefix(base, "v") {
		return "", 0, false
	}
	num, name, ok := strings.Cut(base[1:], "-")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 1 || strconv.Itoa(n) != num || name != path.Base(file) {
		return "", 0, false
	}
	return file, n, true
}

// versionName is how version v of the file named name is listed.
func versionName(name string, v workroom.Version) string {
	return "v" + strconv.Itoa(v.N) + "-" + name
}
