package command

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	pathpkg "path"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// The file area's commands. A PATH is inside the room ("designs/logo.png")
// and is the rest of the line after ROOM, so it may hold spaces; flags
// come before it (put 5 --on-conflict rename my logo.png).

// filesCmd lists a room's file area a page at a time.
func (s *session) filesCmd() *cobra.Command {
	var versions bool
	var after string
	var limit uint64
	c := &cobra.Command{
		Use:   "files ROOM [--versions] [--limit N] [--before PATH]",
		Short: "a workroom's files, folders and space used",
		Long: "Lists a workroom's files in path order with their latest version — uploader, size,\n" +
			"time and virus-scan status — then the space used against the quota. --versions\n" +
			"lists every version under its file. When more files remain, the last line gives\n" +
			"the --before value for the next page (files come in path order; the cursor is a path).",
		Args: exactArgs("ROOM"),
		RunE: func(c *cobra.Command, args []string) error {
			room, err := ParseID("ROOM", args[0])
			if err != nil {
				return err
			}
			if c.Flags().Changed("limit") && limit < 1 {
				return usagef("--limit must be 1 or more; usage: %s", usageLine(c))
			}
			page, err := s.svc.Files(c.Context(), workroom.RoomID(room), after, clampInt(limit))
			if err != nil {
				return err
			}
			return s.emit(page, func(w io.Writer) error { return s.printFiles(w, room, page, versions, limit) })
		},
	}
	c.Flags().BoolVar(&versions, "versions", false, "list every version of each file")
	c.Flags().StringVar(&after, "before", "", "start after this path (the cursor the previous page printed)")
	decimalVar(c.Flags(), &limit, "limit", workroom.DefaultFilePage, fmt.Sprintf("how many files per page (at most %d)", workroom.MaxPageSize))
	return c
}

func (s *session) printFiles(w io.Writer, room uint64, page *workroom.FilePage, versions bool, limit uint64) error {
	if len(page.Files) == 0 && len(page.Folders) == 0 {
		fmt.Fprintf(w, "No files in workroom %d yet. Upload one with: put %d NAME < FILE\n", room, room)
	} else {
		t := newTable(w, "PATH", "VERSION", "SIZE", "UPLOADER", "UPLOADED", "SCAN")
		for _, f := range page.Files {
			v := f.Latest()
			t.row(f.Path, fmt.Sprintf("v%d", v.N), workroom.FormatSize(v.Size), v.UploaderName, s.when(v.Uploaded), v.Scan)
			if versions {
				for i := len(f.Versions) - 2; i >= 0; i-- {
					o := f.Versions[i]
					t.row("", fmt.Sprintf("v%d", o.N), workroom.FormatSize(o.Size), o.UploaderName, s.when(o.Uploaded), o.Scan)
				}
			}
		}
		if err := t.flush(); err != nil {
			return err
		}
		if len(page.Folders) > 0 {
			fmt.Fprintf(w, "Folders: %s\n", line(strings.Join(page.Folders, ", ")))
		}
	}
	fmt.Fprintf(w, "Space used: %s of %s\n", workroom.FormatSize(page.Usage.Used), workroom.FormatSize(page.Usage.Quota))
	if page.After != "" {
		next := fmt.Sprintf("files %d --before %s", room, page.After)
		if limit != 0 {
			next += fmt.Sprintf(" --limit %d", limit)
		}
		_, err := fmt.Fprintf(w, "more files: %s\n", line(next))
		return err
	}
	return nil
}

// roomPath reads ROOM and the PATH after it.
func roomPath(args []string) (workroom.RoomID, string, error) {
	room, err := ParseID("ROOM", args[0])
	if err != nil {
		return 0, "", err
	}
	return workroom.RoomID(room), args[1], nil
}

