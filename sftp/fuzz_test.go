package sftp

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// FuzzLocate resolves arbitrary paths as Ada, who is in one room, while
// another room exists that she is not in. Whatever the path — "..",
// absolute, doubled slashes, odd encodings, NUL — it must either be
// refused or lead into Ada's own room (or her root), and every path into
// the other room must get the same answer as a room that does not exist.
func FuzzLocate(f *testing.F) {
	w := workroomtest.New(f, workroomtest.NoSync())
	ada, bob, eve := w.SignUp(f, "Ada"), w.SignUp(f, "Bob"), w.SignUp(f, "Eve")
	mine := w.Room(f, ada, bob, "Logo design")
	theirs := w.Room(f, eve, bob, "Secret plans")
	w.Upload(f, ada, mine.ID, "brief.txt", []byte("hello"))
	w.Upload(f, eve, theirs.ID, "plan.txt", []byte("secret"))
	myFolder, theirFolder := workroom.RoomFolder(mine), workroom.RoomFolder(theirs)

	for _, p := range []string{
		"/", "", ".", "..", "/" + myFolder + "/brief.txt", "/" + myFolder + "/../" + theirFolder + "/plan.txt",
		"/" + theirFolder, theirFolder + "/plan.txt", "/" + myFolder + "/.versions/brief.txt/v1-brief.txt",
		"/" + myFolder + "/.transcript.txt", "//" + theirFolder, "/0" + theirFolder, "/" + myFolder + "/%2e%2e/" + theirFolder,
		"/" + strings.ToUpper(theirFolder), "/" + theirFolder + "\x00", "/" + myFolder[:1] + "-x",
	} {
		f.Add(p)
	}
	h := &handlers{svc: w.Svc, log: slog.New(slog.DiscardHandler), ctx: workroomtest.As(ada), id: ada, uploads: map[string]*upload{}}

	f.Fuzz(func(t *testing.T, p string) {
		pl, err := h.locate(p)
		if err != nil {
			if err != errNotFound {
				t.Fatalf("locate(%q): %v, want the one not-found answer", p, err)
			}
			return
		}
		switch pl.kind {
		case atRoot:
			if pl.room != nil {
				t.Fatalf("locate(%q): the root with a room", p)
			}
		default:
			if pl.room == nil || pl.room.ID != mine.ID {
				t.Fatalf("locate(%q) reached room %v, not Ada's own", p, pl.room)
			}
			if _, err := h.stat(pl); err != nil && err != errNotFound && !isStatus(err) {
				t.Fatalf("stat(%q): %v", p, err)
			}
		}
	})
}

// isStatus is whether err is one of this package's SFTP answers.
func isStatus(err error) bool {
	_, ok := err.(*statusError)
	return ok
}
