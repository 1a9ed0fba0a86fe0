package command

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/workroom/workroom/cmdline"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The grammar of a command line. Words are separated by whitespace; there
// is no quoting (line.go). Most words are plain words: command names, ids,
// an email address, a number. Free text is different, and where it is is
// known per command, marked on the command tree itself:
//
//   - a free-text flag (markFreeText: --text, --title, --description,
//     --name) takes as its value everything from the word after it (or
//     after its "=") up to the next word that is a flag of that command,
//     or the end of the line — the exact bytes of the raw line, spacing
//     included;
//   - a command whose last argument is text (markTextAfter: post ROOM
//     [TEXT]) takes as that text everything after its leading arguments
//     and flags, to the end of the line; where that depends on the verb
//     after the first argument (markTextAfterVerb: todo ROOM add TEXT,
//     todo ROOM edit ID TEXT), the verb says how many arguments lead.
//
// A line that cannot be read without guessing is refused with the way to
// send the text on stdin: a flag word inside a rest-of-line text (is
// `post 1 see --json docs` asking for JSON?), more words right after the
// flag that ended a free text (was that flag part of the text?), a
// free-text flag given twice, or one with no text. Cobra then parses the
// result, in which each free text is one element it cannot misread.

// Annotations that mark free text on the command tree.
const (
	freeTextAnnotation = "workroom/free-text"
	textAfterKey       = "workroom/text-after"
)

// stdinValue is the value of a free-text flag that says "read it from
// stdin".
const stdinValue = "-"

// markFreeText marks flags of c as free text.
func markFreeText(c *cobra.Command, names ...string) {
	for _, n := range names {
		if err := c.Flags().SetAnnotation(n, freeTextAnnotation, []string{"true"}); err != nil {
			panic(err) // a flag that does not exist: a programming error
		}
	}
}

// markTextAfter says the rest of c's line, after n leading arguments, is
// one free text.
func markTextAfter(c *cobra.Command, n int) {
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[textAfterKey] = strconv.Itoa(n)
}

// markTextAfterVerb says that when c's second argument is verb, the rest
// of the line after n leading arguments (the verb among them) is one
// free text.
func markTextAfterVerb(c *cobra.Command, verb string, n int) {
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[textAfterKey+"/"+verb] = strconv.Itoa(n)
}

func isFreeText(f *pflag.Flag) bool { return len(f.Annotations[freeTextAnnotation]) > 0 }

