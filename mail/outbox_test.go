package mail

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

var codeLine = regexp.MustCompile(`(?m)^Verification code: [0-9]{10}\r?$`)

func TestSender_WritesVerificationMailAsEmlFile(t *testing.T) {
	w := newWorld(t)
	dir := filepath.Join(t.TempDir(), "outbox")
	runSender(t, NewSender(SenderConfig{OutboxDir: dir}, w.Outbox, slog.New(slog.DiscardHandler)))

	w.SignUp(t, "user1")
	var files []string
	workroomtest.WaitUntil(t, "a .eml file", func() bool {
		files, _ = filepath.Glob(filepath.Join(dir, "*.eml"))
		return len(files) == 1
	})
	if name := filepath.Base(files[0]); !regexp.MustCompile(`^20250304T050607Z-[0-9]{8}\.eml$`).MatchString(name) {
		t.Errorf("file name %q is not <time>-<id>.eml", name)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if !codeLine.Match(raw) {
		t.Errorf("raw file has no readable \"Verification code: CODE\" line:\n%s", raw)
	}
	h, body := parse(t, raw)
	if to := h.Get("To"); to != "<user1@example.com>" {
		t.Errorf("To = %q", to)
	}
	if id, _ := h.MessageID(); !strings.HasSuffix(id, "@test.localhost") {
		t.Errorf("Message-Id = %q", id)
	}
	if !codeLine.MatchString(body) {
		t.Errorf("body has no code line: %q", body)
	}
	workroomtest.WaitUntil(t, "the outbox to empty", func() bool { return len(pending(t, w)) == 0 })
}

func TestSender_LeavesNoTempFiles(t *testing.T) {
	w := newWorld(t)
	dir := filepath.Join(t.TempDir(), "outbox")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// What a crash in the middle of a write leaves behind.
	crashed := filepath.Join(dir, ".writing-123.tmp")
	if err := os.WriteFile(crashed, []byte("From: half"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		w.SignUp(t, fmt.Sprintf("user%d", i))
	}
	runSender(t, NewSender(SenderConfig{OutboxDir: dir}, w.Outbox, slog.New(slog.DiscardHandler)))
	workroomtest.WaitUntil(t, "five .eml files", func() bool {
		files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		return len(files) == 5
	})
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".eml") {
			t.Errorf("left behind %s", e.Name())
		}
	}
}

func TestWriteAtomic_ReplacesWholeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.eml")
	for _, data := range [][]byte{[]byte("first version, rather long"), []byte("second")} {
		if err := writeAtomic(path, data); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read %q, %v; want %q", got, err, data)
		}
	}
}

func TestSender_RedeliveringAMailKeepsOneFile(t *testing.T) {
	dir := t.TempDir()
	o := &fileOutbox{dir: dir}
	m := testMail("Verification code: 123456\n")
	for range 2 {
		if err := o.deliver(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 1 {
		t.Fatalf("got files %v, want one", files)
	}
}

func TestSender_DropsMailThatCannotBeRendered(t *testing.T) {
	err := (&fileOutbox{dir: t.TempDir()}).deliver(context.Background(), workroom.Mail{To: "bad", From: "bad"})
	if !isPermanent(err) {
		t.Fatalf("got %v, want a permanent failure", err)
	}
}
