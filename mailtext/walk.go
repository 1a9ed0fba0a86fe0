package mailtext

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// boundaryLineSlack is what NextPart may read besides a part's header: the
// boundary line and the multipart reader's look-ahead buffer (4 KiB).
const boundaryLineSlack = 8 << 10

// part is one leaf of the MIME tree as the walker hands it on.
type part struct {
	header    textproto.Header
	mediaType string            // lowercase, "text/plain" when absent
	params    map[string]string // Content-Type parameters
	body      io.Reader         // transfer-decoded, charset untouched
	altGroup  int               // innermost multipart/alternative around it, 0 for none
	signature bool              // a detached signature of a multipart/signed
}

// walkStats records what the walk saw, so tests and fuzzing can check the
// limits held.
type walkStats struct {
	parts, maxDepth, maxHeader int
}

// walker walks a MIME tree depth first, streaming: each leaf's body is read
// (by leaf or drained) before the next part is looked at.
type walker struct {
	lim    Limits
	src    *sourceReader
	leaf   func(p *part) error
	stats  walkStats
	groups int
}

// sourceReader keeps the first error of the underlying reader: an I/O error
// (a dropped SMTP connection) is returned as is, never as a malformed mail.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	return n, err
}

// callbackError carries the caller's error through the walk unchanged.
type callbackError struct{ err error }

func (c callbackError) Error() string { return c.err.Error() }

var errHeaderTooBig = errors.New("header too big")

// headerGuard limits the bytes read from a multipart body while the multipart
// reader looks for the next part's header; the library itself has no limit.
type headerGuard struct {
	r      io.Reader
	budget int // < 0: unlimited
}

func (g *headerGuard) Read(p []byte) (int, error) {
	if g.budget < 0 {
		return g.r.Read(p)
	}
	if g.budget == 0 {
		return 0, errHeaderTooBig
	}
	if len(p) > g.budget {
		p = p[:g.budget]
	}
	n, err := g.r.Read(p)
	g.budget -= n
	return n, err
}

// walkMessage reads the top-level header within the limit and walks the tree.
// It returns the top-level header.
func (w *walker) walkMessage(r io.Reader) (textproto.Header, error) {
	w.src = &sourceReader{r: r}
	g := &headerGuard{r: w.src, budget: w.lim.MaxHeaderBytes}
	br := bufio.NewReader(g)
	h, err := textproto.ReadHeader(br)
	if err != nil {
		return h, w.fail(err, "the mail header cannot be read")
	}
	g.budget = -1
	return h, w.fail(w.walk(h, br, 0, 0, false), "")
}

// fail turns an error into what Parse returns: the source's own I/O error as
// is, a *Error as is, anything else as a malformed mail.
func (w *walker) fail(err error, what string) error {
	if err == nil {
		return nil
	}
	if w.src.err != nil {
		return w.src.err
	}
	var me *Error
	if errors.As(err, &me) {
		return err
	}
	if errors.Is(err, errHeaderTooBig) {
		return refuse(RuleHeaderSize, "a header block of the mail is larger than %d bytes; send a shorter header", w.lim.MaxHeaderBytes)
	}
	var ce callbackError
	if errors.As(err, &ce) {
		return ce.err
	}
	if what == "" {
		what = "the MIME structure of the mail is broken"
	}
	// The library's words name bytes of the mail; they stay out of the reply.
	return refuse(RuleBadMIME, "%s; send it again from a standard mail program", what)
}

func (w *walker) walk(h textproto.Header, body io.Reader, depth, group int, signed bool) error {
	w.stats.parts++
	if w.stats.parts > w.lim.MaxParts {
		return refuse(RuleParts, "the mail has more than %d MIME parts; send fewer files or put them in a zip", w.lim.MaxParts)
	}
	if err := w.checkHeader(h); err != nil {
		return err
	}
	mediaType, params, err := contentType(h)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		return w.walkMultipart(mediaType, params, body, depth+1, group)
	}
	dec, err := decodeTransfer(h.Get("Content-Transfer-Encoding"), &partBody{r: body, w: w})
	if err != nil {
		return err
	}
	p := &part{header: h, mediaType: mediaType, params: params, body: dec, altGroup: group, signature: signed && isSignature(mediaType)}
	if err := w.leaf(p); err != nil {
		return err
	}
	// Drain what the leaf left, through the decoder, so a broken encoding is
	// refused wherever it is.
	_, err = io.Copy(io.Discard, dec)
	return err
}