// textAfter is the number of leading arguments before c's rest-of-line
// text, given the arguments read so far, or -1 when c has none (yet).
func textAfter(c *cobra.Command, words []string) int {
	v, ok := c.Annotations[textAfterKey]
	if !ok && len(words) >= 2 {
		v = c.Annotations[textAfterKey+"/"+words[1]]
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

// hasFreeText reports whether any part of c's line is free text.
func hasFreeText(c *cobra.Command) bool {
	found := false
	for k := range c.Annotations {
		found = found || k == textAfterKey || strings.HasPrefix(k, textAfterKey+"/")
	}
	c.Flags().VisitAll(func(f *pflag.Flag) { found = found || isFreeText(f) })
	return found
}

// cobraArgs reads a line by the grammar and returns the arguments for
// cobra: the words as they are, but each free text as one element
// (--text=VALUE, or after "--" for a rest-of-line text).
func cobraArgs(root *cobra.Command, l cmdline.Line) ([]string, error) {
	args := make([]string, 0, l.Len())
	c, i := root, 0
	// The command's path, and the switches allowed before it (--json rooms).
	for ; i < l.Len(); i++ {
		c.InitDefaultHelpFlag()
		w := l.Word(i)
		if f := flagOf(c, w); f != nil && f.NoOptDefVal != "" {
			args = append(args, w)
			continue
		}
		sub := subcommand(c, w)
		if sub == nil {
			break
		}
		c = sub
		args = append(args, w)
	}
	c.InitDefaultHelpFlag()
	if !hasFreeText(c) {
		for ; i < l.Len(); i++ {
			args = append(args, l.Word(i))
		}
		return args, nil
	}
	p := &textParser{c: c, l: l, args: args, given: map[string]bool{}}
	return p.parse(i)
}

// subcommand is c's subcommand named w, or nil.
func subcommand(c *cobra.Command, w string) *cobra.Command {
	for _, sub := range c.Commands() {
		if sub.Name() == w || sub.HasAlias(w) {
			return sub
		}
	}
	return nil
}

// flagOf is the flag of c that word w names (--name, --name=value, -h),
// or nil when w is no flag of c.
func flagOf(c *cobra.Command, w string) *pflag.Flag {
	switch {
	case strings.HasPrefix(w, "--") && len(w) > 2:
		name, _, _ := strings.Cut(w[2:], "=")
		return c.Flags().Lookup(name)
	case len(w) == 2 && w[0] == '-' && w[1] != '-':
		return c.Flags().ShorthandLookup(w[1:])
	}
	return nil
}

// textParser reads the words of one command that has free text.
type textParser struct {
	c     *cobra.Command
	l     cmdline.Line
	args  []string
	given map[string]bool // free-text flags seen
	// endedBy is the flag word that ended the last free text, while only
	// flags may follow it.
	endedBy, endedText string
	positional         int
	words              []string // the positional arguments read
}

func (p *textParser) parse(i int) ([]string, error) {
	for i < p.l.Len() {
		after := textAfter(p.c, p.words)
		w := p.l.Word(i)
		f := flagOf(p.c, w)
		switch {
		case f == nil && after >= 0 && p.positional == after && p.endedBy == "":
			return p.restText(i)
		case f == nil && p.endedBy != "":
			return nil, usagef("%s ends the text of --%s, but words follow it; if %s is part of the text, %s",
				p.endedBy, p.endedText, p.endedBy, stdinHint(p.c, p.endedText))
		case f == nil:
			p.args = append(p.args, w)
			if !strings.HasPrefix(w, "-") {
				p.positional++
				p.words = append(p.words, w)
			}
			i++
		case isFreeText(f):
			next, err := p.freeText(i, f)
			if err != nil {
				return nil, err
			}
			i = next
		case f.NoOptDefVal != "" || strings.Contains(w, "="):
			p.args = append(p.args, w)
			i++
		default: // a flag whose value is the next word
			p.args = append(p.args, w)
			if i+1 < p.l.Len() {
				p.args = append(p.args, p.l.Word(i+1))
			}
			i += 2
		}
	}
	return p.args, nil
}

// restText takes the rest of the line from word i as the command's text.
func (p *textParser) restText(i int) ([]string, error) {
	for j := i; j < p.l.Len(); j++ {
		if w := p.l.Word(j); flagOf(p.c, w) != nil {
			return nil, usagef("%s inside the text could be the flag or part of the text; %s", w, p.restHint())
		}
	}
	return append(p.args, "--", p.l.Span(i, p.l.Len()-1)), nil
}

// restHint says how to send the rest-of-line text on stdin. After a verb
// (todo 5 edit 3 …) it repeats the words typed before the text, which
// say more than the command's usage line.
func (p *textParser) restHint() string {
	if _, plain := p.c.Annotations[textAfterKey]; plain {
		return stdinHint(p.c, "")
	}
	return fmt.Sprintf("send the text on stdin instead: echo 'TEXT' | ssh HOST %s %s", pathOf(p.c), strings.Join(p.words, " "))
}

// freeText takes the value of the free-text flag f at word i: to the next
// flag of the command, or the end of the line. It returns the index of
// the word after the value.
func (p *textParser) freeText(i int, f *pflag.Flag) (int, error) {
	w := p.l.Word(i)
	if p.given[f.Name] {
		return 0, usagef("--%s is given twice (the second could be part of the first's text); %s", f.Name, stdinHint(p.c, f.Name))
	}
	p.given[f.Name] = true
	j := i + 1
	for j < p.l.Len() && flagOf(p.c, p.l.Word(j)) == nil {
		j++
	}
	var value string
	name, inline, hasEq := strings.Cut(w[2:], "=")
	switch {
	case hasEq && inline != "":
		value = p.l.Span(i, j-1)[len("--"+name+"="):]
	case j > i+1:
		value = p.l.Span(i+1, j-1)
	default:
		return 0, usagef("--%s needs text after it; if the text starts with a flag name, %s", f.Name, stdinHint(p.c, f.Name))
	}
	p.args = append(p.args, "--"+f.Name+"="+value)
	p.endedBy, p.endedText = "", ""
	if j < p.l.Len() {
		p.endedBy, p.endedText = p.l.Word(j), f.Name
		if g := flagOf(p.c, p.endedBy); g != nil && isFreeText(g) {
			p.endedBy = "" // another free text follows: it ends there
		}
	}
	return j, nil
}

// stdinHint says how to send a command's free text on stdin instead: the
// text of flag (or, when flag is "", the command's own text).
func stdinHint(c *cobra.Command, flag string) string {
	if flag == "" {
		return fmt.Sprintf("send the text on stdin instead: echo 'TEXT' | ssh HOST %s", stdinUsage(c, ""))
	}
	return fmt.Sprintf("send that text on stdin instead, with --%s -: echo 'TEXT' | ssh HOST %s", flag, stdinUsage(c, flag))
}

// stdinUsage is c's usage line with flag's value read from stdin, and
// without its rest-of-line text: "propose JOB --text -", "post ROOM".
func stdinUsage(c *cobra.Command, flag string) string {
	u := usageLine(c)
	if flag == "" {
		return strings.TrimSpace(strings.Replace(u, "[TEXT]", "", 1))
	}
	words := strings.Fields(u)
	for k := 0; k+1 < len(words); k++ {
		if words[k] == "--"+flag || words[k] == "[--"+flag {
			words[k+1] = stdinValue + strings.Repeat("]", strings.Count(words[k+1], "]"))
		}
	}
	return strings.Join(words, " ")
}
