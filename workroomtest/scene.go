package workroomtest

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/workroom/workroom"
)

// The scene the permission matrix plays in (matrix.go): one workroom with
// one person of each kind, and what their cases work on.

// Signer is the SSH key of the person called name, the same on every
// call, so a test can dial a server as someone the scene signed up.
func Signer(name string) ssh.Signer {
	seed := sha256.Sum256([]byte("matrix:" + name))
	s, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(seed[:]))
	if err != nil {
		panic(err)
	}
	return s
}

// Scene is a workroom with one of each kind of person, and files for the
// acts to work on: each person has a file of their own (Own) and a file
// someone else uploaded (Others), so no two people's cases touch the
// same thing, and the "Shared" file exists for new versions and downloads.
type Scene struct {
	*World
	Room    *workroom.Room
	People  map[Who]*workroom.Identity
	Own     map[Who]string
	Others  map[Who]string
	Missing workroom.RoomID // an id no room has
	// Victim is, per person, the team member that person's remove case
	// removes; Invitee the address their invite case invites.
	Victim  map[Who]*workroom.Identity
	Invitee map[Who]string
}

// MissingRoom is the id of a room no scene has: a number no other part
// of an answer holds, so answers for it and for the scene's room compare
// byte for byte once it is put back to the room's.
const MissingRoom workroom.RoomID = 987654321

// Shared is the file every scene holds, uploaded by the client.
const Shared = "brief.txt"

// SharedBytes are Shared's bytes.
var SharedBytes = []byte("the brief\n")

// NewScene sets the scene in w: the client and the freelancer of a room,
// a team member, a guest, an outsider and a disabled account, each with
// the key Signer(their name), verified addresses, and the files.
func NewScene(t testing.TB, w *World) *Scene {
	t.Helper()
	s := &Scene{World: w, People: map[Who]*workroom.Identity{}, Own: map[Who]string{}, Others: map[Who]string{},
		Victim: map[Who]*workroom.Identity{}, Invitee: map[Who]string{}}
	person := func(who Who, name string) *workroom.Identity {
		k := workroom.KeyOf(Signer(name).PublicKey())
		u, err := w.Svc.SignUp(context.Background(), k, name, Email(name))
		if err != nil {
			t.Fatal(err)
		}
		id := &workroom.Identity{Key: k, User: u}
		w.Verify(t, id)
		if who != "" {
			s.People[who] = id
		}
		return id
	}
	client, free := person(Client, "Carol"), person(Freelancer, "Fred")
	s.Room = w.Room(t, client, free, "Logo design")
	s.Missing = MissingRoom
	invite := func(id *workroom.Identity, role workroom.Role) {
		if _, err := w.Svc.Invite(As(client), s.Room.ID, id.User.Email, role); err != nil {
			t.Fatal(err)
		}
	}
	invite(person(Team, "Tina"), workroom.RoleTeam)
	invite(person(Guest, "Gail"), workroom.RoleGuest)
	person(Outsider, "Otto")
	dis := person(Disabled, "Dora")
	invite(dis, workroom.RoleTeam)
	w.Upload(t, client, s.Room.ID, Shared, SharedBytes)
	for i, who := range Everyone {
		s.Own[who] = fmt.Sprintf("own-%d.txt", i)
		s.record(t, s.Own[who], s.People[who])
		s.Others[who] = fmt.Sprintf("others-%d.txt", i)
		by := client
		if who == Client {
			by = free
		}
		s.record(t, s.Others[who], by)
		s.Victim[who] = person("", fmt.Sprintf("Vic%d", i))
		invite(s.Victim[who], workroom.RoleGuest)
		s.Invitee[who] = fmt.Sprintf("new%d@example.com", i)
	}
	if err := w.DB.SetDisabled(context.Background(), dis.User.ID, true); err != nil {
		t.Fatal(err)
	}
	return s
}

// record stores a small file in the room as uploaded by id, through the
// store: a guest or an outsider never uploads, yet the rules about whose
// file it is must hold for them too.
func (s *Scene) record(t testing.TB, path string, by *workroom.Identity) {
	t.Helper()
	data := []byte("file " + path + "\n")
	sum := sha256.Sum256(data)
	v := workroom.Version{Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), UploaderID: by.User.ID, UploaderName: by.User.Name,
		Uploaded: s.Now(), ModTime: s.Now(), Scan: workroom.ScanNotScanned}
	if err := s.Blobs.Put(s.tempWith(t, data), v.SHA256); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.DB.CommitVersion(context.Background(), workroom.VersionCommit{Room: s.Room.ID, Path: path, Version: v, DefaultQuota: workroom.DefaultRoomQuota}); err != nil {
		t.Fatal(err)
	}
}

func (s *Scene) tempWith(t testing.TB, data []byte) string {
	t.Helper()
	f, err := s.Blobs.CreateTemp()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// Snapshot is what a room holds that any action could change, as text:
// two snapshots differ exactly when something changed.
func (s *Scene) Snapshot(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	r, err := s.DB.Room(ctx, s.Room.ID)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "messages %d completed %v\n", r.LastSeq, !r.Completed.IsZero())
	files, err := s.DB.Files(ctx, s.Room.ID, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		fmt.Fprintf(&b, "file %s v%d\n", f.Path, len(f.Versions))
	}
	ms, err := s.DB.Members(ctx, s.Room.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		fmt.Fprintf(&b, "member %d %s\n", m.UserID, m.Role)
	}
	invs, err := s.DB.Invitations(ctx, s.Room.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs {
		fmt.Fprintf(&b, "invited %s %s\n", inv.Email, inv.Role)
	}
	todos, err := s.DB.Todos(ctx, s.Room.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, td := range todos {
		fmt.Fprintf(&b, "todo %+v\n", td)
	}
	return b.String()
}
