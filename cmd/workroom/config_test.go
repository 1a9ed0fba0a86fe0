package main

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/clamd"
	"github.com/workroom/workroom/mail"
	"github.com/workroom/workroom/pglive"
	"github.com/workroom/workroom/sshd"
)

// parseServe runs `workroom ARGS` with env as the environment and returns
// the configuration serve would have run with.
func parseServe(t *testing.T, env map[string]string, args ...string) (serveConfig, string, int) {
	t.Helper()
	var got serveConfig
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	root := newRoot(getenv, func(_ context.Context, c serveConfig, _ io.Writer) error {
		got = c
		return nil
	})
	var out bytes.Buffer
	root.SetArgs(append([]string{}, args...)) // nil would make cobra read os.Args
	root.SetOut(&out)
	root.SetErr(&out)
	status := 0
	if err := root.Execute(); err != nil {
		out.WriteString(err.Error())
		status = 1
	}
	return got, out.String(), status
}

func TestServe_FlagsAndEnvironment(t *testing.T) {
	defaults := serveConfig{Data: "./data", SSHAddr: ":2222", MailDomain: "workroom.localhost", LogFormat: "text",
		MaxCommandLine: 64 << 10, Limits: workroom.DefaultLimits,
		HandshakeTimeout: sshd.DefaultHandshakeTimeout, ReadMarkInterval: workroom.DefaultReadMarkInterval,
		SweepInterval: workroom.DefaultSweepInterval,
		ShutdownGrace: DefaultShutdownGrace, TerminalGrace: sshd.DefaultTerminalGrace, Clamd: clamd.DefaultAddr,
		KeepaliveInterval: sshd.DefaultKeepaliveInterval, KeepaliveMax: sshd.DefaultKeepaliveMax,
		SSHLimits: sshd.Limits{
			MaxTermWidth: sshd.DefaultMaxTermWidth, MaxTermHeight: sshd.DefaultMaxTermHeight, MaxSessions: sshd.DefaultMaxSessions,
			MaxConnsPerAddr: sshd.DefaultMaxConnsPerAddr, MaxConnsPerAccount: sshd.DefaultMaxConnsPerAccount,
			MaxStartups: sshd.DefaultMaxStartups, IdleTimeout: sshd.DefaultIdleTimeout,
		},
		Delivery: deliveryConfig{GiveUp: workroom.DefaultMailGiveUp, RetryBackoff: workroom.DefaultMailRetryBackoff},
		SMTP: smtpConfig{Addr: ":2525", MaxSize: workroom.FormatSize(mail.DefaultMaxSize), DataTimeout: mail.DefaultDataTimeout,
			Timeout: mail.DefaultReadTimeout, MaxRecipients: mail.DefaultMaxRecipients, MaxLineLength: mail.DefaultMaxLineLength},
		Live: liveConfig{Heartbeat: pglive.DefaultHeartbeat, DeadAfter: pglive.DefaultDeadAfter}}
	with := func(f func(*serveConfig)) serveConfig {
		c := defaults
		f(&c)
		return c
	}
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want serveConfig
	}{
		{"defaults", nil, nil, defaults},
		{"env sets a value", map[string]string{"WORKROOM_DATA": "/srv/wr"}, nil,
			with(func(c *serveConfig) { c.Data = "/srv/wr" })},
		{"a flag overrides the env", map[string]string{"WORKROOM_DATA": "/srv/wr"}, []string{"--data", "/tmp/x"},
			with(func(c *serveConfig) { c.Data = "/tmp/x" })},
		{"two-word names use underscores", map[string]string{"WORKROOM_SSH_ADDR": "127.0.0.1:0", "WORKROOM_SMTP_RELAY": "mx:25", "WORKROOM_SMTP_RELAY_USER": "u", "WORKROOM_SMTP_RELAY_PASSWORD": "p", "WORKROOM_MAIL_DOMAIN": "ex.com"}, nil,
			with(func(c *serveConfig) {
				c.SSHAddr, c.SMTPRelay, c.SMTPRelayUser, c.SMTPRelayPassword, c.MailDomain = "127.0.0.1:0", "mx:25", "u", "p", "ex.com"
			})},
		{"admins from env are comma-separated", map[string]string{"WORKROOM_ADMIN": "SHA256:abc, ada@example.com,"}, nil,
			with(func(c *serveConfig) { c.Admins = []string{"SHA256:abc", "ada@example.com"} })},
		{"admin flags repeat and replace the env list", map[string]string{"WORKROOM_ADMIN": "SHA256:abc"}, []string{"--admin", "x@example.com", "--admin", "SHA256:def"},
			with(func(c *serveConfig) { c.Admins = []string{"x@example.com", "SHA256:def"} })},
		{"a PostgreSQL store from env", map[string]string{"WORKROOM_STORE": "postgres://wr@db.internal/workroom"}, nil,
			with(func(c *serveConfig) { c.Store = "postgres://wr@db.internal/workroom" })},
		{"a PostgreSQL store flag overrides the env", map[string]string{"WORKROOM_STORE": "postgres://a/b"}, []string{"--store", "postgresql://wr@db:5433/wr?sslmode=require"},
			with(func(c *serveConfig) { c.Store = "postgresql://wr@db:5433/wr?sslmode=require" })},
		{"json logs", map[string]string{"WORKROOM_LOG_FORMAT": "json"}, nil,
			with(func(c *serveConfig) { c.LogFormat = "json" })},
		{"command line cap from env", map[string]string{"WORKROOM_MAX_COMMAND_LINE": "1000"}, nil,
			with(func(c *serveConfig) { c.MaxCommandLine = 1000 })},
		{"command line cap flag", nil, []string{"--max-command-line", "2048"},
			with(func(c *serveConfig) { c.MaxCommandLine = 2048 })},
		{"rates from flags and env", map[string]string{"WORKROOM_RATE_MESSAGES": "120/m", "WORKROOM_RATE_JOBS": "5/h"}, []string{"--rate-jobs", "3/d", "--rate-signups", "off", "--rate-proposals", "10/10m", "--rate-verify-mails", "2/h"},
			with(func(c *serveConfig) {
				c.Limits.Messages = workroom.Rate{N: 120, Per: time.Minute}
				c.Limits.Jobs = workroom.Rate{N: 3, Per: 24 * time.Hour}
				c.Limits.SignUps = workroom.Rate{Off: true}
				c.Limits.Proposals = workroom.Rate{N: 10, Per: 10 * time.Minute}
				c.Limits.VerifyMails = workroom.Rate{N: 2, Per: time.Hour}
			})},
		{"SSH limits from flags and env", map[string]string{"WORKROOM_MAX_SESSIONS": "4", "WORKROOM_IDLE_TIMEOUT": "90s", "WORKROOM_MAX_TERM_WIDTH": "300"},
			[]string{"--max-term-height", "100", "--max-conns-per-addr", "5", "--max-conns-per-account", "6", "--max-startups", "7", "--handshake-timeout", "10s"},
			with(func(c *serveConfig) {
				c.SSHLimits = sshd.Limits{MaxTermWidth: 300, MaxTermHeight: 100, MaxSessions: 4, MaxConnsPerAddr: 5,
					MaxConnsPerAccount: 6, MaxStartups: 7, IdleTimeout: 90 * time.Second}
				c.HandshakeTimeout = 10 * time.Second
			})},
		{"shutdown graces from flags and env", map[string]string{"WORKROOM_SHUTDOWN_GRACE": "30s"}, []string{"--terminal-grace", "5s"},
			with(func(c *serveConfig) { c.ShutdownGrace, c.TerminalGrace = 30*time.Second, 5*time.Second })},
		{"blobs in a bucket from env", map[string]string{"WORKROOM_BLOBS": "s3://files?endpoint=minio.lan:9000&region=eu-west-1"}, nil,
			with(func(c *serveConfig) { c.Blobs = "s3://files?endpoint=minio.lan:9000&region=eu-west-1" })},
		{"the blobs flag overrides the env", map[string]string{"WORKROOM_BLOBS": "s3://files"}, []string{"--blobs", "s3://other?endpoint=http://127.0.0.1:7070"},
			with(func(c *serveConfig) { c.Blobs = "s3://other?endpoint=http://127.0.0.1:7070" })},
		{"scanner from env, or none", map[string]string{"WORKROOM_CLAMD": "127.0.0.1:3310", "WORKROOM_NO_SCAN": "true"}, nil,
			with(func(c *serveConfig) { c.Clamd, c.NoScan = "127.0.0.1:3310", true })},
		{"mail retries from flags and env", map[string]string{"WORKROOM_SMTP_GIVE_UP": "48h", "WORKROOM_SMTP_RELAY_CA": "/etc/relay.pem"}, []string{"--smtp-retry-backoff", "200ms"},
			with(func(c *serveConfig) {
				c.Delivery = deliveryConfig{GiveUp: 48 * time.Hour, RetryBackoff: 200 * time.Millisecond, RelayCA: "/etc/relay.pem"}
			})},
		{"read-mark interval from env", map[string]string{"WORKROOM_READ_MARK_INTERVAL": "500ms"}, nil,
			with(func(c *serveConfig) { c.ReadMarkInterval = 500 * time.Millisecond })},
		{"sweep interval from the flag", nil, []string{"--sweep-interval", "10m"},
			with(func(c *serveConfig) { c.SweepInterval = 10 * time.Minute })},
		{"sweep interval from env", map[string]string{"WORKROOM_SWEEP_INTERVAL": "6h"}, nil,
			with(func(c *serveConfig) { c.SweepInterval = 6 * time.Hour })},
		{"keepalives from flags and env", map[string]string{"WORKROOM_SSH_KEEPALIVE_MAX": "5"}, []string{"--ssh-keepalive-interval", "1s"},
			with(func(c *serveConfig) { c.KeepaliveInterval, c.KeepaliveMax = time.Second, 5 })},
		{"live heartbeat from flags and env", map[string]string{"WORKROOM_LIVE_DEAD_AFTER": "45s"}, []string{"--live-heartbeat", "10s"},
			with(func(c *serveConfig) { c.Live = liveConfig{Heartbeat: 10 * time.Second, DeadAfter: 45 * time.Second} })},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, out, status := parseServe(t, c.env, append([]string{"serve"}, c.args...)...)
			if status != 0 {
				t.Fatalf("exit %d: %s", status, out)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestServe_RefusesBadValues(t *testing.T) {
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"a store that is not PostgreSQL", nil, []string{"--store", "mysql://db/wr"}, "--store must be empty (the embedded store in --data) or a postgres:// or postgresql:// URL"},
		{"a store path from env", map[string]string{"WORKROOM_STORE": "/srv/workroom.db"}, nil, "--store must be empty"},
		{"unknown log format", nil, []string{"--log-format", "xml"}, "--log-format must be text or json"},
		{"unknown log format from env", map[string]string{"WORKROOM_LOG_FORMAT": "xml"}, nil, "--log-format must be text or json"},
		{"rate without a unit", nil, []string{"--rate-messages", "60"}, "write N/UNIT such as 60/m"},
		{"bad rate from env", map[string]string{"WORKROOM_RATE_JOBS": "many"}, nil, "WORKROOM_RATE_JOBS"},
		{"unknown flag", nil, []string{"--smtp-port", "25"}, "unknown flag: --smtp-port"},
		{"stray argument", nil, []string{"now"}, "unknown command"},
		{"a mail size that is not a size", nil, []string{"--smtp-max-size", "lots"}, "--smtp-max-size must be a size such as 150M"},
		{"a certificate without its key", nil, []string{"--smtp-tls-cert", "c.pem"}, "--smtp-tls-cert and --smtp-tls-key go together"},
		{"no command line at all", nil, []string{"--max-command-line", "0"}, "--max-command-line must be 1 or more"},
		{"a limit of zero", nil, []string{"--max-sessions", "0"}, "--max-sessions must be at least 1"},
		{"a limit that is not a number", map[string]string{"WORKROOM_MAX_STARTUPS": "many"}, nil, "WORKROOM_MAX_STARTUPS"},
		{"a timeout of zero", nil, []string{"--idle-timeout", "0s"}, "--idle-timeout must be a positive duration"},
		{"a give-up period of zero", map[string]string{"WORKROOM_SMTP_GIVE_UP": "0s"}, nil, "--smtp-give-up must be a positive duration"},
		{"a backoff over the cap", nil, []string{"--smtp-retry-backoff", "2h"}, "--smtp-retry-backoff must be a duration from 1ms to 1h0m0s"},
		{"no keepalive interval", nil, []string{"--ssh-keepalive-interval", "0s"}, "--ssh-keepalive-interval must be a positive duration"},
		{"no unanswered keepalive allowed", nil, []string{"--ssh-keepalive-max", "0"}, "--ssh-keepalive-max must be at least 1"},
		{"blobs that are not an s3 URL", nil, []string{"--blobs", "/srv/blobs"}, "--blobs: \"/srv/blobs\": the blob store is named by an s3:// URL"},
		{"a malformed blobs URL from env", map[string]string{"WORKROOM_BLOBS": "s3://files?endpoint=localhost:9000&insecure=1"}, nil, `--blobs: "s3://files?endpoint=localhost:9000&insecure=1": unknown parameter "insecure"`},
		{"keys in the blobs URL", nil, []string{"--blobs", "s3://AKIA:hush@files"}, "credentials do not go in the URL"},
		{"a grace of zero", nil, []string{"--terminal-grace", "0s"}, "--terminal-grace must be a positive duration"},
		{"a terminal grace past the shutdown's", nil, []string{"--terminal-grace", "20s"}, "--terminal-grace (20s) must not be longer than --shutdown-grace (10s)"},
		{"no live heartbeat", nil, []string{"--live-heartbeat", "0s"}, "--live-heartbeat must be a positive duration"},
		{"a dead-after within two heartbeats", map[string]string{"WORKROOM_LIVE_DEAD_AFTER": "8s"}, nil, "--live-dead-after (8s) must be at least twice --live-heartbeat (5s)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, out, status := parseServe(t, c.env, append([]string{"serve"}, c.args...)...)
			if status == 0 || !strings.Contains(out, c.want) {
				t.Errorf("exit %d, output %q; want a failure saying %q", status, out, c.want)
			}
		})
	}
}

