package main

import (
	"net"
	"strings"
)

// mailConnectHint is the command notification mails tell people to run to
// reach this server's terminal: the host of --ssh-addr when it names one
// (not a wildcard), else the mail domain, and -p with the port unless it
// is 22. A port of 0 is picked at start, after the service is built, so
// the hint then names only the host.
func mailConnectHint(sshAddr, mailDomain string) string {
	host, port, err := net.SplitHostPort(sshAddr)
	if err != nil {
		return "ssh " + mailDomain
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = mailDomain
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "22" || port == "0" || port == "" {
		return "ssh " + host
	}
	return "ssh -p " + port + " " + host
}