// putCmd uploads stdin to a path of a room, through the upload pipeline.
func (s *session) putCmd() *cobra.Command {
	var onConflict string
	c := &cobra.Command{
		Use:   "put ROOM [--on-conflict version|rename|cancel] PATH",
		Short: "upload stdin as a file of a workroom",
		Long: "Uploads the bytes on stdin as PATH in the workroom (ssh … put 5 designs/logo.png < logo.png).\n" +
			"A name that holds a file gets a new version (--on-conflict version, the default),\n" +
			"or the upload is stored under a free name like \"logo (2).png\" (rename), or refused\n" +
			"(cancel). Identical bytes to the latest version add no version. Nothing is stored\n" +
			"unless stdin ended cleanly. With a terminal (ssh -t … put 5 notes.txt) put asks\n" +
			"instead, when the name holds a file and --on-conflict is not given: [v]ersion,\n" +
			"[r]ename or [c]ancel; then the text is typed or pasted, Ctrl-D ends it.",
		Args: cobra.MatchAll(leadingArgs("ROOM", "PATH"), optionalArgs("ROOM", "PATH")),
		RunE: func(c *cobra.Command, args []string) error {
			room, path, err := roomPath(args)
			if err != nil {
				return err
			}
			conflict, err := workroom.ParseOnConflict(onConflict)
			if err != nil {
				return err
			}
			in := s.in
			if s.id.Terminal {
				if !c.Flags().Changed("on-conflict") {
					if conflict, err = s.askConflict(c.Context(), room, path); err != nil {
						return err
					}
				}
				typed, err := s.readTyped(path)
				if err != nil {
					return err
				}
				in = bytes.NewReader(typed)
			}
			up, err := s.svc.StartUpload(c.Context(), room, path, workroom.UploadOptions{OnConflict: conflict})
			if err != nil {
				return err
			}
			got, err := s.upload(c, up, in)
			if err != nil {
				return err
			}
			return s.emit(got, func(w io.Writer) error { return printStored(w, got) })
		},
	}
	c.Flags().StringVar(&onConflict, "on-conflict", string(workroom.ConflictVersion), "when PATH holds a file: version, rename or cancel")
	markTextAfter(c, 1)
	return c
}

// uploadChunk is how much of stdin one write carries.
const uploadChunk = 256 << 10

// upload copies in (stdin, or the text typed on a terminal) into up and
// commits it — only when it ended cleanly; otherwise, or on any refusal,
// it aborts (stdin.go).
func (s *session) upload(c *cobra.Command, up *workroom.Upload, in io.Reader) (*workroom.Committed, error) {
	buf := make([]byte, uploadChunk)
	var off int64
	for {
		n, err := in.Read(buf)
		if n > 0 {
			if _, werr := up.WriteAt(buf[:n], off); werr != nil {
				up.Abort()
				return nil, werr
			}
			off += int64(n)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			up.Abort()
			return nil, errStdinCut
		}
	}
	return up.Commit(c.Context())
}

func printStored(w io.Writer, got *workroom.Committed) error {
	switch {
	case !got.Added:
		_, err := fmt.Fprintf(w, "%s: unchanged, the same bytes as version %d\n", line(got.Path), got.Version.N)
		return err
	default:
		_, err := fmt.Fprintf(w, "%s: stored version %d (%s, %s)\n", line(got.Path), got.Version.N, workroom.FormatSize(got.Version.Size), got.Version.Scan)
		return err
	}
}

// getCmd writes a file's bytes to stdout.
func (s *session) getCmd() *cobra.Command {
	var version uint64
	c := &cobra.Command{
		Use:   "get ROOM [--version N] PATH",
		Short: "download a file of a workroom to stdout",
		Long:  "Writes the latest version of PATH, or version N, to stdout (ssh … get 5 logo.png > logo.png).",
		Args:  cobra.MatchAll(leadingArgs("ROOM", "PATH"), optionalArgs("ROOM", "PATH")),
		RunE: func(c *cobra.Command, args []string) error {
			room, path, err := roomPath(args)
			if err != nil {
				return err
			}
			_, _, b, err := s.svc.OpenVersion(c.Context(), room, path, clampInt(version))
			if err != nil {
				return err
			}
			defer b.Close()
			_, err = io.Copy(s.out, b)
			return err
		},
	}
	decimalVar(c.Flags(), &version, "version", 0, "the version to download (default: the latest)")
	markTextAfter(c, 1)
	return c
}

