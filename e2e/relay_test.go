package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom/mail/relaytest"
)

// relayFlags send the server's mail to the stand-in and retry quickly.
func relayFlags(relay *relaytest.Relay, extra ...string) []string {
	return append([]string{"--smtp-relay", relay.Addr, "--smtp-retry-backoff", "100ms"}, extra...)
}

// TestE2E_RelayRetriesDeliverEachNotificationOnceAcrossARestart: the relay
// answers 451 to every notification, the server is stopped (SIGTERM, or
// SIGKILL) while they wait for a retry and started again on the same
// data, then the relay accepts: each notification arrives exactly once.
func TestE2E_RelayRetriesDeliverEachNotificationOnceAcrossARestart(t *testing.T) {
	for _, kill := range []bool{false, true} {
		t.Run(map[bool]string{false: "SIGTERM", true: "SIGKILL"}[kill], func(t *testing.T) {
			srv := startServer(t)
			room := newFileRoom(t, srv) // sign-up codes go to .eml files
			if err := srv.stop(); err != nil {
				t.Fatal(err)
			}
			relay := relaytest.Start(t, relaytest.Options{})
			relay.Refuse(true)
			srv = room.moveTo(t, startServerWith(t, srv.data, relayFlags(relay)...))

			for i := range 3 {
				room.fred.ok("post", room.id, fmt.Sprintf("fred's note %d", i))
			}
			for i := range 2 {
				room.carla.ok("post", room.id, fmt.Sprintf("carla's note %d", i))
			}
			// Every one of the five refused twice: retried, not dropped.
			waitRefused(t, relay, 5, func(id string, n int) bool { return n >= 2 })
			if kill {
				if err := srv.cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				srv.done <- <-srv.done
			} else if err := srv.stop(); err != nil {
				t.Fatalf("stop: %v", err)
			}
			before := relay.RefusedByID()

			room.moveTo(t, startServerWith(t, srv.data, relayFlags(relay)...))
			// The queue survived: each is tried again by the new process.
			waitRefused(t, relay, 5, func(id string, n int) bool { return n > before[id] })
			if len(relay.Accepted()) != 0 {
				t.Fatal("the relay accepted mail while refusing")
			}
			relay.Refuse(false)
			waitFor(t, "the five notifications delivered", 30*time.Second, func() (bool, string) {
				return len(relay.AcceptedByID()) == 5, fmt.Sprint(relay.AcceptedByID())
			})
			// Mail leaves oldest first, so once a later mail arrived, a
			// second copy of any of the five would have come before it.
			room.carla.ok("post", room.id, "sentinel")
			waitFor(t, "the sentinel notification", 30*time.Second, func() (bool, string) {
				return len(relay.AcceptedByID()) == 6, fmt.Sprint(relay.AcceptedByID())
			})

			to := map[string]int{}
			for id, n := range relay.AcceptedByID() {
				if n != 1 {
					t.Errorf("%s delivered %d times, want once", id, n)
				}
			}
			for _, m := range relay.Accepted() {
				to[m.To]++
				if m.Subject != "[workroom] Logo design" {
					t.Errorf("subject %q", m.Subject)
				}
			}
			if to["carla@example.com"] != 3 || to["fred@example.com"] != 3 {
				t.Errorf("notifications per recipient = %v, want carla 3 (fred's notes) and fred 3 (carla's notes and the sentinel)", to)
			}
		})
	}
}

// waitRefused waits until the relay refused want distinct mails and each
// count satisfies ok.
func waitRefused(t *testing.T, relay *relaytest.Relay, want int, ok func(id string, n int) bool) {
	t.Helper()
	waitFor(t, "the relay's refusals", 30*time.Second, func() (bool, string) {
		refused := relay.RefusedByID()
		if len(refused) != want {
			return false, fmt.Sprint(refused)
		}
		for id, n := range refused {
			if !ok(id, n) {
				return false, fmt.Sprint(refused)
			}
		}
		return true, ""
	})
}

// moveTo points the room's people at a restarted server.
func (r *fileRoom) moveTo(t *testing.T, srv *server) *server {
	t.Helper()
	r.srv, r.carla.srv, r.fred.srv = srv, srv, srv
	return srv
}

// TestE2E_RelayOverStartTLSWithALogin: a relay with a self-signed
// certificate, trusted through --smtp-relay-ca, that offers AUTH only after
// STARTTLS, gets the sign-up code mail over TLS under the configured login.
func TestE2E_RelayOverStartTLSWithALogin(t *testing.T) {
	cert := relaytest.SelfSigned(t)
	relay := relaytest.Start(t, relaytest.Options{TLS: cert, User: "workroom", Password: "s3cret pass"})
	srv := startServerWith(t, t.TempDir(), relayFlags(relay,
		"--smtp-relay-ca", cert.CAFile, "--smtp-relay-user", "workroom", "--smtp-relay-password", "s3cret pass")...)
	ada := newUser(t, srv, "ada")
	ada.ok("signup", "--name", "ada", "--email", ada.email)
	waitFor(t, "the code mail at the relay", 30*time.Second, func() (bool, string) {
		return len(relay.Accepted()) == 1, srv.logs.String()
	})
	m := relay.Accepted()[0]
	if !m.TLS || m.User != "workroom" || m.To != ada.email || !strings.Contains(string(m.Data), "Verification code:") {
		t.Fatalf("relay got tls=%v user=%q to=%q:\n%s", m.TLS, m.User, m.To, m.Data)
	}
}

// TestE2E_RelayWithAnUntrustedCertificateKeepsTheMail: without
// --smtp-relay-ca the self-signed certificate is refused, nothing is sent
// in the clear, and the mail stays queued for a retry.
func TestE2E_RelayWithAnUntrustedCertificateKeepsTheMail(t *testing.T) {
	cert := relaytest.SelfSigned(t)
	relay := relaytest.Start(t, relaytest.Options{TLS: cert, User: "workroom", Password: "s3cret pass"})
	srv := startServerWith(t, t.TempDir(), relayFlags(relay, "--smtp-relay-user", "workroom", "--smtp-relay-password", "s3cret pass")...)
	ada := newUser(t, srv, "ada")
	ada.ok("signup", "--name", "ada", "--email", ada.email)
	waitFor(t, "a deferred delivery", 30*time.Second, func() (bool, string) {
		l := srv.logs.String()
		return strings.Contains(l, "mail deferred") && strings.Contains(l, "certificate"), l
	})
	if n := len(relay.Accepted()); n != 0 {
		t.Fatalf("relay accepted %d mails over an untrusted certificate", n)
	}
}
