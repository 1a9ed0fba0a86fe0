package mail

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/workroom/workroom"
)

// fileOutbox delivers mail by writing each message as a .eml file into a
// folder, so the server works with no relay at all: a person reads the
// sign-up code from the file. Each file appears whole or not at all.
type fileOutbox struct {
	dir string
}

// tempPattern names files being written: hidden and without the .eml
// suffix, so a reader globbing *.eml never sees one.
const tempPattern = ".writing-*.tmp"

// prepare creates the folder and removes temp files a crash left behind.
func (o *fileOutbox) prepare() error {
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return fmt.Errorf("outbox folder: %w", err)
	}
	stale, _ := filepath.Glob(filepath.Join(o.dir, tempPattern))
	for _, p := range stale {
		_ = os.Remove(p)
	}
	return nil
}

// deliver writes m. Writing the same mail again (a crash between the
// rename and Outbox.Delivered) replaces the file, so a retry
// never makes a second copy.
func (o *fileOutbox) deliver(_ context.Context, m workroom.Mail) error {
	raw, err := render(m, true)
	if err != nil {
		return permanent(err)
	}
	return writeAtomic(filepath.Join(o.dir, emlName(m)), raw)
}

func (o *fileOutbox) close() {}

// emlName is <time>-<id>.eml: sorting the names sorts the mail by the time
// it was queued.
func emlName(m workroom.Mail) string {
	return fmt.Sprintf("%s-%08d.eml", m.Created.UTC().Format("20060102T150405Z"), m.ID)
}

// writeAtomic writes data to a temp file in the target's folder, flushes
// it to disk and renames it into place, then flushes the folder so the
// rename itself survives a power cut.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPattern)
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
