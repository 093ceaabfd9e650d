// Package memstat says how much memory the process holds, cheaply enough
// for a status line refreshed every second.
//
// It imports nothing of sipdbg.
package memstat

import (
	"runtime/metrics"
	"strconv"
)

// InUse is the memory the Go runtime holds from the OS and has not given
// back: close to the resident size, read without stopping the world or a
// system call. 0 when the runtime does not report it.
func InUse() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}

// MiB writes b as whole mebibytes, rounded: "41 MiB".
func MiB(b uint64) string { return strconv.FormatUint((b+1<<19)>>20, 10) + " MiB" }
