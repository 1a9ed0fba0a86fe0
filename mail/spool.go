package mail

import (
	"bytes"
	"io"
	"os"
)

// spoolInMemory is how much of a mail is kept in memory while it is read;
// a larger one goes on into a file under the spool folder. Most mail is
// far smaller, and a temp file per mail cost a fifth of ingest's CPU
// (creating files is slow on the file systems this runs on). With the
// SMTP session limit, memory held by spools stays bounded.
const spoolInMemory = 1 << 20

// spooled is one whole mail as received, read again from its start by
// each step that needs it (sender checks, parsing).
type spooled struct {
	mem  []byte
	file *os.File // nil while the mail fits in memory
}

// spoolMail reads r to its end into memory, or into a temp file in dir
// once it outgrows spoolInMemory. The spool is returned also with a read
// error, so that its file can be removed.
func spoolMail(dir string, r io.Reader) (*spooled, error) {
	sp := &spooled{}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, spoolInMemory+1))
	sp.mem = buf.Bytes()
	if err != nil || n <= spoolInMemory {
		return sp, err
	}
	if sp.file, err = os.CreateTemp(dir, "mail-*"); err != nil {
		return sp, err
	}
	if _, err := sp.file.Write(sp.mem); err != nil {
		return sp, err
	}
	sp.mem = nil
	_, err = io.Copy(sp.file, r)
	return sp, err
}

// reader reads the mail from its start.
func (sp *spooled) reader() (io.Reader, error) {
	if sp.file == nil {
		return bytes.NewReader(sp.mem), nil
	}
	if _, err := sp.file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return sp.file, nil
}

// remove lets go of the spool.
func (sp *spooled) remove() {
	if sp.file != nil {
		_ = sp.file.Close()
		_ = os.Remove(sp.file.Name())
	}
}