// rmCmd removes a file, with its versions, from a room.
func (s *session) rmCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "rm ROOM PATH",
		Short: "delete a file (every version) from a workroom",
		Args:  cobra.MatchAll(leadingArgs("ROOM", "PATH"), optionalArgs("ROOM", "PATH")),
		RunE: func(c *cobra.Command, args []string) error {
			room, path, err := roomPath(args)
			if err != nil {
				return err
			}
			f, err := s.svc.DeleteFile(c.Context(), room, path)
			if err != nil {
				return err
			}
			return s.emit(struct {
				File *workroom.File `json:"file"`
			}{f}, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "Deleted %s (%d versions).\n", line(f.Path), len(f.Versions))
				return err
			})
		},
	}
	markTextAfter(c, 1)
	return c
}

// hashCmd answers md5sum and sha1sum the way sync tools ask (rclone's
// SFTP backend): with a path, "<hex>  <path>" for the latest version of
// the file at that full SFTP path (/<id>-<slug>/…), from the sums kept at
// upload; with none, the sum of stdin, "<hex>  -", which is how rclone
// checks the command works.
func (s *session) hashCmd(name string, sum func(workroom.Version) string, empty func(io.Reader) (string, error)) *cobra.Command {
	c := &cobra.Command{
		Use:    name + " [PATH]",
		Short:  "the " + strings.TrimSuffix(name, "sum") + " sum of a file, for sync tools",
		Hidden: true,
		Args:   optionalArgs("PATH"),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				h, err := empty(s.in)
				if err != nil {
					return errStdinCut
				}
				_, err = fmt.Fprintf(s.out, "%s  -\n", h)
				return err
			}
			path := shellUnescape(args[0])
			v, err := s.versionAt(c.Context(), path)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(s.out, "%s  %s\n", sum(v), line(path))
			return err
		},
	}
	markTextAfter(c, 0)
	return c
}

// versionAt is the version a full SFTP path names: the latest of a
// file, or one under the room's .versions
// (/<room>/.versions/<path>/v<N>-<name>), which sync tools hash too.
func (s *session) versionAt(ctx context.Context, full string) (workroom.Version, error) {
	top, rest, _ := strings.Cut(strings.TrimLeft(full, "/"), "/")
	if inner, ok := strings.CutPrefix(rest, workroom.VersionsFolder+"/"); ok {
		file, base := pathpkg.Dir(inner), pathpkg.Base(inner)
		num, name, _ := strings.Cut(strings.TrimPrefix(base, "v"), "-")
		if n, err := strconv.Atoi(num); err == nil && strings.HasPrefix(base, "v") && name == pathpkg.Base(file) {
			f, err := s.svc.FileAt(ctx, "/"+top+"/"+file)
			if err != nil {
				return workroom.Version{}, err
			}
			if v, ok := f.Version(n); ok {
				return v, nil
			}
		}
		return workroom.Version{}, workroom.Errorf(workroom.ENOTFOUND, "no such file: %s", full)
	}
	f, err := s.svc.FileAt(ctx, full)
	if err != nil {
		return workroom.Version{}, err
	}
	return f.Latest(), nil
}

// shellUnescape undoes the escaping a client applies for a POSIX shell:
// a backslash quotes the next character, and rclone sends a newline as
// '\n' in single quotes. The server has no shell; this reads the path as
// the client meant it.
func shellUnescape(s string) string {
	s = strings.ReplaceAll(s, "'\n'", "\n")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
