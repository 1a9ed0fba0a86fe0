// Command mailin measures mail ingest (issue 9's figures): N mails, each
// with an attachment of fresh random bytes, sent by C concurrent SMTP
// clients to any SMTP server, and reports mails per second and the time
// from the end of DATA (the "." line) to the server's reply: p50, p99 and
// max. Each client keeps one connection for its mails (as an MTA does),
// and opens a new one after a refusal that closed it. Every mail has its
// own Message-ID and attachment name, so a server that drops redeliveries
// or caches scans by content sees no repeats.
//
// bench/mailin.sh starts a workroom server and runs it against the room's
// address; against another server:
//
//	go run ./bench/mailin -addr 127.0.0.1:2525 -from a@example.com -to room-1@example.com
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/workroom/workroom/bench/loopback"
)

// config is what one run sends, and where.
type config struct {
	addr     string
	from, to string
	helo     string
	mails    int
	clients  int
	size     int // attachment bytes before base64
	timeout  time.Duration
	subject  string
	fileName string // a fmt pattern taking the mail's number
	headers  headerList
}

// headerList is the -header flag: header fields put on top of every mail.
type headerList []string

func (h *headerList) String() string     { return strings.Join(*h, "; ") }
func (h *headerList) Set(v string) error { *h = append(*h, v); return nil }

func main() {
	var c config
	flag.StringVar(&c.addr, "addr", "127.0.0.1:2525", "the SMTP server, HOST:PORT")
	flag.StringVar(&c.from, "from", "bench@example.com", "envelope sender and From address")
	flag.StringVar(&c.to, "to", "", "the recipient (for workroom: the room's address, room-N@DOMAIN)")
	flag.StringVar(&c.helo, "helo", "bench.localhost", "the name given in EHLO")
	flag.IntVar(&c.mails, "n", 2000, "mails to send")
	flag.IntVar(&c.clients, "c", 8, "concurrent SMTP clients")
	flag.IntVar(&c.size, "size", 100<<10, "attachment size in bytes (random, fresh for each mail)")
	flag.DurationVar(&c.timeout, "timeout", 2*time.Minute, "longest wait for any one reply")
	flag.StringVar(&c.subject, "subject", "bench mail %d", "subject, a pattern taking the mail's number")
	flag.StringVar(&c.fileName, "file-name", "scan-%05d.pdf", "attachment name, a pattern taking the mail's number")
	flag.Var(&c.headers, "header", "a header field put on top of every mail, \"Name: value\" (repeatable), e.g. the Authentication-Results a trusted MTA adds")
	sink := flag.Bool("sink", false, "send to an in-process SMTP server that reads and accepts every mail (ignores -addr): the tool's own ceiling on this machine")
	flag.Parse()
	if *sink {
		addr, err := startSink()
		if err != nil {
			fmt.Fprintln(os.Stderr, "mailin:", err)
			os.Exit(1)
		}
		c.addr = addr
		if c.to == "" {
			c.to = "sink@sink.localhost"
		}
	}
	if c.to == "" || c.mails < 1 || c.clients < 1 {
		fmt.Fprintln(os.Stderr, "mailin: give -to, and -n and -c of 1 or more")
		os.Exit(2)
	}
	r, err := run(context.Background(), c)
	r.print(os.Stdout, c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailin:", err)
		os.Exit(1)
	}
}

// report is what a run measured.
type report struct {
	sent     int
	refused  map[string]int // reply code (or "network") → mails
	afterDot loopback.Durations
	wall     time.Duration
	bytes    int64
}

// print writes the figures.
func (r report) print(w io.Writer, c config) {
	fmt.Fprintf(w, "mails: %d accepted of %d, %d clients, %s attachment each, %s on the wire in all\n",
		r.sent, c.mails, c.clients, loopback.KB(int64(c.size)), loopback.MB(r.bytes))
	if len(r.refused) > 0 {
		codes := make([]string, 0, len(r.refused))
		for code := range r.refused {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			fmt.Fprintf(w, "refused: %d × %s\n", r.refused[code], code)
		}
	}
	if r.wall > 0 {
		fmt.Fprintf(w, "rate: %.1f mails/s accepted (%.1f s wall)\n", float64(r.sent)/r.wall.Seconds(), r.wall.Seconds())
	}
	d := r.afterDot
	fmt.Fprintf(w, "end of DATA → reply: p50 %s  p99 %s  max %s  (%d replies)\n",
		loopback.MS(d.Pct(50)), loopback.MS(d.Pct(99)), loopback.MS(d.Max()), len(d))
}

// run sends c.mails mails over c.clients connections and measures them.
func run(ctx context.Context, c config) (report, error) {
	next := make(chan int)
	go func() {
		defer close(next)
		for i := 1; i <= c.mails; i++ {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	results := make(chan result, c.clients)
	var wg sync.WaitGroup
	start := time.Now()
	for range c.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			(&client{cfg: c}).work(next, results)
		}()
	}
	go func() { wg.Wait(); close(results) }()
	r := report{refused: make(map[string]int)}
	for res := range results {
		r.bytes += int64(res.bytes)
		if res.afterDot > 0 {
			r.afterDot = append(r.afterDot, res.afterDot)
		}
		if res.err == nil {
			r.sent++
		} else {
			r.refused[replyCode(res.err)]++
		}
	}
	r.wall = time.Since(start)
	if r.sent != c.mails {
		return r, fmt.Errorf("%d of %d mails were not accepted", c.mails-r.sent, c.mails)
	}
	return r, nil
}

