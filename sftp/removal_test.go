package sftp_test

import (
	"context"
	"os"
	"testing"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// A member removed while an SFTP session is open loses the room at the
// next request, and an upload under way when it happened stores nothing.
func TestRemove_OpenSFTPSessionLosesTheRoomAndItsUploadStoresNothing(t *testing.T) {
	e := start(t)
	ada, bob, tess := e.signUp(t, "Ada", nil), e.signUp(t, "Bob", nil), e.signUp(t, "Tess", nil)
	room := e.w.Room(t, ada.id, bob.id, "Logo")
	e.w.Verify(t, tess.id)
	if _, err := e.w.Svc.Invite(workroomtest.As(ada.id), room.ID, tess.id.User.Email, workroom.RoleTeam); err != nil {
		t.Fatal(err)
	}
	c := e.sftp(t, tess)
	if _, err := c.Stat(roomDir(room)); err != nil {
		t.Fatalf("a member cannot see the room: %v", err)
	}
	f, err := c.OpenFile(roomDir(room)+"/half.txt", osWriteTrunc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("the first half\n")); err != nil {
		t.Fatal(err)
	}
	usage, err := e.w.DB.Usage(context.Background(), room.ID, workroom.DefaultRoomQuota)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := e.w.Svc.Remove(workroomtest.As(ada.id), room.ID, "Tess"); err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte("the second half\n"))
	if err := f.Close(); err == nil {
		t.Fatal("the upload of a removed member was stored")
	}
	if _, err := e.w.DB.File(context.Background(), room.ID, "half.txt"); workroom.ErrorCode(err) != workroom.ENOTFOUND {
		t.Fatalf("half.txt after the refused close: %v, want no such file", err)
	}
	if after, _ := e.w.DB.Usage(context.Background(), room.ID, workroom.DefaultRoomQuota); after.Used != usage.Used {
		t.Fatalf("space used went from %d to %d", usage.Used, after.Used)
	}
	if _, err := c.Stat(roomDir(room)); !os.IsNotExist(err) {
		t.Fatalf("the removed member's session still reaches the room: %v", err)
	}
	if list, err := c.ReadDir("/"); err != nil || len(list) != 0 {
		t.Fatalf("the removed member's root lists %d entries (%v), want none", len(list), err)
	}
}
