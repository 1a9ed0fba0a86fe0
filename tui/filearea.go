package tui

import (
	"context"
	"slices"

	"github.com/workroom/workroom"
)

// A room's file area as the Files view and the attachment picker read it:
// every file up to maxShownFiles, grouped by folder. A room holds at most
// its quota, but tiny files could still be many; past the cap the views
// say so and point to sftp.
const maxShownFiles = 2 * workroom.MaxPageSize

// fileArea is what one read of a room's area brought.
type fileArea struct {
	room      workroom.Membership
	files     []workroom.File // by path
	folders   []string        // every folder, those that hold files too
	usage     workroom.Usage
	truncated bool // more files than maxShownFiles
	scanning  bool // uploads go through a virus scanner
}

// readFileArea reads a room and its files, page by page, up to
// maxShownFiles.
func readFileArea(ctx context.Context, svc *workroom.Service, id workroom.RoomID) (*fileArea, error) {
	info, err := svc.Room(ctx, id)
	if err != nil {
		return nil, err
	}
	a := &fileArea{room: *info, scanning: svc.Scanning()}
	after := ""
	for {
		page, err := svc.Files(ctx, id, after, workroom.MaxPageSize)
		if err != nil {
			return nil, err
		}
		a.files = append(a.files, page.Files...)
		a.usage = page.Usage
		if after == "" {
			a.folders = page.Folders
		}
		if page.After == "" {
			break
		}
		if len(a.files) >= maxShownFiles {
			a.truncated = true
			break
		}
		after = page.After
	}
	a.folders = allFolders(a.folders, a.files)
	return a, nil
}

// allFolders is every folder, made on purpose or holding a file, with ""
// (the top of the room) first when it holds files, the rest by name.
func allFolders(made []string, files []workroom.File) []string {
	set := map[string]bool{}
	for _, f := range made {
		set[f] = true
	}
	for i := range files {
		set[files[i].Folder()] = true
	}
	out := make([]string, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	slices.Sort(out) // "" sorts first
	return out
}

// byFolder returns the indices of the files in folder, in path order.
func (a *fileArea) byFolder(folder string) []int {
	var out []int
	for i := range a.files {
		if a.files[i].Folder() == folder {
			out = append(out, i)
		}
	}
	return out
}