// result is one mail's outcome; afterDot is 0 when DATA was never ended.
type result struct {
	err      error
	afterDot time.Duration
	bytes    int
}

// replyCode names a failure for the report: the SMTP reply, or "network".
func replyCode(err error) string {
	var re *textproto.Error
	if errors.As(err, &re) {
		return fmt.Sprintf("%d %s", re.Code, strings.TrimSpace(re.Msg))
	}
	return "network: " + err.Error()
}

// client is one SMTP connection, reopened when it breaks. It speaks the
// few commands it needs itself, over net/textproto, so that the body goes
// out as one write of bytes dot-stuffed in advance: an SMTP library's
// byte-at-a-time dot writer would cost this side as much CPU as the
// server under test spends, on the same cores.
type client struct {
	cfg  config
	conn net.Conn
	tp   *textproto.Conn
}

func (cl *client) work(next <-chan int, results chan<- result) {
	defer cl.close()
	for i := range next {
		raw, err := message(cl.cfg, i)
		if err != nil {
			results <- result{err: err}
			continue
		}
		res := cl.send(raw)
		res.bytes = len(raw)
		results <- res
	}
}

// close says QUIT and hangs up.
func (cl *client) close() {
	if cl.tp != nil {
		_ = cl.cmd(2, "QUIT")
		_ = cl.tp.Close()
		cl.tp = nil
	}
}

// drop hangs up without a word, for a broken conversation.
func (cl *client) drop() {
	if cl.tp != nil {
		_ = cl.tp.Close()
		cl.tp = nil
	}
}

// cmd sends one command and reads its reply, which must start with the
// digits of expect.
func (cl *client) cmd(expect int, format string, args ...any) error {
	_ = cl.conn.SetDeadline(time.Now().Add(cl.cfg.timeout))
	if err := cl.tp.PrintfLine(format, args...); err != nil {
		return err
	}
	_, _, err := cl.tp.ReadResponse(expect)
	return err
}

// dial connects and greets.
func (cl *client) dial() error {
	conn, err := net.DialTimeout("tcp", cl.cfg.addr, cl.cfg.timeout)
	if err != nil {
		return err
	}
	cl.conn, cl.tp = conn, textproto.NewConn(conn)
	_ = conn.SetDeadline(time.Now().Add(cl.cfg.timeout))
	if _, _, err := cl.tp.ReadResponse(220); err != nil {
		cl.drop()
		return err
	}
	if err := cl.cmd(250, "EHLO %s", cl.cfg.helo); err != nil {
		cl.drop()
		return err
	}
	return nil
}

// send delivers one mail, connecting first when needed. After a refusal
// the conversation goes on (RSET); after anything else it starts over.
func (cl *client) send(raw []byte) result {
	if cl.tp == nil {
		if err := cl.dial(); err != nil {
			return result{err: err}
		}
	}
	res := cl.transaction(raw)
	var re *textproto.Error
	if res.err != nil && (!errors.As(res.err, &re) || cl.cmd(250, "RSET") != nil) {
		cl.drop()
	}
	return res
}

// transaction runs MAIL, RCPT and DATA, timing the end of DATA: the clock
// starts when the body has been handed to the kernel, and stops at the
// reply to the "." line.
func (cl *client) transaction(raw []byte) result {
	if err := cl.cmd(250, "MAIL FROM:<%s>", cl.cfg.from); err != nil {
		return result{err: err}
	}
	if err := cl.cmd(25, "RCPT TO:<%s>", cl.cfg.to); err != nil {
		return result{err: err}
	}
	if err := cl.cmd(354, "DATA"); err != nil {
		return result{err: err}
	}
	if _, err := cl.tp.W.Write(raw); err != nil {
		return result{err: err}
	}
	if err := cl.tp.W.Flush(); err != nil {
		return result{err: err}
	}
	t0 := time.Now()
	if err := cl.tp.PrintfLine("."); err != nil {
		return result{err: err}
	}
	_, _, err := cl.tp.ReadResponse(250)
	return result{err: err, afterDot: time.Since(t0)}
}

// message is mail number i: a short text and an attachment of fresh
// random bytes, with its own Message-ID.
func message(c config, i int) ([]byte, error) {
	data := make([]byte, c.size)
	if _, err := rand.Read(data); err != nil {
		return nil, err
	}
	var id [12]byte
	_, _ = rand.Read(id[:])
	boundary := fmt.Sprintf("bench-%x", id[:6])
	var b strings.Builder
	for _, h := range c.headers {
		b.WriteString(h + "\r\n")
	}
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n", c.from, c.to, fmt.Sprintf(c.subject, i), time.Now().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%x@%s>\r\nMIME-Version: 1.0\r\n", id, c.helo)
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n", boundary)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBench mail %d with one attachment.\r\n", boundary, i)
	name := fmt.Sprintf(c.fileName, i)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: application/octet-stream; name=%q\r\nContent-Disposition: attachment; filename=%q\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary, name, name)
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
	return dotStuff([]byte(b.String())), nil
}

// dotStuff doubles a leading "." on every line, as DATA requires. The
// mail ends with CRLF, so the "." line can follow it.
func dotStuff(raw []byte) []byte {
	lines := bytes.SplitAfter(raw, []byte("\r\n"))
	var out bytes.Buffer
	out.Grow(len(raw) + 16)
	for _, l := range lines {
		if len(l) > 0 && l[0] == '.' {
			out.WriteByte('.')
		}
		out.Write(l)
	}
	return out.Bytes()
}
