package mailtext

import (
	"io"
	"mime"
	"net/url"
	"strconv"
	"strings"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // odd charsets in bodies, encoded-words and RFC 2231 names
	"github.com/emersion/go-message/textproto"
)

// wordDecoder decodes RFC 2047 encoded-words in every charset go-message knows.
var wordDecoder = mime.WordDecoder{CharsetReader: charsetReader}

func charsetReader(charset string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "us-ascii", "utf8":
		return r, nil
	}
	return message.CharsetReader(strings.ToLower(charset), r)
}

// decodeWords decodes encoded-words; undecodable text stays as it came.
func decodeWords(s string) string {
	d, err := wordDecoder.DecodeHeader(s)
	if err != nil {
		return s
	}
	return d
}

// disposition reads Content-Disposition: its type ("" when absent) and the
// file name from it or from Content-Type's name parameter.
func disposition(h textproto.Header, ctParams map[string]string) (kind, name string) {
	raw := h.Get("Content-Disposition")
	kind, params, _ := mime.ParseMediaType(raw)
	name = params["filename"]
	if name == "" {
		name = param2231(raw, "filename")
	}
	if name == "" {
		name = ctParams["name"]
	}
	if name == "" {
		name = param2231(h.Get("Content-Type"), "name")
	}
	// Outlook and older Thunderbird put encoded-words inside the quotes.
	return strings.ToLower(kind), decodeWords(name)
}

// param2231 finds a parameter the standard library dropped: RFC 2231 values
// in charsets other than UTF-8 (filename*=iso-8859-1”caf%E9.pdf), split
// continuations next to broken parameters, duplicates. It is a lenient
// reading of the raw header value; "" when the parameter is not there.
func param2231(raw, key string) string {
	type piece struct {
		val     string
		encoded bool
	}
	pieces := map[int]piece{}
	plain := ""
	for _, kv := range splitParams(raw) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = unquote(strings.TrimSpace(v))
		switch {
		case k == key:
			if plain == "" {
				plain = v
			}
		case k == key+"*":
			pieces[0] = piece{v, true}
		case strings.HasPrefix(k, key+"*"):
			rest := strings.TrimPrefix(k, key+"*")
			enc := strings.HasSuffix(rest, "*")
			n, err := strconv.Atoi(strings.TrimSuffix(rest, "*"))
			if err != nil || n < 0 || n > 999 {
				continue
			}
			pieces[n] = piece{v, enc}
		}
	}
	if len(pieces) == 0 {
		return plain
	}
	charset := ""
	var b strings.Builder
	for i := 0; ; i++ {
		p, ok := pieces[i]
		if !ok {
			break
		}
		v := p.val
		if p.encoded {
			if i == 0 {
				parts := strings.SplitN(v, "'", 3)
				if len(parts) == 3 {
					charset, v = parts[0], parts[2]
				}
			}
			if u, err := url.PathUnescape(v); err == nil {
				v = u
			}
		}
		b.WriteString(v)
	}
	out := b.String()
	if charset != "" {
		if r, err := charsetReader(charset, strings.NewReader(out)); err == nil {
			if d, err := io.ReadAll(r); err == nil {
				out = string(d)
			}
		}
	}
	if out == "" {
		return plain
	}
	return out
}

// splitParams splits "type; a=1; b=\"x;y\"" at the semicolons outside quotes
// and drops the type.
func splitParams(s string) []string {
	var out []string
	quoted, escaped, start := false, false, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped:
			escaped = false
		case c == '\\' && quoted:
			escaped = true
		case c == '"':
			quoted = !quoted
		case c == ';' && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	out = append(out, s[start:])
	return out[1:]
}

func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
		var b strings.Builder
		for i := 0; i < len(v); i++ {
			if v[i] == '\\' && i+1 < len(v) {
				i++
			}
			b.WriteByte(v[i])
		}
		return b.String()
	}
	return v
}
