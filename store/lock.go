package store

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// lockWait is how long Open waits for another process to let go of the
// file before saying who holds it. bbolt holds an flock for as long as a
// store is open, so a second server on the same data folder would
// otherwise wait and then say only "timeout".
const lockWait = 250 * time.Millisecond

// InUseError is the store file being held open by another process: as a
// rule another workroom server on the same data folder.
type InUseError struct {
	Path string
	PID  int // of the process holding it, as it recorded; 0 when unknown
}

func (e *InUseError) Error() string {
	return fmt.Sprintf("%s is in use by another workroom server (%s)", e.Path, e.Holder())
}

// Holder names the process holding the file: "pid 1234", or "pid
// unknown" when it left no record (a program other than workroom).
func (e *InUseError) Holder() string {
	if e.PID == 0 {
		return "pid unknown"
	}
	return "pid " + strconv.Itoa(e.PID)
}

// pidPath is the file beside the store where the process holding it
// records its pid, written only while holding the lock.
func pidPath(path string) string { return path + ".pid" }

func writePID(path string) error {
	return os.WriteFile(pidPath(path), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
}

// readPID reads the pid the holder recorded; 0 when there is none.
func readPID(path string) int {
	b, err := os.ReadFile(pidPath(path))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
