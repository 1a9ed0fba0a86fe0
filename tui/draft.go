package tui

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/workroom/workroom"
)

// Drafts. What the composer holds is kept per room as the user's draft
// (Service.SaveDraft): when they leave the room, when the program ends
// (quitting, the connection dropping, the server stopping), and while
// they type, once they pause for draftIdle. Opening the room again puts
// the draft back in the composer, and the room list marks rooms holding
// one. Sending drops it (the service does that when it posts).

// draftIdle is how long typing pauses before the draft is saved.
const draftIdle = time.Second

// drafts writes a session's drafts one at a time, newest last: every
// save carries a version (session.nextGen, taken in Update), and a save
// older than one already written is skipped, so a slow save from a pause
// never overwrites what was saved on leaving.
type drafts struct {
	mu      sync.Mutex
	written map[workroom.RoomID]int
}

// save stores text as the draft of room if ver is newer than the last
// written. It waits for a save in flight. The context is the session's
// without its cancellation: a draft saved as the connection ends must
// still be stored.
func (d *drafts) save(svc *workroom.Service, ctx context.Context, room workroom.RoomID, text string, ver int) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ver <= d.written[room] {
		return nil
	}
	if err := svc.SaveDraft(context.WithoutCancel(ctx), room, text); err != nil {
		return err
	}
	if d.written == nil {
		d.written = make(map[workroom.RoomID]int)
	}
	d.written[room] = ver
	return nil
}

// draftUnknown as the last saved draft makes the next save happen
// whatever the composer holds: no text a person types equals it.
const draftUnknown = "\x00unknown"

// draftIdleMsg fires draftIdle after a key in the composer; seq says
// which key, so only the last of a burst saves.
type draftIdleMsg struct{ seq int }

// typed notes a change in the composer and schedules a save for when
// typing pauses.
func (r *roomPane) typed() tea.Cmd {
	r.typedSeq++
	seq, id := r.typedSeq, r.paneBase.id
	return r.env.after(draftIdle, addressed{to: id, msg: draftIdleMsg{seq: seq}})
}

// saveDraftCmd saves what the composer holds, in a command, if it
// changed since the last save.
func (r *roomPane) saveDraftCmd() tea.Cmd {
	text := r.composer.value()
	if text == r.savedDraft {
		return nil
	}
	r.savedDraft = text
	svc, ctx, log, uid, id, d, ver := r.sess.svc, r.sess.ctx, r.sess.log, r.sess.user.ID, r.id, r.sess.drafts, r.sess.nextGen()
	return func() tea.Msg {
		logFailure(log, "save draft", uid, d.save(svc, ctx, id, text, ver))
		return nil
	}
}

// saveDraftNow saves what the composer holds before returning: leaving
// the room or ending the program, so the list shown next (or the next
// session) has it.
func (r *roomPane) saveDraftNow() {
	if cmd := r.saveDraftCmd(); cmd != nil {
		cmd()
	}
}
