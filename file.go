package workroom

import (
	"path"
	"time"
)

// File is one name in a workroom's file area, with every version it has
// had, oldest first. Uploading to a name that exists adds a version rather
// than replacing it, so nothing a member shared is lost by someone else's
// upload; the latest version is what a download gets unless it names an
// older one. Files sit in folders (the room's categories), and a folder
// exists while it holds something or was made on purpose.
//
// Members who may upload (client, freelancer, team) add files and
// versions; guests only read. The client deletes any file; others delete
// only files whose every version they uploaded.
type File struct {
	RoomID RoomID `json:"room_id"`
	// Path is inside the room: folders and the name, "/"-separated, no
	// leading slash ("designs/logo.png").
	Path     string    `json:"path"`
	Versions []Version `json:"versions"`
}

// OnlyBy refuses, as the stores' DeleteFile and RenameFile do, a file
// with a version uploaded by anyone but u (0: anyone's file passes).
func (f *File) OnlyBy(u UserID) error {
	if u == 0 {
		return nil
	}
	for _, v := range f.Versions {
		if v.UploaderID != u {
			return Refusal(EFORBIDDEN, RuleNotYourFile)
		}
	}
	return nil
}

// Name is the file's name without its folders.
func (f *File) Name() string { return path.Base(f.Path) }

// Folder is the folder the file sits in; "" at the top of the room.
func (f *File) Folder() string { return folderOf(f.Path) }

// Latest is the newest version.
func (f *File) Latest() Version { return f.Versions[len(f.Versions)-1] }

// Version returns version n (1 is the first); false when there is none.
func (f *File) Version(n int) (Version, bool) {
	for _, v := range f.Versions {
		if v.N == n {
			return v, true
		}
	}
	return Version{}, false
}

// Version is one upload of a file's bytes. Its content is a blob named by
// its SHA-256 (Blobs); identical bytes are one blob wherever they appear,
// and count once against a room's quota. MD5 and SHA-1 are kept for the
// sync tools that ask for them (rclone's md5sum and sha1sum).
type Version struct {
	N            int       `json:"version"`
	Size         int64     `json:"size"`
	SHA256       string    `json:"sha256"`
	MD5          string    `json:"md5"`
	SHA1         string    `json:"sha1"`
	UploaderID   UserID    `json:"uploader_id"`
	UploaderName string    `json:"uploader"`
	Uploaded     time.Time `json:"uploaded"`
	// ModTime is the modification time the uploader's client set (sync
	// tools compare it), or the upload's time when it set none.
	ModTime time.Time  `json:"modified"`
	Scan    ScanStatus `json:"scan"`
}

// ScanStatus says whether a version's bytes went through the virus
// scanner. Infected bytes are never stored, so there is no such status.
type ScanStatus string

const (
	ScanClean      ScanStatus = "clean"
	ScanNotScanned ScanStatus = "not_scanned" // the server runs with --no-scan
)

// Folder is a folder a member made in a room's file area. Folders that
// hold files exist without one.
type Folder struct {
	RoomID  RoomID    `json:"room_id"`
	Path    string    `json:"path"`
	Created time.Time `json:"created"`
}

// Limits of the file area.
const (
	// MaxFileSize is the largest file, in bytes.
	MaxFileSize = 100 << 20
	// DefaultRoomQuota is what a room may store, in bytes, counting every
	// version and identical content once; administrators change it per
	// room.
	DefaultRoomQuota = 500 << 20
	// MaxAttachments is the most files one message, job post or proposal
	// carries.
	MaxAttachments = 10
	// MaxFileNameLength is the longest file or folder name, in bytes.
	MaxFileNameLength = 255
	// MaxPathLength is the longest path inside a room, in bytes.
	MaxPathLength = 1024
	// MaxPathDepth is the deepest nesting of folders.
	MaxPathDepth = 16
	// MaxQuota is the most an administrator may give one room.
	MaxQuota = 1 << 40
)

// Usage is a room's space: bytes used (every version, identical content
// once) and its quota.
type Usage struct {
	Used  int64 `json:"used"`
	Quota int64 `json:"quota"`
}

// Free is what the room may still store.
func (u Usage) Free() int64 { return max(u.Quota-u.Used, 0) }

// FilePage is a page of a room's file area, by path, with its folders and
// its space. After is the cursor of the next page ("" on the last).
type FilePage struct {
	Files   []File   `json:"files"`
	Folders []string `json:"folders"`
	Usage   Usage    `json:"usage"`
	After   string   `json:"after,omitempty"`
}

// Attachment is a file a message, job post or proposal carries: a name
// and one version of its bytes, by reference to the same blob.
type Attachment struct {
	Path    string  `json:"path"`
	Version Version `json:"version"`
}

func folderOf(p string) string {
	d := path.Dir(p)
	if d == "." {
		return ""
	}
	return d
}
