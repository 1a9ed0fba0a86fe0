package mailtext

import (
	"regexp"
	"strings"
)

// attributionLines is how many lines an "On … wrote:" header may wrap over
// (Gmail wraps long ones before the address).
const attributionLines = 3

var (
	// attributionRe matches the line a mail program writes above a quote, in
	// English, German, French, Spanish, Dutch and Italian. It must hold a
	// digit (a date or time), so "On Monday I wrote:" stays text.
	attributionRe = regexp.MustCompile(`(?i)^\s*(on|am|le|el|op|il)\s.*\d.*\b(wrote|schrieb|a[\s\x{A0}]+écrit|escribió|schreef|ha\s+scritto).*[:：][\s\x{A0}]*$`)
	// originalMessageRe is Outlook's separator above a forwarded or quoted mail.
	originalMessageRe = regexp.MustCompile(`(?i)^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|oorspronkelijk bericht|messaggio originale)\s*-{2,}\s*$`)
	// Outlook's "From: … Sent: …" header block, bold (*From:*) after HTML conversion.
	outlookFromRe = regexp.MustCompile(`(?i)^\s*\*?(from|von|de|van|da)\s?:\*?\s+\S`)
	outlookSentRe = regexp.MustCompile(`(?i)^\s*\*?(sent|date|gesendet|datum|envoyé|enviado|fecha|verzonden|inviato|data)\s?:\*?\s+\S`)
	// mobileRe is a mobile program's footer line.
	mobileRe = regexp.MustCompile(`(?i)^\s*(sent from my .{1,40}|sent from (outlook|mail) for .{1,20}|get outlook for .{1,20}|von meinem .{1,40} gesendet|gesendet von meinem .{1,40}|envoyé de mon .{1,40}|enviado desde mi .{1,40})\s*$`)
	// separatorRe is a rule line Outlook draws above its header block.
	separatorRe = regexp.MustCompile(`^\s*(_{5,}|-{5,})\s*$`)
)

// StripReply returns what the person wrote in a reply: quoted lines (">"),
// the "On … wrote:" line above a quote, Outlook's "-----Original
// Message-----" and "From: … Sent: …" blocks with everything after them, a
// signature after "-- " with everything after it, and a "Sent from my …"
// line are removed; the rest is kept exactly, except that a removal leaves
// no doubled or leading blank line, and trailing blank lines are trimmed.
func StripReply(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	lines = lines[:cutPoint(lines)]
	var kept []string
	removed := false // a removal since the last kept line: don't double the blank around it
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if isQuoted(line) || mobileRe.MatchString(line) {
			removed = true
			continue
		}
		if n := attribution(lines, i); n > 0 && onlyQuoteFollows(lines, i+n) {
			i += n - 1
			removed = true
			continue
		}
		blank := strings.TrimSpace(line) == ""
		if blank && removed && (len(kept) == 0 || strings.TrimSpace(kept[len(kept)-1]) == "") {
			continue
		}
		if !blank {
			removed = false
		}
		kept = append(kept, line)
	}
	for len(kept) > 0 && strings.TrimSpace(kept[len(kept)-1]) == "" {
		kept = kept[:len(kept)-1]
	}
	return strings.Join(kept, "\n")
}

// cutPoint is the first line of what a top-posted reply carries along: a
// signature, Outlook's quoted mail. Rule lines and blank lines just above it
// go with it.
func cutPoint(lines []string) int {
	for i, line := range lines {
		if isSignatureMark(line) || originalMessageRe.MatchString(line) || outlookHeader(lines, i) {
			for i > 0 && (strings.TrimSpace(lines[i-1]) == "" || separatorRe.MatchString(lines[i-1])) {
				i--
			}
			return i
		}
	}
	return len(lines)
}

// isSignatureMark is the "-- " line; many programs drop its trailing space.
func isSignatureMark(line string) bool {
	return strings.TrimRight(line, " \t") == "--"
}

// outlookHeader is a From: line with a Sent:/Date: line within the next
// three: the header Outlook writes above the mail it quotes.
func outlookHeader(lines []string, i int) bool {
	if !outlookFromRe.MatchString(lines[i]) {
		return false
	}
	for j := i + 1; j < len(lines) && j <= i+3; j++ {
		if outlookSentRe.MatchString(lines[j]) {
			return true
		}
	}
	return false
}

func isQuoted(line string) bool {
	return strings.HasPrefix(strings.TrimLeft(line, " \t"), ">")
}

// attribution returns how many lines the "On … wrote:" header starting at
// line i spans, 0 when there is none.
func attribution(lines []string, i int) int {
	joined := ""
	for n := 1; n <= attributionLines && i+n <= len(lines); n++ {
		line := lines[i+n-1]
		if strings.TrimSpace(line) == "" || (n > 1 && isQuoted(line)) {
			return 0
		}
		joined = strings.TrimSpace(joined + " " + line)
		if attributionRe.MatchString(joined) {
			return n
		}
	}
	return 0
}

// onlyQuoteFollows: the attribution is followed by a quote (or nothing). An
// attribution-like line followed by the person's own text stays.
func onlyQuoteFollows(lines []string, from int) bool {
	for _, line := range lines[from:] {
		if strings.TrimSpace(line) == "" {
			continue
		}
		return isQuoted(line)
	}
	return true
}
