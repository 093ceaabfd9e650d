package tui

import (
	"os"
	"slices"
	"time"
)

// stamp names saved files so that saves never overwrite each other.
func stamp(now time.Time) string { return now.Format("20060102-150405") }

func writeFile(name string, fill func(*os.File) error) error {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Close()
		os.Remove(name) // ours (O_EXCL), and incomplete: a half-written capture misleads
		return err
	}
	return f.Close()
}

// sortedCopy puts messages of several calls back in capture order.
func sortedCopy(idx []int32) []int32 {
	out := slices.Clone(idx)
	slices.Sort(out)
	return out
}
