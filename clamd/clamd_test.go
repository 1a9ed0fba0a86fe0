package clamd_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/clamd"
	"github.com/workroom/workroom/clamd/clamdtest"
	"github.com/workroom/workroom/workroomtest"
)

var ctx = context.Background()

func zipped(t *testing.T, name, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestScan_AgainstRealClamd(t *testing.T) {
	srv := clamdtest.Start(t)
	c := clamd.New(srv.Addr)
	clean := make([]byte, 300<<10) // several chunks, fresh bytes
	_, _ = rand.Read(clean)
	if err := c.Scan(ctx, bytes.NewReader(clean)); err != nil {
		t.Fatalf("clean bytes: %v", err)
	}
	for name, data := range map[string][]byte{
		"plain":      []byte(clamdtest.EICAR),
		"inside zip": zipped(t, "eicar.com", clamdtest.EICAR),
	} {
		err := c.Scan(ctx, bytes.NewReader(data))
		if workroom.ErrorCode(err) != workroom.EINFECTED || !strings.Contains(err.Error(), clamdtest.Signature) {
			t.Errorf("EICAR %s: %v, want EINFECTED naming %s", name, err, clamdtest.Signature)
		}
	}
	// A source that breaks mid-stream is never clean: clamd would have
	// scanned a clean prefix.
	broken := io.MultiReader(bytes.NewReader(clean[:100<<10]), &failingReader{})
	if err := c.Scan(ctx, broken); workroom.ErrorCode(err) != workroom.EUNAVAILABLE {
		t.Fatalf("broken source: %v, want EUNAVAILABLE", err)
	}
	srv.Stop()
	err := c.Scan(ctx, bytes.NewReader(clean))
	if workroom.ErrorCode(err) != workroom.EUNAVAILABLE || workroom.ErrorMessage(err) != "the virus scanner cannot be reached; try again later" {
		t.Fatalf("stopped scanner: %v (%q)", err, workroom.ErrorMessage(err))
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk read error") }

// TestUpload_EICARRefusedThroughThePipeline runs the service's upload
// pipeline with the real scanner.
func TestUpload_EICARRefusedThroughThePipeline(t *testing.T) {
	srv := clamdtest.Start(t)
	w := workroomtest.New(t, workroomtest.WithScanner(clamd.New(srv.Addr)))
	c, f := w.SignUp(t, "Carol"), w.SignUp(t, "Fred")
	r := w.Room(t, c, f, "Logo")
	as := workroomtest.As(f)
	for name, data := range map[string][]byte{"eicar.txt": []byte(clamdtest.EICAR), "eicar.zip": zipped(t, "eicar.com", clamdtest.EICAR)} {
		_, err := workroomtest.UploadBytes(as, w.Svc, r.ID, name, data, workroom.UploadOptions{})
		if workroom.ErrorCode(err) != workroom.EINFECTED {
			t.Fatalf("%s: %v, want EINFECTED", name, err)
		}
	}
	ok, err := workroomtest.UploadBytes(as, w.Svc, r.ID, "fine.txt", []byte("hello"), workroom.UploadOptions{})
	if err != nil || ok.Version.Scan != workroom.ScanClean {
		t.Fatalf("clean upload: %+v, %v", ok, err)
	}
	page, err := w.Svc.Files(as, r.ID, "", 0)
	if err != nil || len(page.Files) != 1 || page.Usage.Used != 5 {
		t.Fatalf("after refusals the area holds %+v, %v", page, err)
	}
	srv.Stop()
	_, err = workroomtest.UploadBytes(as, w.Svc, r.ID, "later.txt", []byte("hello again"), workroom.UploadOptions{})
	if workroom.ErrorCode(err) != workroom.EUNAVAILABLE {
		t.Fatalf("scanner stopped: %v, want EUNAVAILABLE", err)
	}
}

// fakeClamd answers every connection with reply after reading the
// request up to its end (or closes early when cut is set).
func fakeClamd(t *testing.T, reply string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
				buf := make([]byte, 16)
				_, _ = io.ReadFull(conn, buf[:10]) // zINSTREAM\0
				_, _ = io.WriteString(conn, reply)
			}()
		}
	}()
	return l.Addr().String()
}

func TestScan_OnlyStreamOKIsClean(t *testing.T) {
	for _, reply := range []string{
		"INSTREAM size limit exceeded. ERROR\x00",
		"stream: Can't allocate memory ERROR\x00",
		"UNKNOWN COMMAND\x00",
		"",
	} {
		c := &clamd.Client{Addr: fakeClamd(t, reply), Timeout: 5 * time.Second}
		err := c.Scan(ctx, bytes.NewReader(make([]byte, 1<<20)))
		if workroom.ErrorCode(err) != workroom.EUNAVAILABLE {
			t.Errorf("reply %q: %v, want EUNAVAILABLE", reply, err)
		}
	}
	// A clamd that says OK before it had the whole stream (the write
	// failed) is not believed.
	c := &clamd.Client{Addr: fakeClamd(t, "stream: OK\x00"), Timeout: 5 * time.Second}
	if err := c.Scan(ctx, bytes.NewReader(make([]byte, 8<<20))); workroom.ErrorCode(err) != workroom.EUNAVAILABLE {
		t.Errorf("OK after a cut stream: %v, want EUNAVAILABLE", err)
	}
}

func TestScan_UnreachableIsUnavailable(t *testing.T) {
	c := &clamd.Client{Addr: "/nonexistent/clamd.sock", Timeout: time.Second}
	if err := c.Scan(ctx, strings.NewReader("x")); workroom.ErrorCode(err) != workroom.EUNAVAILABLE {
		t.Fatalf("%v, want EUNAVAILABLE", err)
	}
}
