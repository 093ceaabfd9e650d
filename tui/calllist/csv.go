package calllist

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/sipdbg/sipdbg/session"
)

// CSV writes calls as the list shows them: a header of the column titles,
// then a record per call with every column's value, Source and
// Destination included even where a narrow screen hides them (sngrep's
// "save as CSV", #265). The verdict and media marks are spelled out.
func (m *Model) CSV(w io.Writer, s *session.Store, calls []*session.Call) error {
	cw := csv.NewWriter(w)
	cols := m.columns()
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.title
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(cols))
	for _, c := range calls {
		for i, col := range cols {
			switch col.title {
			case "#":
				rec[i] = strconv.Itoa(c.Seq + 1) // without the mark of a selected call
			case "Verdict":
				rec[i] = authWords[m.AuthOf(s, c)]
			default:
				rec[i] = col.value(m, s, c)
				if col.spec.name == "Media" {
					rec[i] = mediaWords[rec[i]]
				}
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
