package tui

import (
	"context"
	"io"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/workroomtest"
)

// FuzzInput types arbitrary bytes — keys, escape sequences, bracketed
// pastes, mouse reports, garbage — into the real program, on the sign-up
// screen, the workroom list and a workroom, at a size from tiny to large.
// Panics are not caught (WithoutCatchPanics), so any panic in an update,
// a view or a command fails the run. The input ends with a closed paste
// and ctrl+c so that the program has read all of it before it ends.
func FuzzInput(f *testing.F) {
	for _, s := range []string{
		"", "q", "?", "jjjkk\r", "\t\t\t", "i hello\r", "\x1b[200~pasted\ntext\x1b[201~\r",
		"\x1b[A\x1b[B\x1b[5~\x1b[6~", "S\x1b", "f g \r", "\x1b[<0;10;5M", "\x1b[9999;9999R", "\x00\x7f\x08",
		"/\xff\xfe", "\x1b]52;c;aGVsbG8=\x07", "n\x1b[1;5A",
	} {
		f.Add([]byte(s), uint8(0), uint8(0))
		f.Add([]byte(s), uint8(1), uint8(3))
		f.Add([]byte(s), uint8(2), uint8(7))
	}
	fx := newFixture(f)
	ada, bob := fx.SignUp(f, "Ada"), fx.SignUp(f, "Bob")
	room := fx.Room(f, ada, bob, "Logo design")
	fx.Post(f, bob, room.ID, "a message to scroll past")
	stranger, err := fx.Svc.Authenticate(context.Background(), workroomtest.Key("stranger"))
	if err != nil {
		f.Fatal(err)
	}
	sizes := [][2]int{{60, 16}, {80, 24}, {200, 50}, {20, 5}, {1, 1}, {500, 200}, {61, 17}, {120, 40}}

	f.Fuzz(func(t *testing.T, input []byte, where, size uint8) {
		id, open := ada, workroom.RoomID(0)
		switch where % 3 {
		case 1:
			open = room.ID
		case 2:
			id = stranger
		}
		wh := sizes[int(size)%len(sizes)]
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		inR, inW := io.Pipe()
		p := fx.app.NewProgram(ctx, id, open, inR, io.Discard,
			tea.WithWindowSize(wh[0], wh[1]), tea.WithEnvironment([]string{"TERM=xterm-256color"}),
			tea.WithoutSignals(), tea.WithoutCatchPanics())
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = p.Run()
		}()
		go func() {
			_, _ = inW.Write(input)
			_, _ = inW.Write([]byte("\x1b[201~\x03"))
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			// Still running (ctrl+c was taken as text somewhere): end it
			// the way a closed connection does.
			cancel()
			<-done
		}
		inW.Close()
	})
}
