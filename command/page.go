package command

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/workroom/workroom"
)

// paging is the --limit and --before of a command that lists: every list
// comes a page at a time, newest first, and says how to get the next.
type paging struct {
	limit, before uint64
}

// bind declares --limit and --before on c; what names the items ("jobs").
func (p *paging) bind(c *cobra.Command, what string) {
	decimalVar(c.Flags(), &p.limit, "limit", workroom.DefaultPageSize, fmt.Sprintf("how many %s per page (at most %d)", what, workroom.MaxPageSize))
	decimalVar(c.Flags(), &p.before, "before", 0, "start after this cursor (the --before the previous page printed)")
}

// size is --limit for the service.
func (p *paging) size() int { return clampInt(p.limit) }

// check refuses a --limit below 1.
func (p *paging) check(c *cobra.Command) error {
	if c.Flags().Changed("limit") && p.limit < 1 {
		return usagef("--limit must be 1 or more; usage: %s", usageLine(c))
	}
	return nil
}

// printNext ends a page's plain output with the command line of the next
// page, when there is one: line is the command as run, without paging.
func (p *paging) printNext(w io.Writer, c *cobra.Command, what, line string, next uint64) error {
	if next == 0 {
		return nil
	}
	if c.Flags().Changed("limit") {
		line += fmt.Sprintf(" --limit %d", p.limit)
	}
	_, err := fmt.Fprintf(w, "%s: %s --before %d\n", what, line, next)
	return err
}
