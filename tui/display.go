package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/workroom/workroom/termsafe"
)

// Display. Text that people wrote — names, titles, descriptions, proposal
// text, bodies, addresses, and the service's messages that may quote
// input — reaches the screen only through the two functions of this file,
// before any style is applied. Nothing else in this package uses termsafe,
// so a new screen has one obvious way to draw someone's text.

// oneLine is text drawn on one line (a name, a title, a notice), made
// inert: control sequences become visible stand-ins and newlines "⏎".
func oneLine(s string) string { return termsafe.Line(s) }

// wrapped is free text of many lines (a body, a description, a proposal),
// made inert and then wrapped to width cells, so the wrapping measures
// exactly what will be drawn.
func wrapped(s string, width int) string { return ansi.Wrap(termsafe.String(s), width, "") }

// paragraph is a sentence of our own (no one else's text in it), wrapped
// to width and indented by two cells, each line in style.
func paragraph(style lipgloss.Style, text string, width int) string {
	lines := strings.Split(ansi.Wrap(text, max(width, 10), ""), "\n")
	for i, l := range lines {
		lines[i] = "  " + style.Render(l)
	}
	return strings.Join(lines, "\n") + "\n"
}