func (w *walker) walkMultipart(mediaType string, params map[string]string, body io.Reader, depth, group int) error {
	if depth > w.stats.maxDepth {
		w.stats.maxDepth = depth
	}
	if depth > w.lim.MaxDepth {
		w.stats.maxDepth = w.lim.MaxDepth
		return refuse(RuleDepth, "the mail nests MIME parts more than %d deep; send it again from a standard mail program", w.lim.MaxDepth)
	}
	boundary := params["boundary"]
	if boundary == "" {
		return refuse(RuleNoBoundary, "the mail says it is %s but gives no boundary, so its parts cannot be found; send it again from a standard mail program", mediaType)
	}
	if mediaType == "multipart/alternative" {
		w.groups++
		group = w.groups
	}
	signed := mediaType == "multipart/signed"
	guard := &headerGuard{r: body, budget: -1}
	mr := textproto.NewMultipartReader(guard, boundary)
	for n := 0; ; n++ {
		guard.budget = w.lim.MaxHeaderBytes + boundaryLineSlack
		p, err := mr.NextPart()
		guard.budget = -1
		if err == io.EOF {
			if n == 0 {
				return refuse(RuleBadMIME, "the %s part of the mail has no parts; send it again from a standard mail program", mediaType)
			}
			return nil
		}
		if err != nil {
			return w.fail(err, "a MIME part of the mail cannot be read")
		}
		if err := w.walk(p.Header, p, depth, group, signed && n > 0); err != nil {
			return err
		}
		if _, err := io.Copy(io.Discard, p); err != nil {
			return err
		}
	}
}

// partBody turns the multipart reader's complaints (a part cut short) into
// *Error before the caller's callback sees them; the source's own errors
// pass as they are.
type partBody struct {
	r io.Reader
	w *walker
}

func (p *partBody) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if err != nil && err != io.EOF {
		var me *Error
		switch {
		case p.w.src.err != nil:
			err = p.w.src.err
		case !errors.As(err, &me):
			err = refuse(RuleBadMIME, "a MIME part of the mail is cut short; send it again from a standard mail program")
		}
	}
	return n, err
}

// checkHeader refuses NUL bytes (they cut strings short in other programs)
// and header blocks over the limit.
func (w *walker) checkHeader(h textproto.Header) error {
	size := 0
	for f := h.Fields(); f.Next(); {
		raw, err := f.Raw()
		if err != nil {
			return refuse(RuleBadHeader, "a header field of the mail cannot be read; send it again from a standard mail program")
		}
		size += len(raw)
		if bytes.IndexByte(raw, 0) >= 0 {
			return refuse(RuleNULHeader, "the %s header contains a NUL byte; send it again from a standard mail program", f.Key())
		}
	}
	if size > w.stats.maxHeader {
		w.stats.maxHeader = size
	}
	if size > w.lim.MaxHeaderBytes {
		return refuse(RuleHeaderSize, "a header block of the mail is larger than %d bytes; send a shorter header", w.lim.MaxHeaderBytes)
	}
	return nil
}

// contentType reads Content-Type; absent means text/plain (RFC 2045). A
// type with broken parameters keeps its type (a multipart then has no
// boundary); an unreadable one is refused.
func contentType(h textproto.Header) (string, map[string]string, error) {
	v := h.Get("Content-Type")
	if strings.TrimSpace(v) == "" {
		return "text/plain", map[string]string{}, nil
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil && mt == "" {
		return "", nil, refuse(RuleBadContentType, "the Content-Type %q cannot be read; send it again from a standard mail program", v)
	}
	if params == nil {
		params = map[string]string{}
	}
	return mt, params, nil
}

func isSignature(mediaType string) bool {
	switch mediaType {
	case "application/pgp-signature", "application/pkcs7-signature", "application/x-pkcs7-signature":
		return true
	}
	return false
}

// decodeTransfer undoes the Content-Transfer-Encoding; decoding errors come
// out of the returned reader as *Error.
func decodeTransfer(enc string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "", "7bit", "8bit", "binary":
		return r, nil
	case "base64":
		src := &sourceReader{r: &spaceToNewline{r: r}}
		return &decodeErrors{r: base64.NewDecoder(base64.StdEncoding, src), src: src, rule: RuleBadBase64, name: "base64"}, nil
	case "quoted-printable":
		src := &sourceReader{r: r}
		return &decodeErrors{r: quotedprintable.NewReader(src), src: src, rule: RuleBadQP, name: "quoted-printable"}, nil
	}
	return nil, refuse(RuleBadEncoding, "the transfer encoding %q is not supported; send it again as base64 or quoted-printable", enc)
}

// spaceToNewline lets base64 bodies indented with spaces decode (seen in the
// wild); the decoder skips newlines.
type spaceToNewline struct{ r io.Reader }

func (s *spaceToNewline) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	for i := range p[:n] {
		if p[i] == ' ' || p[i] == '\t' {
			p[i] = '\n'
		}
	}
	return n, err
}

// decodeErrors turns a decoder's complaint into *Error. Errors of the reader
// beneath (already *Error, or I/O) pass unchanged: the walker sorts them out.
type decodeErrors struct {
	r          io.Reader
	src        *sourceReader // the encoded bytes, to tell their errors apart
	rule, name string
	err        error
}

func (d *decodeErrors) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		var ce base64.CorruptInputError
		switch {
		case d.src.err != nil:
			err = d.src.err // the decoder may report the cut-off in its own words
		case errors.As(err, &ce) || errors.Is(err, io.ErrUnexpectedEOF) || strings.HasPrefix(err.Error(), "quotedprintable:"):
			err = refuse(d.rule, "a part of the mail has broken %s encoding; send it again from a standard mail program", d.name)
		}
		d.err = err
	}
	return n, err
}
