package deploy

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable writes the changes as an aligned table followed by the count
// line.
func (cs *ChangeSet) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tLOGICAL ID\tTYPE\tREPLACEMENT\tCHANGED PROPERTIES")
	for _, c := range cs.Changes {
		repl := orDash(c.Replacement)
		if c.Replacement == "" && (c.Action == "Modify" || c.Action == "Dynamic") {
			repl = "unknown"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Action, c.LogicalID, c.Type,
			repl, orDash(strings.Join(c.Properties, ", ")))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, cs.Summary())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