// TestServe_StoreRefusalHidesThePassword: a --store that is refused is
// shown with its password masked.
func TestServe_StoreRefusalHidesThePassword(t *testing.T) {
	_, out, status := parseServe(t, nil, "serve", "--store", "mysql://wr:s3cret@db/wr")
	if status == 0 || strings.Contains(out, "s3cret") || !strings.Contains(out, "mysql://wr:xxxxx@db/wr") {
		t.Fatalf("exit %d, output %q; want a refusal showing the URL with its password masked", status, out)
	}
}

func TestHelp_DescribesEveryFlagAndItsVariable(t *testing.T) {
	_, out, status := parseServe(t, nil, "serve", "--help")
	if status != 0 {
		t.Fatalf("exit %d", status)
	}
	for _, want := range []string{
		"--data", "WORKROOM_DATA", "--store", "WORKROOM_STORE", "--ssh-addr", "WORKROOM_SSH_ADDR", "--mail-domain", "WORKROOM_MAIL_DOMAIN",
		"--smtp-relay", "WORKROOM_SMTP_RELAY", "--smtp-relay-user", "WORKROOM_SMTP_RELAY_USER",
		"--live-heartbeat", "WORKROOM_LIVE_HEARTBEAT", "--live-dead-after", "WORKROOM_LIVE_DEAD_AFTER",
		"--smtp-relay-password", "WORKROOM_SMTP_RELAY_PASSWORD",
		"--smtp-give-up", "WORKROOM_SMTP_GIVE_UP", "--smtp-retry-backoff", "WORKROOM_SMTP_RETRY_BACKOFF", "--smtp-relay-ca", "WORKROOM_SMTP_RELAY_CA", "--admin", "WORKROOM_ADMIN", "--log-format",
		"--max-command-line", "WORKROOM_MAX_COMMAND_LINE", "(default 65536)",
		"--rate-signups", "WORKROOM_RATE_SIGNUPS", "--rate-verify-mails", "WORKROOM_RATE_VERIFY_MAILS",
		"--rate-jobs", "WORKROOM_RATE_JOBS", "--rate-proposals", "WORKROOM_RATE_PROPOSALS",
		"--rate-messages", "WORKROOM_RATE_MESSAGES", "(default 60/m)", "--rate-sessions", "WORKROOM_RATE_SESSIONS",
		"--max-term-width", "WORKROOM_MAX_TERM_WIDTH", "--max-term-height", "WORKROOM_MAX_TERM_HEIGHT",
		"--max-sessions", "WORKROOM_MAX_SESSIONS", "--max-conns-per-addr", "WORKROOM_MAX_CONNS_PER_ADDR",
		"--max-conns-per-account", "WORKROOM_MAX_CONNS_PER_ACCOUNT", "--max-startups", "WORKROOM_MAX_STARTUPS",
		"--handshake-timeout", "WORKROOM_HANDSHAKE_TIMEOUT", "--idle-timeout", "WORKROOM_IDLE_TIMEOUT",
		"--blobs", "WORKROOM_BLOBS", "s3://BUCKET", "AWS_ACCESS_KEY_ID",
		"--shutdown-grace", "WORKROOM_SHUTDOWN_GRACE", "(default 10s)", "--terminal-grace", "WORKROOM_TERMINAL_GRACE", "(default 3s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --help does not mention %s:\n%s", want, out)
		}
	}
}

func TestUsage_WithNoArgumentsOrHelp(t *testing.T) {
	for _, args := range [][]string{nil, {"help"}} {
		_, out, status := parseServe(t, nil, args...)
		if status != 0 || !strings.Contains(out, "serve") || !strings.Contains(out, "Usage:") {
			t.Errorf("workroom %v: exit %d, output %q; want usage listing serve", args, status, out)
		}
	}
}
