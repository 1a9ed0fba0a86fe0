package mail

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// TestSpool_SmallMailStaysInMemoryAndALargeOneGoesToAFile: a mail up to
// spoolInMemory makes no file; a larger one is spilled whole into the
// spool folder, read back byte for byte, and removed with the spool.
func TestSpool_SmallMailStaysInMemoryAndALargeOneGoesToAFile(t *testing.T) {
	for _, size := range []int{0, 100, spoolInMemory, spoolInMemory + 1, 3 * spoolInMemory} {
		dir := t.TempDir()
		mail := bytes.Repeat([]byte("x"), size)
		sp, err := spoolMail(dir, bytes.NewReader(mail))
		if err != nil {
			t.Fatal(err)
		}
		files, _ := os.ReadDir(dir)
		if wantFile := size > spoolInMemory; (len(files) == 1) != wantFile {
			t.Fatalf("%d bytes: %d spool files, want a file %v", size, len(files), wantFile)
		}
		for range 2 { // every reader starts at the first byte
			r, err := sp.reader()
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := io.ReadAll(r); !bytes.Equal(got, mail) {
				t.Fatalf("%d bytes: read back %d", size, len(got))
			}
		}
		sp.remove()
		if files, _ := os.ReadDir(dir); len(files) != 0 {
			t.Fatalf("%d bytes: %d files left after remove", size, len(files))
		}
	}
}

// TestSpool_ReadErrorIsReturned: a mail cut short is never taken as whole.
func TestSpool_ReadErrorIsReturned(t *testing.T) {
	cut := io.MultiReader(bytes.NewReader(bytes.Repeat([]byte("x"), 2*spoolInMemory)), &failing{})
	sp, err := spoolMail(t.TempDir(), cut)
	if err != io.ErrUnexpectedEOF {
		t.Fatalf("err %v, want the read error", err)
	}
	sp.remove()
	if _, err := spoolMail(t.TempDir(), io.MultiReader(bytes.NewReader([]byte("short")), &failing{})); err != io.ErrUnexpectedEOF {
		t.Fatalf("small mail: err %v, want the read error", err)
	}
}

type failing struct{}

func (*failing) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
