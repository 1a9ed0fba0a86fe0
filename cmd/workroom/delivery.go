package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/workroom/workroom"
	"github.com/workroom/workroom/mail"
)

// deliveryConfig is how outgoing mail is retried and how the relay's
// certificate is checked.
type deliveryConfig struct {
	// GiveUp is how long after it was queued a mail that keeps failing
	// temporarily is dropped; RetryBackoff the first wait after a
	// temporary failure, doubled each attempt up to an hour.
	GiveUp, RetryBackoff time.Duration
	// RelayCA is a PEM file of the certificates the relay's STARTTLS
	// certificate is checked against instead of the system's; "" uses the
	// system's.
	RelayCA string
}

// bindDeliveryFlags declares the flags of outgoing mail delivery.
func bindDeliveryFlags(fs *pflag.FlagSet, c *deliveryConfig) {
	fs.DurationVar(&c.GiveUp, "smtp-give-up", workroom.DefaultMailGiveUp, fmt.Sprintf(
		"drop a mail the relay keeps refusing temporarily (4xx, unreachable) this long after it was queued, logging it; a 5xx drops it at once (env %s)", envName("smtp-give-up")))
	fs.DurationVar(&c.RetryBackoff, "smtp-retry-backoff", workroom.DefaultMailRetryBackoff, fmt.Sprintf(
		"wait after a mail's first temporary failure, doubled each attempt up to %s (env %s)", workroom.MaxMailRetryDelay, envName("smtp-retry-backoff")))
	fs.StringVar(&c.RelayCA, "smtp-relay-ca", "", fmt.Sprintf(
		"PEM file of the certificates (a private CA, or the relay's own self-signed one) the relay's STARTTLS certificate must chain to, instead of the system's (env %s)", envName("smtp-relay-ca")))
}

// validate refuses a retry period of zero or less.
func (c *deliveryConfig) validate() error {
	switch {
	case c.GiveUp <= 0:
		return fmt.Errorf("--smtp-give-up must be a positive duration such as 96h, not %s", c.GiveUp)
	case c.RetryBackoff <= 0 || c.RetryBackoff > workroom.MaxMailRetryDelay:
		return fmt.Errorf("--smtp-retry-backoff must be a duration from 1ms to %s, not %s", workroom.MaxMailRetryDelay, c.RetryBackoff)
	}
	return nil
}

// retry is the outbox's retry policy.
func (c *deliveryConfig) retry() workroom.MailRetry {
	return workroom.MailRetry{Backoff: c.RetryBackoff, GiveUp: c.GiveUp}
}

// senderInterval is how often the sender looks for retries that fell due:
// no later than the first backoff, so a short backoff is kept.
func (c *deliveryConfig) senderInterval() time.Duration {
	return min(mail.DefaultInterval, c.RetryBackoff)
}

// relayTLS is the STARTTLS configuration for the relay at addr: nil (the
// system's roots) unless --smtp-relay-ca names a file.
func (c *deliveryConfig) relayTLS(addr string) (*tls.Config, error) {
	if c.RelayCA == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(c.RelayCA)
	if err != nil {
		return nil, fmt.Errorf("--smtp-relay-ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--smtp-relay-ca: %s holds no PEM certificate", c.RelayCA)
	}
	return mail.RelayTLSConfig(addr, pool), nil
}
