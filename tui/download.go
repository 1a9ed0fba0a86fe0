package tui

import (
	"net"
	"path"
	"strconv"
	"strings"

	"github.com/workroom/workroom"
)

// The Files view shows, for what is selected, the exact commands that
// download it with OpenSSH's sftp and scp, against the address the client
// connected to (Identity.Server, as `help` shows it: SSH does not send the
// name the client typed). The paths are those of the SFTP view (SPEC, "The
// fixed surface"): "/<id>-<slug>/<path>" for the latest version, and
// "/<id>-<slug>/.versions/<path>/v<N>-<name>" for one version.

// remoteFile is a file's path in the SFTP view: version n, or the latest
// when n is 0.
func remoteFile(room, p string, n int) string {
	if n == 0 {
		return "/" + room + "/" + p
	}
	return "/" + room + "/" + workroom.VersionsFolder + "/" + p + "/v" + strconv.Itoa(n) + "-" + path.Base(p)
}

// downloadCommands are the sftp and scp command lines that fetch remote
// (a file, or a folder when it ends in "/") from server ("host:port").
func downloadCommands(server, remote string) (sftpCmd, scpCmd string) {
	port, host := "2222", "HOST"
	if h, p, err := net.SplitHostPort(server); err == nil && h != "" {
		host, port = h, p
	}
	if strings.Contains(host, ":") { // IPv6: scp and sftp want it bracketed
		host = "[" + host + "]"
	}
	flag := ""
	if port != "22" {
		flag = "-P " + port + " "
	}
	target := shellQuote(host + ":" + remote)
	if strings.HasSuffix(remote, "/") {
		return "sftp " + flag + target, "scp -r " + flag + shellQuote(host+":"+strings.TrimSuffix(remote, "/")) + " ."
	}
	return "sftp " + flag + target, "scp " + flag + target + " ."
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// letters, digits and the punctuation paths usually have.
func shellQuote(s string) string {
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-:[]+,@%=", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
