package workroom

import (
	"path"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A path inside a room comes from people and their clients — a command
// line, an SFTP request, a mail attachment's name — and is hostile until
// checked: it may climb out with "..", hide a NUL or a control character,
// be long enough to trouble a file system, or spell the same name in two
// Unicode forms. CleanPath is the one check; every way in goes through it
// before a path reaches the store. Paths are stored in NFC.

// Reserved names at the top of a room: what the SFTP view shows there and
// nobody may write.
const (
	VersionsFolder = ".versions"       // every version of every file, read-only
	TranscriptName = ".transcript.txt" // the messages, oldest first, read-only
)

// Rules of file names and the file area.
const (
	RuleBadPath            Rule = "bad_path"             // the path is not one a room may hold
	RuleReadOnly           Rule = "read_only"            // .versions and the transcript are read-only
	RuleNoExtension        Rule = "no_extension"         // a file name needs an extension
	RuleExecutable         Rule = "executable"           // .exe and .bat only inside a zip
	RuleFileTooLarge       Rule = "file_too_large"       // over MaxFileSize
	RuleQuota              Rule = "quota"                // the room's quota is full
	RuleFileExists         Rule = "file_exists"          // the name is taken and the upload said cancel
	RuleNotAFile           Rule = "not_a_file"           // the path is a folder, or under a file
	RuleFolderNotEmpty     Rule = "folder_not_empty"     // only empty folders are removed
	RuleNotYourFile        Rule = "not_your_file"        // someone else uploaded a version of it
	RuleTooManyAttachments Rule = "too_many_attachments" // over MaxAttachments
	RuleUploadFailed       Rule = "upload_failed"        // a write of this upload was refused
)

// refusedExtensions are executable types that arrive only zipped: mail
// filters and people's own machines treat them as attacks.
var refusedExtensions = []string{".exe", ".bat"}

// CleanPath checks a path inside a room given by a person or a client and
// returns it in the form the store keeps: NFC, "/"-separated, with no
// leading, trailing or doubled slash. EINVALID (RuleBadPath) for a path no
// room may hold, naming what is wrong; EFORBIDDEN (RuleReadOnly) for the
// reserved .versions and transcript.
func CleanPath(p string) (string, error) {
	if !utf8.ValidString(p) {
		return "", Errorf(EINVALID, "%q: a path must be valid UTF-8 text", p).Because(RuleBadPath)
	}
	p = norm.NFC.String(strings.Trim(p, "/"))
	switch {
	case p == "":
		return "", Errorf(EINVALID, "a path names a file or folder inside the room; this one is empty").Because(RuleBadPath)
	case strings.ContainsFunc(p, isControl):
		return "", Errorf(EINVALID, "%q: a path cannot hold control characters (NUL, newline, tab …); rename it", printable(p)).Because(RuleBadPath)
	case strings.Contains(p, `\`):
		return "", Errorf(EINVALID, "%s: use / between folders, not \\", p).Because(RuleBadPath)
	case len(p) > MaxPathLength:
		return "", Errorf(EINVALID, "the path is %d bytes long; the most is %d, so shorten its names or nest fewer folders", len(p), MaxPathLength).Because(RuleBadPath)
	}
	segs := strings.Split(p, "/")
	if len(segs) > MaxPathDepth+1 {
		return "", Errorf(EINVALID, "%s: folders nest at most %d deep", p, MaxPathDepth).Because(RuleBadPath)
	}
	for i, s := range segs {
		if err := checkSegment(p, s, i == 0); err != nil {
			return "", err
		}
	}
	return p, nil
}

// checkSegment checks one name of a path.
func checkSegment(p, s string, top bool) error {
	switch {
	case s == "":
		return Errorf(EINVALID, "%s: a path cannot have an empty name between slashes", p).Because(RuleBadPath)
	case s == "." || s == "..":
		return Errorf(EINVALID, "%s: a path cannot use . or .. to move between folders; give the path from the room's top", p).Because(RuleBadPath)
	case top && (s == VersionsFolder || s == TranscriptName):
		return Errorf(EFORBIDDEN, "%s is read-only: the server keeps it", s).Because(RuleReadOnly)
	case strings.HasPrefix(s, "."):
		return Errorf(EINVALID, "%s: a name cannot start with a dot (hidden names are kept for the server); rename it", s).Because(RuleBadPath)
	case len(s) > MaxFileNameLength:
		return Errorf(EINVALID, "a name is %d bytes long; the most is %d, so shorten it", len(s), MaxFileNameLength).Because(RuleBadPath)
	case !HasVisibleText(s):
		return Errorf(EINVALID, "%q: a name needs a visible character", s).Because(RuleBadPath)
	}
	return nil
}

// CheckFileName applies, on top of CleanPath, the rules for a file's name
// (a folder's name needs neither): it needs an extension, and .exe and
// .bat files, in any case, must arrive zipped. It returns the clean path.
func CheckFileName(p string) (string, error) {
	p, err := CleanPath(p)
	if err != nil {
		return "", err
	}
	name := path.Base(p)
	ext := strings.ToLower(path.Ext(name))
	switch {
	case ext == "" || ext == "." || ext == name:
		return "", Errorf(EINVALID, "%s: a file name needs an extension (like .pdf or .zip) so people know what it holds", name).Because(RuleNoExtension)
	case containsFold(refusedExtensions, ext):
		return "", Errorf(EINVALID, "%s: %s files must be zipped before upload", name, ext).Because(RuleExecutable)
	}
	return p, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// printable shows a path with its control characters escaped, for a
// refusal that quotes it.
func printable(p string) string {
	var b strings.Builder
	for _, r := range p {
		if isControl(r) {
			b.WriteString("?")
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
